package dev.agentmesh.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Malformed and degenerate input, much of it after Trillian's verifier tests. */
class MerkleVerifierTest {

    private static final byte[] EMPTY = MerkleHash.emptyRoot();
    private static final byte[] SOME = Probes.SOME_HASH;

    @Test
    void aOneLeafTreeHasAnEmptyProofAndTheLeafAsRoot() {
        byte[] leaf = new MerkleHash().leafHash("data".getBytes(StandardCharsets.UTF_8));
        assertThat(MerkleVerifier.verifyInclusion(leaf, 0, 1, List.of(), leaf)).isTrue();
        assertThat(MerkleVerifier.verifyInclusion(leaf, 0, 1, List.of(), new byte[0])).isFalse();
        assertThat(MerkleVerifier.verifyInclusion(new byte[0], 0, 1, List.of(), leaf)).isFalse();
        assertThat(MerkleVerifier.verifyInclusion(new byte[0], 0, 1, List.of(), new byte[0])).isFalse();
        assertThat(MerkleVerifier.verifyInclusion(leaf, 0, 1, List.of(), SOME)).isFalse();
        assertThat(MerkleVerifier.rootFromInclusionProof(leaf, 0, 1, List.of())).isEqualTo(leaf);
    }

    @Test
    void nothingIsIncludedInATreeItIsNotIn() {
        // Trillian's probes: (index, size) = (0, 0), (0, 1) with a wrong root, (1, 0), (2, 1).
        long[][] probes = {{0, 0}, {0, 1}, {1, 0}, {2, 1}, {-1, 1}, {0, -1}, {5, 5}, {Long.MAX_VALUE, 1}};
        for (long[] p : probes) {
            assertThat(MerkleVerifier.verifyInclusion(SOME, p[0], p[1], List.of(), new byte[0])).isFalse();
            assertThat(MerkleVerifier.verifyInclusion(new byte[0], p[0], p[1], List.of(), EMPTY)).isFalse();
            assertThat(MerkleVerifier.verifyInclusion(SOME, p[0], p[1], List.of(), EMPTY)).isFalse();
        }
        assertThat(MerkleVerifier.verifyInclusion(EMPTY, 0, 0, List.of(), EMPTY))
                .as("the empty tree contains no leaf, whatever the hashes").isFalse();
    }

