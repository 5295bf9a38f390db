package dev.agentmesh.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Trees far too big to build, up to {@code 2^63 - 1} leaves, made tractable by giving every leaf the same hash:
 * then the root of any subtree of {@code s} leaves depends only on {@code s}, and a perfect subtree of height
 * {@code h} has root {@code H(h) = node(H(h-1), H(h-1))}. That lets this test compute the RFC's PATH and PROOF
 * directly and check that the verifier's and accumulator's index arithmetic holds at sizes no random test reaches.
 * (Identical leaves make index mix-ups undetectable, so the negative checks here only tamper with hashes.)
 */
class HugeTreeTest {

    private static final byte[] LEAF = RfcReference.leafHash(new byte[] {7});
    /** PERFECT[h] = root of 2^h identical leaves. */
    private static final byte[][] PERFECT = new byte[64][];

    static {
        PERFECT[0] = LEAF;
        for (int h = 1; h < 64; h++) {
            PERFECT[h] = RfcReference.nodeHash(PERFECT[h - 1], PERFECT[h - 1]);
        }
    }

    /** MTH of s identical leaves, by the RFC recursion, which only ever splits off perfect left subtrees. */
    static byte[] mth(long s) {
        if (s == 0) {
            return RfcReference.sha256();
        }
        if (Long.bitCount(s) == 1) {
            return PERFECT[Long.numberOfTrailingZeros(s)];
        }
        long k = Long.highestOneBit(s - 1);
        return RfcReference.nodeHash(mth(k), mth(s - k));
    }

    static List<byte[]> path(long m, long n) {
        List<byte[]> topDown = new ArrayList<>();
        while (n > 1) {
            long k = Long.highestOneBit(n - 1);
            if (m < k) {
                topDown.add(mth(n - k));
                n = k;
            } else {
                topDown.add(mth(k));
                m -= k;
                n -= k;
            }
        }
        Collections.reverse(topDown);
        return topDown;
    }

    static List<byte[]> proof(long m, long n) {
        List<byte[]> topDown = new ArrayList<>();
        boolean whole = true;
        while (m != n) {
            long k = Long.highestOneBit(n - 1);
            if (m <= k) {
                topDown.add(mth(n - k));
                n = k;
            } else {
                topDown.add(mth(k));
                m -= k;
                n -= k;
                whole = false;
            }
        }
        if (!whole) {
            topDown.add(mth(n));
        }
        Collections.reverse(topDown);
        return topDown;
    }

    private static final long[] SIZES = {
        1L << 32, (1L << 32) + 1, (1L << 40) - 1, 1L << 62, (1L << 62) + 12345, Long.MAX_VALUE - 1, Long.MAX_VALUE,
    };

    @Test
    void theShortcutAgreesWithTheReferenceOnSmallTrees() {
        for (int n = 1; n <= 40; n++) {
            List<byte[]> leaves = Collections.nCopies(n, LEAF);
            assertThat(mth(n)).isEqualTo(RfcReference.mth(leaves));
            for (int m = 0; m < n; m++) {
                assertThat(path(m, n)).containsExactlyElementsOf(RfcReference.path(m, leaves));
                if (m > 0) {
                    assertThat(proof(m, n)).containsExactlyElementsOf(RfcReference.proof(m, leaves));
                }
            }
        }
    }

    @Test
    void inclusionInHugeTrees() {
        for (long n : SIZES) {
            byte[] root = mth(n);
            for (long index : new long[] {0, 1, n / 3, n / 2, n - 2, n - 1}) {
                if (index < 0 || index >= n) {
                    continue;
                }
                List<byte[]> proof = path(index, n);
                assertThat(proof).hasSize(MerkleVerifier.inclusionProofLength(index, n));
                assertThat(MerkleVerifier.verifyInclusion(LEAF, index, n, proof, root))
                        .as("leaf %d of %d", index, n).isTrue();
                for (int e = 0; e < proof.size(); e++) {
                    assertThat(MerkleVerifier.verifyInclusion(LEAF, index, n, RfcReference.flip(proof, e, 5, 1), root))
                            .isFalse();
                }
                assertThat(MerkleVerifier.verifyInclusion(LEAF, index, n, proof, RfcReference.flip(root, 0, 0)))
                        .isFalse();
            }
        }
    }

    @Test
    void consistencyBetweenHugeTrees() {
        for (long n : SIZES) {
            byte[] newRoot = mth(n);
            for (long m : new long[] {1, 2, 3, 1L << 31, n / 2, n - 1, n}) {
                if (m < 1 || m > n) {
                    continue;
                }
                byte[] oldRoot = mth(m);
                List<byte[]> proof = m == n ? List.of() : proof(m, n);
                assertThat(proof).hasSize(MerkleVerifier.consistencyProofLength(m, n));
                assertThat(MerkleVerifier.verifyConsistency(m, n, oldRoot, newRoot, proof))
                        .as("%d -> %d", m, n).isTrue();
                for (int e = 0; e < proof.size(); e++) {
                    assertThat(MerkleVerifier.verifyConsistency(m, n, oldRoot, newRoot,
                            RfcReference.flip(proof, e, 9, 2))).isFalse();
                }
                assertThat(MerkleVerifier.verifyConsistency(m, n, RfcReference.flip(oldRoot, 1, 1), newRoot, proof))
                        .isFalse();
                assertThat(MerkleVerifier.verifyConsistency(m, n, oldRoot, RfcReference.flip(newRoot, 1, 1), proof))
                        .isFalse();
            }
        }
    }

    @Test
    void theAccumulatorCarriesThroughAllSixtyThreeLevels() {
        for (long n : SIZES) {
            if (n > Long.MAX_VALUE - 2) {
                continue; // no room for two more leaves; the full tree is covered by MerkleAccumulatorTest
            }
            List<byte[]> peaks = new ArrayList<>();
            for (int h = 62; h >= 0; h--) {
                if ((n & (1L << h)) != 0) {
                    peaks.add(PERFECT[h]);
                }
            }
            MerkleAccumulator acc = MerkleAccumulator.restore(n, peaks);
            assertThat(acc.root()).as("size %d", n).isEqualTo(mth(n));
            acc.append(LEAF);
            acc.append(LEAF);
            assertThat(acc.size()).isEqualTo(n + 2);
            assertThat(acc.root()).as("size %d", n + 2).isEqualTo(mth(n + 2));
        }
        // 2^62 - 1 leaves: 62 peaks, and the next leaf carries through every one of them.
        long n = (1L << 62) - 1;
        List<byte[]> peaks = new ArrayList<>();
        for (int h = 61; h >= 0; h--) {
            peaks.add(PERFECT[h]);
        }
        MerkleAccumulator acc = MerkleAccumulator.restore(n, peaks);
        acc.append(LEAF);
        assertThat(acc.peaks()).containsExactly(PERFECT[62]);
        assertThat(acc.root()).isEqualTo(PERFECT[62]);
    }
}
