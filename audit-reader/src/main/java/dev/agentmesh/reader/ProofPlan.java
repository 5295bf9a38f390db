package dev.agentmesh.reader;

import dev.agentmesh.audit.merkle.MerkleAccumulator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Which subtrees an RFC 6962 proof is made of, so the proof can be built while the trail streams past, in
 * O(log n) memory, instead of from a list of every leaf hash.
 *
 * <p>Every element of an inclusion proof ({@code PATH(m, D[n])}, RFC 6962 §2.1.1) and of a consistency proof
 * ({@code PROOF(m, D[n])}, §2.1.2) is the Merkle Tree Hash of one contiguous range of leaves, and the ranges of one
 * proof are disjoint. They depend only on the index and the sizes, so they are known before the read: the
 * {@link Collector} feeds each leaf into the range it falls in and keeps that range's root when its last leaf has
 * gone by. It holds one {@link MerkleAccumulator} (2 KiB) and at most 63 finished hashes, whatever the size of the
 * trail. The proofs are exactly those of {@code MerkleProofs} in the shared format module, element for element
 * ({@code ProofPlanTest} compares them).
 */
final class ProofPlan {

    /** The ranges {@code [lo, hi)}, in proof order: the lowest sibling first, as the RFC lists them. */
    private final long[] lo;
    private final long[] hi;

    private ProofPlan(List<long[]> topDown) {
        // The recursions below meet the top of the tree first; a proof lists its hashes from the bottom.
        List<long[]> ranges = new ArrayList<>(topDown);
        Collections.reverse(ranges);
        lo = new long[ranges.size()];
        hi = new long[ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            lo[i] = ranges.get(i)[0];
            hi[i] = ranges.get(i)[1];
        }
    }

    /**
     * The subtrees of {@code PATH(index, D[0:size])}.
     *
     * @param index the leaf to prove, {@code 0 <= index < size}
     * @param size the tree size
     * @return the plan
     * @throws IllegalArgumentException if the index is not in the tree
     */
    static ProofPlan inclusion(long index, long size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
        }
        List<long[]> ranges = new ArrayList<>();
        long lo = 0;
        long hi = size;
        while (hi - lo > 1) {
            long k = largestPowerOfTwoBelow(hi - lo);
            if (index < lo + k) {
                // PATH(m, D[lo:lo+k]) : MTH(D[lo+k:hi])
                ranges.add(new long[] {lo + k, hi});
                hi = lo + k;
            } else {
                // PATH(m - k, D[lo+k:hi]) : MTH(D[lo:lo+k])
                ranges.add(new long[] {lo, lo + k});
                lo += k;
            }
        }
        return new ProofPlan(ranges);
    }

    /**
     * The subtrees of {@code PROOF(oldSize, D[0:newSize])}; none when there is nothing to prove ({@code oldSize} 0 or
     * equal sizes), as in {@code MerkleProofs.consistencyProof}.
     *
     * @param oldSize the earlier size, {@code 0 <= oldSize <= newSize}
     * @param newSize the later size
     * @return the plan
     * @throws IllegalArgumentException if the sizes are out of order or negative
     */
    static ProofPlan consistency(long oldSize, long newSize) {
        if (oldSize < 0 || oldSize > newSize) {
            throw new IllegalArgumentException("no consistency proof from " + oldSize + " to " + newSize);
        }
        List<long[]> ranges = new ArrayList<>();
        if (oldSize == 0 || oldSize == newSize) {
            return new ProofPlan(ranges);
        }
        // SUBPROOF(m, D[lo:hi], b), with m counted from lo.
        long m = oldSize;
        long lo = 0;
        long hi = newSize;
        boolean whole = true;
        while (true) {
            long n = hi - lo;
            if (m == n) {
                if (!whole) {
                    ranges.add(new long[] {lo, hi});
                }
                break;
            }
            long k = largestPowerOfTwoBelow(n);
            if (m <= k) {
                // SUBPROOF(m, D[lo:lo+k], b) : MTH(D[lo+k:hi])
                ranges.add(new long[] {lo + k, hi});
                hi = lo + k;
            } else {
                // SUBPROOF(m - k, D[lo+k:hi], false) : MTH(D[lo:lo+k])
                ranges.add(new long[] {lo, lo + k});
                m -= k;
                lo += k;
                whole = false;
            }
        }
        return new ProofPlan(ranges);
    }

    /** @return how many hashes the proof has */
    int length() {
        return lo.length;
    }

    /** @return a collector that builds this proof from the leaf hashes, fed in order */
    Collector collector() {
        return new Collector();
    }

    /** @return the RFC's k for n >= 2: the largest power of two strictly below n */
    private static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }

    /** Takes the leaf hashes in leaf order and keeps the roots of the plan's subtrees. */
    final class Collector {

        /** Range numbers in leaf order; the ranges are disjoint, so one accumulator serves them in turn. */
        private final Integer[] byStart;
        private final byte[][] hashes = new byte[lo.length][];
        private int next;
        private MerkleAccumulator tree = new MerkleAccumulator();

        private Collector() {
            byStart = new Integer[lo.length];
            for (int i = 0; i < byStart.length; i++) {
                byStart[i] = i;
            }
            Arrays.sort(byStart, (a, b) -> Long.compare(lo[a], lo[b]));
        }

        /**
         * @param index the leaf's index; every leaf of the plan's ranges must come, in order
         * @param leafHash its 32-byte hash
         */
        void add(long index, byte[] leafHash) {
            if (next == byStart.length) {
                return;
            }
            int r = byStart[next];
            if (index < lo[r]) {
                return;
            }
            if (index != lo[r] + tree.size()) {
                throw new IllegalStateException("leaf " + index + " out of order; expected "
                        + (lo[r] + tree.size()));
            }
            tree.append(leafHash);
            if (index + 1 == hi[r]) {
                hashes[r] = tree.root();
                tree = new MerkleAccumulator();
                next++;
            }
        }

        /** @return whether every subtree of the plan has been seen whole */
        boolean complete() {
            return next == byStart.length;
        }

        /**
         * @return the proof, lowest sibling first
         * @throws IllegalStateException if some subtree's leaves have not all come
         */
        List<byte[]> proof() {
            if (!complete()) {
                throw new IllegalStateException("the leaves ended before leaf " + hi[byStart[next]]);
            }
            return List.of(hashes);
        }
    }
}