    @Test
    void rootFromInclusionProofExplainsMalformedInput() {
        byte[] leaf = SOME;
        assertThatThrownBy(() -> MerkleVerifier.rootFromInclusionProof(leaf, 1, 1, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in a tree");
        assertThatThrownBy(() -> MerkleVerifier.rootFromInclusionProof(leaf, 0, 2, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 1");
        assertThatThrownBy(() -> MerkleVerifier.rootFromInclusionProof(leaf, 0, 2, List.of(new byte[31])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32-byte");
        assertThatThrownBy(() -> MerkleVerifier.rootFromInclusionProof(new byte[1], 0, 1, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaf hash");
    }

    @Test
    void nullsArePromptlyRefused() {
        List<byte[]> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(null, 0, 1, List.of(), SOME))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(SOME, 0, 1, List.of(), null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(SOME, 0, 2, withNull, SOME))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(1, 2, SOME, SOME, withNull))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(1, 2, null, SOME, List.of()))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void trilliansConsistencyEdgeCases() {
        byte[] root1 = RfcReference.sha256("don't care 1".getBytes(StandardCharsets.UTF_8));
        byte[] root2 = RfcReference.sha256("don't care 2".getBytes(StandardCharsets.UTF_8));
        List<byte[]> none = List.of();
        List<byte[]> one = List.of(EMPTY);

        // Equal sizes: the empty proof, and equal roots.
        assertThat(MerkleVerifier.verifyConsistency(1, 1, root2, root2, none)).isTrue();
        assertThat(MerkleVerifier.verifyConsistency(1, 1, root1, root2, none)).isFalse();
        assertThat(MerkleVerifier.verifyConsistency(1, 1, EMPTY, root2, none)).isFalse();
        assertThat(MerkleVerifier.verifyConsistency(1, 1, EMPTY, EMPTY, one)).isFalse();
        assertThat(MerkleVerifier.verifyConsistency(0, 0, EMPTY, EMPTY, none)).isTrue();
        assertThat(MerkleVerifier.verifyConsistency(0, 0, EMPTY, root2, none)).isFalse();
        assertThat(MerkleVerifier.verifyConsistency(0, 0, EMPTY, EMPTY, one)).isFalse();
        // From the empty tree: the empty proof; unlike Trillian the old root must be the empty tree's.
        assertThat(MerkleVerifier.verifyConsistency(0, 1, EMPTY, root2, none)).isTrue();
        assertThat(MerkleVerifier.verifyConsistency(0, 1, root1, root2, none)).isFalse();
        assertThat(MerkleVerifier.verifyConsistency(0, 1, EMPTY, EMPTY, one)).isFalse();
        // Time travel to the past.
        assertThat(MerkleVerifier.verifyConsistency(1, 0, root1, root2, none)).isFalse();
        assertThat(MerkleVerifier.verifyConsistency(2, 1, root1, root2, none)).isFalse();
        // A real growth needs a proof.
        assertThat(MerkleVerifier.verifyConsistency(1, 2, root1, root2, none)).isFalse();
        // Negative sizes and roots that are not hashes.
        assertThat(MerkleVerifier.verifyConsistency(-1, 2, root1, root2, none)).isFalse();
        assertThat(MerkleVerifier.verifyConsistency(-2, -1, root1, root2, none)).isFalse();
        assertThat(MerkleVerifier.verifyConsistency(1, 1, new byte[3], new byte[3], none)).isFalse();
    }

    @Test
    void proofLengthsFollowTheTreeShape() {
        assertThat(MerkleVerifier.inclusionProofLength(0, 1)).isZero();
        assertThat(MerkleVerifier.inclusionProofLength(0, 8)).isEqualTo(3);
        assertThat(MerkleVerifier.inclusionProofLength(7, 8)).isEqualTo(3);
        assertThat(MerkleVerifier.inclusionProofLength(2, 3)).isEqualTo(1); // the last leaf of 3 is a lone right child
        assertThat(MerkleVerifier.inclusionProofLength(4, 5)).isEqualTo(1);
        assertThat(MerkleVerifier.inclusionProofLength(0, 5)).isEqualTo(3);
        assertThat(MerkleVerifier.inclusionProofLength(Long.MAX_VALUE - 1, Long.MAX_VALUE)).isEqualTo(62);
        assertThat(MerkleVerifier.inclusionProofLength(0, Long.MAX_VALUE)).isEqualTo(63);
        assertThat(MerkleVerifier.consistencyProofLength(1, 8)).isEqualTo(3);
        assertThat(MerkleVerifier.consistencyProofLength(6, 8)).isEqualTo(3);
        assertThat(MerkleVerifier.consistencyProofLength(2, 5)).isEqualTo(2);
        assertThat(MerkleVerifier.consistencyProofLength(4, 8)).isEqualTo(1);
        assertThat(MerkleVerifier.consistencyProofLength(0, 8)).isZero();
        assertThat(MerkleVerifier.consistencyProofLength(8, 8)).isZero();
        assertThatThrownBy(() -> MerkleVerifier.inclusionProofLength(8, 8))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleVerifier.consistencyProofLength(9, 8))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void absurdlyLongProofsAreRefused() {
        List<byte[]> huge = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            huge.add(SOME);
        }
        assertThat(MerkleVerifier.verifyInclusion(SOME, 0, Long.MAX_VALUE, huge, SOME)).isFalse();
        assertThat(MerkleVerifier.verifyConsistency(3, Long.MAX_VALUE, SOME, SOME, huge)).isFalse();
    }

    @Test
    void hugeIndicesDoNotOverflow() {
        // The right number of random hashes for the largest trees: well-formed, so it is hashed, and wrong.
        long size = Long.MAX_VALUE;
        for (long index : new long[] {0, 1, size / 2, size - 2, size - 1}) {
            byte[][] proof = new byte[MerkleVerifier.inclusionProofLength(index, size)][];
            Arrays.fill(proof, SOME);
            assertThat(MerkleVerifier.verifyInclusion(SOME, index, size, List.of(proof), SOME)).isFalse();
            assertThat(MerkleVerifier.rootFromInclusionProof(SOME, index, size, List.of(proof))).hasSize(32);
        }
        byte[][] proof = new byte[MerkleVerifier.consistencyProofLength(size - 2, size)][];
        Arrays.fill(proof, SOME);
        assertThat(MerkleVerifier.verifyConsistency(size - 2, size, SOME, SOME, List.of(proof))).isFalse();
    }
}
