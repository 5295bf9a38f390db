package dev.agentmesh.audit.merkle;

import static dev.agentmesh.audit.merkle.RfcReference.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every proof of every small tree, exhaustively: generated proofs equal the RFC's recursive definitions, verify, and
 * none of Trillian's corruptions of them verify. Sizes 1 to 64 cover every shape of the recursion up to six levels,
 * powers of two and the last leaf included.
 */
class MerkleProofsTest {

    private static final int MAX = 64;
    private static final List<byte[]> HASHES = RfcReference.randomLeafHashes(6962, MAX);
    private static final LeafHashes LEAVES = LeafHashes.of(HASHES);

    @Test
    void everyInclusionProofOfEveryTreeUpTo64Leaves() {
        int probes = 0;
        for (int n = 1; n <= MAX; n++) {
            List<byte[]> tree = HASHES.subList(0, n);
            byte[] root = RfcReference.mth(tree);
            assertThat(MerkleProofs.root(LEAVES, n)).isEqualTo(root);
            for (int i = 0; i < n; i++) {
                List<byte[]> proof = MerkleProofs.inclusionProof(LEAVES, i, n);
                assertThat(hex(proof)).as("PATH(%d, D[%d])", i, n).isEqualTo(hex(RfcReference.path(i, tree)));
                assertThat(proof).hasSize(MerkleVerifier.inclusionProofLength(i, n));
                assertThat(MerkleVerifier.verifyInclusion(HASHES.get(i), i, n, proof, root))
                        .as("leaf %d of %d", i, n).isTrue();
                assertThat(MerkleVerifier.rootFromInclusionProof(HASHES.get(i), i, n, proof)).isEqualTo(root);
                for (Probes.Inclusion probe : Probes.corruptInclusion(i, n, proof, root, HASHES.get(i))) {
                    assertThat(probe.verify()).as("leaf %d of %d: %s", i, n, probe.description()).isFalse();
                    probes++;
                }
            }
        }
        assertThat(probes).isGreaterThan(30_000);
    }

    @Test
    void everyConsistencyProofBetweenTreesUpTo64Leaves() {
        for (int n = 1; n <= MAX; n++) {
            List<byte[]> tree = HASHES.subList(0, n);
            byte[] newRoot = RfcReference.mth(tree);
            for (int m = 1; m <= n; m++) {
                byte[] oldRoot = RfcReference.mth(HASHES.subList(0, m));
                List<byte[]> proof = MerkleProofs.consistencyProof(LEAVES, m, n);
                assertThat(proof).hasSize(MerkleVerifier.consistencyProofLength(m, n));
                if (m == n) {
                    assertThat(proof).isEmpty();
                } else {
                    assertThat(hex(proof)).as("PROOF(%d, D[%d])", m, n).isEqualTo(hex(RfcReference.proof(m, tree)));
                }
                assertThat(MerkleVerifier.verifyConsistency(m, n, oldRoot, newRoot, proof))
                        .as("%d -> %d", m, n).isTrue();
                if (m < n) {
                    for (Probes.Consistency probe : Probes.corruptConsistency(m, n, oldRoot, newRoot, proof)) {
                        assertThat(probe.verify()).as("%d -> %d: %s", m, n, probe.description()).isFalse();
                    }
                }
            }
        }
    }

    @Test
    void consistencyFromTheEmptyTreeIsTheEmptyProof() {
        for (int n = 0; n <= 5; n++) {
            assertThat(MerkleProofs.consistencyProof(LEAVES, 0, n)).isEmpty();
            assertThat(MerkleVerifier.verifyConsistency(0, n, MerkleHash.emptyRoot(), MerkleProofs.root(LEAVES, n),
                    List.of())).isTrue();
        }
    }

    @Test
    void proofsReadOnlyTheLeavesBelowTheTreeSize() {
        // A source that grows: a proof for an older size must not depend on newer leaves.
        List<byte[]> growing = new ArrayList<>(HASHES.subList(0, 10));
        LeafHashes source = LeafHashes.of(growing);
        List<byte[]> before = MerkleProofs.inclusionProof(source, 3, 10);
        List<byte[]> consistencyBefore = MerkleProofs.consistencyProof(source, 6, 10);
        growing.addAll(HASHES.subList(10, 40));
        assertThat(MerkleProofs.inclusionProof(source, 3, 10)).containsExactlyElementsOf(before);
        assertThat(MerkleProofs.consistencyProof(source, 6, 10)).containsExactlyElementsOf(consistencyBefore);
        assertThat(MerkleProofs.root(source, 10)).isEqualTo(RfcReference.mth(HASHES.subList(0, 10)));
    }

    @Test
    void argumentsOutsideTheTreeAreRejected() {
        LeafHashes five = LeafHashes.of(HASHES.subList(0, 5));
        assertThatThrownBy(() -> MerkleProofs.inclusionProof(five, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleProofs.inclusionProof(five, 5, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleProofs.inclusionProof(five, -1, 5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleProofs.inclusionProof(five, 0, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleProofs.consistencyProof(five, 3, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleProofs.consistencyProof(five, -1, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleProofs.consistencyProof(five, 2, 6))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleProofs.root(five, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleProofs.root(five, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSourceWithABadLeafHashIsRejected() {
        List<byte[]> hashes = new ArrayList<>(HASHES.subList(0, 4));
        hashes.set(2, new byte[31]);
        LeafHashes bad = LeafHashes.of(hashes);
        assertThatThrownBy(() -> MerkleProofs.inclusionProof(bad, 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaf 2");
        assertThatThrownBy(() -> MerkleProofs.root(bad, 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void proofsAreUnmodifiable() {
        List<byte[]> proof = MerkleProofs.inclusionProof(LEAVES, 3, 10);
        assertThatThrownBy(() -> proof.add(new byte[32])).isInstanceOf(UnsupportedOperationException.class);
        List<byte[]> consistency = MerkleProofs.consistencyProof(LEAVES, 3, 10);
        assertThatThrownBy(consistency::clear).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theListViewChecksItsBounds() {
        LeafHashes two = LeafHashes.of(HASHES.subList(0, 2));
        assertThat(two.size()).isEqualTo(2);
        assertThat(two.leafHash(1)).isSameAs(HASHES.get(1));
        assertThatThrownBy(() -> two.leafHash(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> two.leafHash(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
