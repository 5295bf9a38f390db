package dev.agentmesh.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleAccumulatorTest {

    @Test
    void anEmptyAccumulatorHasTheEmptyRootAndNoPeaks() {
        MerkleAccumulator acc = new MerkleAccumulator();
        assertThat(acc.size()).isZero();
        assertThat(acc.root()).isEqualTo(MerkleHash.emptyRoot());
        assertThat(acc.peaks()).isEmpty();
    }

    @Test
    void aSingleLeafIsItsOwnRoot() {
        byte[] leaf = RfcReference.leafHash(new byte[] {42});
        MerkleAccumulator acc = new MerkleAccumulator();
        acc.append(leaf);
        assertThat(acc.size()).isEqualTo(1);
        assertThat(acc.root()).isEqualTo(leaf);
    }

    @Test
    void atPowersOfTwoThereIsOnePeakAndItIsTheRoot() {
        List<byte[]> leaves = RfcReference.randomLeafHashes(7, 1024);
        MerkleAccumulator acc = new MerkleAccumulator();
        for (int n = 1; n <= leaves.size(); n++) {
            acc.append(leaves.get(n - 1));
            assertThat(acc.peaks()).as("size %d", n).hasSize(Integer.bitCount(n));
            if (Integer.bitCount(n) == 1) {
                assertThat(acc.peaks().get(0)).as("size %d", n).isEqualTo(RfcReference.mth(leaves.subList(0, n)));
                assertThat(acc.root()).isEqualTo(acc.peaks().get(0));
            }
        }
    }

    @Test
    void peaksAreThePerfectSubtreesLargestFirst() {
        List<byte[]> leaves = RfcReference.randomLeafHashes(13, 13);
        MerkleAccumulator acc = new MerkleAccumulator();
        leaves.forEach(acc::append);
        // 13 = 8 + 4 + 1
        assertThat(acc.peaks()).containsExactly(
                RfcReference.mth(leaves.subList(0, 8)),
                RfcReference.mth(leaves.subList(8, 12)),
                RfcReference.mth(leaves.subList(12, 13)));
    }

    @Test
    void rootDoesNotDisturbTheAccumulator() {
        List<byte[]> leaves = RfcReference.randomLeafHashes(3, 20);
        MerkleAccumulator probed = new MerkleAccumulator();
        MerkleAccumulator plain = new MerkleAccumulator();
        for (byte[] leaf : leaves) {
            probed.root();
            probed.root(new byte[32], 0);
            probed.append(leaf);
            plain.append(leaf);
        }
        assertThat(probed.root()).isEqualTo(plain.root()).isEqualTo(RfcReference.mth(leaves));
        assertThat(probed.peaks()).containsExactlyElementsOf(plain.peaks());
    }

    @Test
    void appendFormsAgree() {
        List<byte[]> data = List.of(new byte[0], new byte[] {1}, new byte[] {2, 3}, new byte[] {4, 5, 6});
        MerkleAccumulator byHash = new MerkleAccumulator();
        MerkleAccumulator byOffset = new MerkleAccumulator();
        MerkleAccumulator byData = new MerkleAccumulator();
        List<byte[]> hashes = new ArrayList<>();
        for (byte[] d : data) {
            byte[] hash = RfcReference.leafHash(d);
            hashes.add(hash);
            byHash.append(hash);
            byte[] padded = new byte[40];
            System.arraycopy(hash, 0, padded, 5, 32);
            byOffset.append(padded, 5);
            byte[] framed = new byte[d.length + 3];
            System.arraycopy(d, 0, framed, 1, d.length);
            byData.appendData(framed, 1, d.length);
        }
        byte[] expected = RfcReference.mth(hashes);
        assertThat(byHash.root()).isEqualTo(expected);
        assertThat(byOffset.root()).isEqualTo(expected);
        assertThat(byData.root()).isEqualTo(expected);
    }

    @Test
    void rootIntoABufferWritesOnlyItsSlot() {
        MerkleAccumulator acc = new MerkleAccumulator();
        RfcReference.randomLeafHashes(5, 11).forEach(acc::append);
        byte[] out = new byte[40];
        acc.root(out, 4);
        assertThat(Arrays.copyOfRange(out, 4, 36)).isEqualTo(acc.root());
        assertThat(Arrays.copyOfRange(out, 0, 4)).containsOnly(0);
        assertThat(Arrays.copyOfRange(out, 36, 40)).containsOnly(0);
        assertThatThrownBy(() -> acc.root(new byte[40], 9)).isInstanceOf(IllegalArgumentException.class);

        byte[] empty = new byte[32];
        new MerkleAccumulator().root(empty, 0);
        assertThat(empty).isEqualTo(MerkleHash.emptyRoot());
    }

    @Test
    void restoreFromPeaksContinuesExactlyLikeTheOriginal() {
        List<byte[]> leaves = RfcReference.randomLeafHashes(21, 100);
        for (int split = 0; split <= 100; split += 7) {
            MerkleAccumulator original = new MerkleAccumulator();
            leaves.subList(0, split).forEach(original::append);
            MerkleAccumulator restored = MerkleAccumulator.restore(original.size(), original.peaks());
            assertThat(restored.root()).isEqualTo(original.root());
            leaves.subList(split, 100).forEach(restored::append);
            assertThat(restored.size()).isEqualTo(100);
            assertThat(restored.root()).as("split at %d", split).isEqualTo(RfcReference.mth(leaves));
        }
    }

    @Test
    void restoreRejectsPeaksThatDoNotFitTheSize() {
        byte[] hash = new byte[32];
        assertThatThrownBy(() -> MerkleAccumulator.restore(-1, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleAccumulator.restore(3, List.of(hash)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleAccumulator.restore(4, List.of(hash, hash)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MerkleAccumulator.restore(1, List.of(new byte[31])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(MerkleAccumulator.restore(0, List.of()).root()).isEqualTo(MerkleHash.emptyRoot());
    }

    @Test
    void aCopyIsIndependent() {
        List<byte[]> leaves = RfcReference.randomLeafHashes(8, 10);
        MerkleAccumulator acc = new MerkleAccumulator();
        leaves.subList(0, 5).forEach(acc::append);
        MerkleAccumulator copy = acc.copy();
        leaves.subList(5, 10).forEach(acc::append);
        assertThat(copy.size()).isEqualTo(5);
        assertThat(copy.root()).isEqualTo(RfcReference.mth(leaves.subList(0, 5)));
        assertThat(acc.root()).isEqualTo(RfcReference.mth(leaves));
    }

    @Test
    void badLeafHashesAreRejectedWithoutChangingTheState() {
        MerkleAccumulator acc = new MerkleAccumulator();
        acc.append(new byte[32]);
        byte[] before = acc.root();
        assertThatThrownBy(() -> acc.append(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> acc.append(new byte[33])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> acc.append(new byte[40], 9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> acc.appendData(new byte[4], 3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(acc.size()).isEqualTo(1);
        assertThat(acc.root()).isEqualTo(before);
    }

    @Test
    void aFullTreeRefusesMoreLeaves() {
        List<byte[]> peaks = new ArrayList<>();
        for (int i = 0; i < 63; i++) {
            peaks.add(RfcReference.leafHash(new byte[] {(byte) i}));
        }
        MerkleAccumulator full = MerkleAccumulator.restore(Long.MAX_VALUE, peaks);
        assertThat(full.root()).hasSize(32);
        assertThatThrownBy(() -> full.append(new byte[32])).isInstanceOf(IllegalStateException.class);
        assertThat(full.size()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void appendingAllocatesNothing() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        MerkleAccumulator acc = new MerkleAccumulator();
        byte[] leaf = RfcReference.leafHash(new byte[] {1});
        byte[] data = new byte[100];
        for (int i = 0; i < 20_000; i++) { // warm up, so class loading and the like are not counted
            acc.append(leaf);
            acc.appendData(data, 0, data.length);
        }
        int appends = 200_000;
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < appends / 2; i++) {
            acc.append(leaf);
            acc.appendData(data, 0, data.length);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // A single 32-byte array per append would be > 48 bytes each; allow only measurement noise.
        assertThat(allocated).as("bytes allocated by %d appends", appends).isLessThan(16_384);
        assertThat(acc.size()).isEqualTo(40_000 + appends);
    }
}
