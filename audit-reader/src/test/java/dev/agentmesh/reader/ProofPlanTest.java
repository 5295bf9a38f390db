package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.audit.merkle.LeafHashes;
import dev.agentmesh.audit.merkle.MerkleHash;
import dev.agentmesh.audit.merkle.MerkleProofs;
import dev.agentmesh.audit.merkle.MerkleVerifier;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The streamed proofs are the shared {@link MerkleProofs} ones, element for element, for every index and pair of
 * sizes of small trees (which cover every shape of the RFC's recursion up to 70 leaves).
 */
class ProofPlanTest {

    private static final int MAX = 70;
    private static final List<byte[]> LEAVES = leaves(MAX);

    @Test
    void inclusionProofsAreTheRfcOnes() {
        for (long size = 1; size <= MAX; size++) {
            for (long index = 0; index < size; index++) {
                List<byte[]> streamed = stream(ProofPlan.inclusion(index, size), size);
                List<byte[]> reference = MerkleProofs.inclusionProof(LeafHashes.of(LEAVES), index, size);
                assertThat(streamed).as("PATH(%d, D[%d])", index, size)
                        .usingElementComparator(ProofPlanTest::compare).containsExactlyElementsOf(reference);
                assertThat(MerkleVerifier.verifyInclusion(LEAVES.get((int) index), index, size, streamed,
                        MerkleProofs.root(LeafHashes.of(LEAVES), size))).isTrue();
            }
        }
    }

    @Test
    void consistencyProofsAreTheRfcOnes() {
        for (long newSize = 0; newSize <= MAX; newSize++) {
            for (long oldSize = 0; oldSize <= newSize; oldSize++) {
                List<byte[]> streamed = stream(ProofPlan.consistency(oldSize, newSize), newSize);
                List<byte[]> reference = MerkleProofs.consistencyProof(LeafHashes.of(LEAVES), oldSize, newSize);
                assertThat(streamed).as("PROOF(%d, D[%d])", oldSize, newSize)
                        .usingElementComparator(ProofPlanTest::compare).containsExactlyElementsOf(reference);
                assertThat(MerkleVerifier.verifyConsistency(oldSize, newSize,
                        MerkleProofs.root(LeafHashes.of(LEAVES), oldSize),
                        MerkleProofs.root(LeafHashes.of(LEAVES), newSize), streamed)).isTrue();
            }
        }
    }

    @Test
    void aProofIsNotReadyBeforeItsLastLeafAndRefusesLeavesOutOfOrder() {
        ProofPlan.Collector c = ProofPlan.inclusion(2, 8).collector();
        for (int i = 0; i < 7; i++) {
            c.add(i, LEAVES.get(i));
        }
        assertThat(c.complete()).isFalse();
        assertThatThrownBy(c::proof).isInstanceOf(IllegalStateException.class).hasMessageContaining("leaf 8");

        ProofPlan.Collector skipping = ProofPlan.inclusion(0, 8).collector();
        skipping.add(0, LEAVES.get(0));
        skipping.add(1, LEAVES.get(1));
        assertThatThrownBy(() -> skipping.add(3, LEAVES.get(3))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("out of order");
    }

    @Test
    void plansRejectWhatIsNotInTheTree() {
        assertThatThrownBy(() -> ProofPlan.inclusion(5, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProofPlan.inclusion(-1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProofPlan.consistency(6, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ProofPlan.consistency(5, 5).length()).isZero();
        assertThat(ProofPlan.inclusion(0, 1).length()).isZero();
        // 63 levels at most, whatever the size: the plan never depends on holding the leaves.
        assertThat(ProofPlan.inclusion(Long.MAX_VALUE - 1, Long.MAX_VALUE).length())
                .isEqualTo(MerkleVerifier.inclusionProofLength(Long.MAX_VALUE - 1, Long.MAX_VALUE));
    }

    private static List<byte[]> stream(ProofPlan plan, long size) {
        ProofPlan.Collector c = plan.collector();
        for (int i = 0; i < size; i++) {
            c.add(i, LEAVES.get(i));
        }
        assertThat(c.complete()).isTrue();
        return c.proof();
    }

    private static int compare(byte[] a, byte[] b) {
        return java.util.Arrays.compare(a, b);
    }

    private static List<byte[]> leaves(int n) {
        MerkleHash hash = new MerkleHash();
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(hash.leafHash(("leaf " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }
}
