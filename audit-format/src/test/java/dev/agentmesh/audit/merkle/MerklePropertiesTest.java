package dev.agentmesh.audit.merkle;

import static dev.agentmesh.audit.merkle.RfcReference.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Properties over random trees of 1 to 300 leaves of random data, against {@link RfcReference}. */
class MerklePropertiesTest {

    @Property(tries = 60)
    void theAccumulatorRootIsTheTreeHashAtEverySize(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int n) {
        List<byte[]> leaves = RfcReference.randomLeafHashes(seed, n);
        MerkleAccumulator acc = new MerkleAccumulator();
        for (int size = 1; size <= n; size++) {
            acc.append(leaves.get(size - 1));
            assertThat(acc.root()).as("size %d", size).isEqualTo(RfcReference.mth(leaves.subList(0, size)));
        }
        assertThat(MerkleProofs.root(LeafHashes.of(leaves), n)).isEqualTo(acc.root());
    }

    @Property(tries = 100)
    void aRestoredAccumulatorContinuesLikeTheOriginal(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 300) int n, @ForAll @IntRange(min = 0, max = 300) int splitRaw) {
        List<byte[]> leaves = RfcReference.randomLeafHashes(seed, n);
        int split = splitRaw % (n + 1);
        MerkleAccumulator first = new MerkleAccumulator();
        leaves.subList(0, split).forEach(first::append);
        MerkleAccumulator resumed = MerkleAccumulator.restore(first.size(), first.peaks());
        leaves.subList(split, n).forEach(resumed::append);
        assertThat(resumed.root()).isEqualTo(RfcReference.mth(leaves));
    }

    @Property(tries = 400)
    void inclusionProofsVerifyAndNothingElseDoes(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int n,
            @ForAll @IntRange(min = 0, max = 299) int indexRaw, @ForAll @IntRange(min = 0, max = 298) int otherRaw,
            @ForAll @IntRange(min = 0, max = 62) int elementRaw, @ForAll @IntRange(min = 0, max = 31) int at,
            @ForAll @IntRange(min = 0, max = 7) int bit) {
        List<byte[]> leaves = RfcReference.randomLeafHashes(seed, n);
        int index = indexRaw % n;
        byte[] leaf = leaves.get(index);
        byte[] root = RfcReference.mth(leaves);

        List<byte[]> proof = MerkleProofs.inclusionProof(LeafHashes.of(leaves), index, n);

        assertThat(hex(proof)).isEqualTo(hex(RfcReference.path(index, leaves)));
        assertThat(MerkleVerifier.verifyInclusion(leaf, index, n, proof, root)).isTrue();
        assertThat(MerkleVerifier.rootFromInclusionProof(leaf, index, n, proof)).isEqualTo(root);
        // a wrong leaf: another leaf of the same tree, and a near miss
        assertThat(MerkleVerifier.verifyInclusion(RfcReference.flip(leaf, at, bit), index, n, proof, root)).isFalse();
        if (n > 1) {
            int other = (index + 1 + otherRaw % (n - 1)) % n;
            assertThat(MerkleVerifier.verifyInclusion(leaves.get(other), index, n, proof, root)).isFalse();
            // a wrong index
            assertThat(MerkleVerifier.verifyInclusion(leaf, other, n, proof, root)).as("index %d", other).isFalse();
        }
        assertThat(MerkleVerifier.verifyInclusion(leaf, n, n, proof, root)).isFalse();
        // a wrong root
        assertThat(MerkleVerifier.verifyInclusion(leaf, index, n, proof, RfcReference.flip(root, at, bit))).isFalse();
        if (!proof.isEmpty()) {
            // a tampered element
            int element = elementRaw % proof.size();
            assertThat(MerkleVerifier.verifyInclusion(leaf, index, n,
                    RfcReference.flip(proof, element, at, bit), root)).isFalse();
            // a truncated proof
            assertThat(MerkleVerifier.verifyInclusion(leaf, index, n, proof.subList(0, proof.size() - 1), root))
                    .isFalse();
            assertThat(MerkleVerifier.verifyInclusion(leaf, index, n, proof.subList(1, proof.size()), root))
                    .isFalse();
        }
    }

    @Property(tries = 400)
    void consistencyProofsVerifyAndNothingElseDoes(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int n,
            @ForAll @IntRange(min = 0, max = 299) int mRaw, @ForAll @IntRange(min = 0, max = 62) int elementRaw,
            @ForAll @IntRange(min = 0, max = 31) int at, @ForAll @IntRange(min = 0, max = 7) int bit) {
        List<byte[]> leaves = RfcReference.randomLeafHashes(seed, n);
        int m = 1 + mRaw % n; // 1 <= m <= n
        byte[] oldRoot = RfcReference.mth(leaves.subList(0, m));
        byte[] newRoot = RfcReference.mth(leaves);

        List<byte[]> proof = MerkleProofs.consistencyProof(LeafHashes.of(leaves), m, n);

        if (m < n) {
            assertThat(hex(proof)).isEqualTo(hex(RfcReference.proof(m, leaves)));
        } else {
            assertThat(proof).isEmpty();
        }
        assertThat(MerkleVerifier.verifyConsistency(m, n, oldRoot, newRoot, proof)).isTrue();
        assertThat(MerkleVerifier.verifyConsistency(m, n, RfcReference.flip(oldRoot, at, bit), newRoot, proof))
                .isFalse();
        assertThat(MerkleVerifier.verifyConsistency(m, n, oldRoot, RfcReference.flip(newRoot, at, bit), proof))
                .isFalse();
        if (!proof.isEmpty()) {
            int element = elementRaw % proof.size();
            assertThat(MerkleVerifier.verifyConsistency(m, n, oldRoot, newRoot,
                    RfcReference.flip(proof, element, at, bit))).isFalse();
            assertThat(MerkleVerifier.verifyConsistency(m, n, oldRoot, newRoot, proof.subList(0, proof.size() - 1)))
                    .isFalse();
            assertThat(MerkleVerifier.verifyConsistency(m, n, newRoot, oldRoot, proof)).isFalse();
        }
    }

    @Property(tries = 100)
    void equalSizesNeedTheEmptyProofAndEqualRoots(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int n,
            @ForAll @IntRange(min = 0, max = 31) int at, @ForAll @IntRange(min = 0, max = 7) int bit) {
        List<byte[]> leaves = RfcReference.randomLeafHashes(seed, n);
        byte[] root = RfcReference.mth(leaves);
        List<byte[]> proof = MerkleProofs.consistencyProof(LeafHashes.of(leaves), n, n);

        assertThat(proof).isEmpty();
        assertThat(MerkleVerifier.verifyConsistency(n, n, root, root.clone(), proof)).isTrue();
        assertThat(MerkleVerifier.verifyConsistency(n, n, root, RfcReference.flip(root, at, bit), proof)).isFalse();
        assertThat(MerkleVerifier.verifyConsistency(n, n, RfcReference.flip(root, at, bit), root, proof)).isFalse();
        assertThat(MerkleVerifier.verifyConsistency(n, n, root, root, List.of(root))).isFalse();
    }

    @Property(tries = 100)
    void aLeafProvenInAnOldTreeIsProvenInTheNewOne(@ForAll long seed, @ForAll @IntRange(min = 1, max = 300) int n,
            @ForAll @IntRange(min = 0, max = 299) int mRaw, @ForAll @IntRange(min = 0, max = 299) int indexRaw) {
        // What a monitor does: trust a leaf under an old checkpoint, then carry the trust forward.
        List<byte[]> leaves = RfcReference.randomLeafHashes(seed, n);
        LeafHashes source = LeafHashes.of(leaves);
        int m = 1 + mRaw % n;
        int index = indexRaw % m;
        byte[] oldRoot = MerkleProofs.root(source, m);
        byte[] newRoot = MerkleProofs.root(source, n);

        assertThat(MerkleVerifier.verifyInclusion(leaves.get(index), index, m,
                MerkleProofs.inclusionProof(source, index, m), oldRoot)).isTrue();
        assertThat(MerkleVerifier.verifyConsistency(m, n, oldRoot, newRoot,
                MerkleProofs.consistencyProof(source, m, n))).isTrue();
        assertThat(MerkleVerifier.verifyInclusion(leaves.get(index), index, n,
                MerkleProofs.inclusionProof(source, index, n), newRoot)).isTrue();
    }
}
