package dev.agentmesh.audit.merkle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Builds RFC 6962 proofs over a {@link LeafHashes} source: Merkle audit paths (inclusion proofs, RFC 6962 §2.1.1,
 * RFC 9162 §2.1.3.1) and consistency proofs (RFC 6962 §2.1.2, RFC 9162 §2.1.4.1). The proofs are exactly the RFC's
 * {@code PATH(m, D[n])} and {@code PROOF(m, D[n])}, element for element and in the RFC's order (from the leaf's
 * sibling upwards), so any RFC 6962 verifier, {@link MerkleVerifier} among them, accepts them.
 *
 * <p>Cost: the builders follow the RFC's recursion, which splits at the largest power of two below the subtree size,
 * and hash every subtree they need from its leaves with a {@link MerkleAccumulator}. The subtrees of one proof are
 * disjoint, so a proof for a tree of {@code n} leaves reads each of at most {@code n} leaf hashes once and costs about
 * {@code n} node hashes: O(n) time, O(log n) memory. That is fine for trails of up to millions of records; a reader
 * that needs many proofs over a big trail should cache the roots of perfect subtrees (which never change once
 * complete) rather than rehash leaves, without changing the proofs.
 *
 * <p>The methods are static and thread-safe (each call uses its own digest); the source must be too, if shared.
 */
public final class MerkleProofs {

    private MerkleProofs() {
    }

    /**
     * The Merkle Tree Hash {@code MTH(D[0:treeSize])} of the first {@code treeSize} leaves (RFC 6962 §2.1), the root a
     * checkpoint of that size must carry.
     *
     * @param leaves the leaf hashes
     * @param treeSize {@code 0 <= treeSize <= leaves.size()}
     * @return the 32-byte root; {@link MerkleHash#emptyRoot()} for size 0
     * @throws IllegalArgumentException if the size is out of range or a leaf hash is not 32 bytes
     */
    public static byte[] root(LeafHashes leaves, long treeSize) {
        checkTreeSize(leaves, treeSize);
        return subtreeRoot(leaves, 0, treeSize, new MerkleAccumulator());
    }

    /**
     * The inclusion proof (audit path) {@code PATH(index, D[0:treeSize])} of RFC 6962 §2.1.1: the hashes of the
     * siblings on the way from leaf {@code index} up to the root of the tree of the first {@code treeSize} leaves,
     * lowest first. It has between 0 (a tree of one leaf) and 63 elements; see
     * {@link MerkleVerifier#inclusionProofLength}.
     *
     * @param leaves the leaf hashes
     * @param index the leaf to prove, {@code 0 <= index < treeSize}
     * @param treeSize the size of the tree to prove it in, {@code treeSize <= leaves.size()}
     * @return the proof, an unmodifiable list of fresh 32-byte arrays
     * @throws IllegalArgumentException if the index or size is out of range, or a leaf hash is not 32 bytes
     */
    public static List<byte[]> inclusionProof(LeafHashes leaves, long index, long treeSize) {
        checkTreeSize(leaves, treeSize);
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + treeSize + " leaves");
        }
        MerkleAccumulator scratch = new MerkleAccumulator();
        // The RFC appends each level's sibling after the deeper path, so walk top-down and reverse at the end.
        List<byte[]> topDown = new ArrayList<>(64);
        long lo = 0;
        long hi = treeSize;
        long m = index;
        while (hi - lo > 1) {
            long k = largestPowerOfTwoBelow(hi - lo);
            if (m < k) {
                // PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])
                topDown.add(subtreeRoot(leaves, lo + k, hi, scratch));
                hi = lo + k;
            } else {
                // PATH(m, D[n]) = PATH(m - k, D[k:n]) : MTH(D[0:k])
                topDown.add(subtreeRoot(leaves, lo, lo + k, scratch));
                lo += k;
                m -= k;
            }
        }
        Collections.reverse(topDown);
        return Collections.unmodifiableList(topDown);
    }

    /**
     * The consistency proof {@code PROOF(oldSize, D[0:newSize])} of RFC 6962 §2.1.2: the fewest hashes from which the
     * holder of the old root can check that the tree of the first {@code oldSize} leaves is a prefix of the tree of
     * the first {@code newSize} leaves, and compute the new root.
     *
     * <p>The RFC defines it for {@code 0 < oldSize < newSize}. For {@code oldSize == newSize} and for
     * {@code oldSize == 0} there is nothing to prove and this returns the empty proof, which
     * {@link MerkleVerifier#verifyConsistency} accepts exactly when the roots are equal, resp. when the old root is the
     * empty tree's.
     *
     * @param leaves the leaf hashes
     * @param oldSize the earlier size, {@code 0 <= oldSize <= newSize}
     * @param newSize the later size, {@code newSize <= leaves.size()}
     * @return the proof, an unmodifiable list of fresh 32-byte arrays
     * @throws IllegalArgumentException if a size is out of range or a leaf hash is not 32 bytes
     */
    public static List<byte[]> consistencyProof(LeafHashes leaves, long oldSize, long newSize) {
        checkTreeSize(leaves, newSize);
        if (oldSize < 0 || oldSize > newSize) {
            throw new IllegalArgumentException(
                    "no consistency proof from size " + oldSize + " to size " + newSize);
        }
        if (oldSize == 0 || oldSize == newSize) {
            return List.of();
        }
        MerkleAccumulator scratch = new MerkleAccumulator();
        List<byte[]> topDown = new ArrayList<>(64);
        long lo = 0;
        long hi = newSize;
        long m = oldSize;
        // The RFC's flag b: is D[lo:lo+m] still the whole old tree, whose root the verifier already has?
        boolean wholeOldTree = true;
        while (m != hi - lo) {
            long k = largestPowerOfTwoBelow(hi - lo);
            if (m <= k) {
                // SUBPROOF(m, D[n], b) = SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
                topDown.add(subtreeRoot(leaves, lo + k, hi, scratch));
                hi = lo + k;
            } else {
                // SUBPROOF(m, D[n], b) = SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
                topDown.add(subtreeRoot(leaves, lo, lo + k, scratch));
                lo += k;
                m -= k;
                wholeOldTree = false;
            }
        }
        // SUBPROOF(m, D[m], true) = {}; SUBPROOF(m, D[m], false) = {MTH(D[m])}
        if (!wholeOldTree) {
            topDown.add(subtreeRoot(leaves, lo, hi, scratch));
        }
        Collections.reverse(topDown);
        return Collections.unmodifiableList(topDown);
    }

    /** @return the RFC's k for a subtree of n >= 2 leaves: the largest power of two strictly below n */
    static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }

    private static void checkTreeSize(LeafHashes leaves, long treeSize) {
        long available = leaves.size();
        if (treeSize < 0 || treeSize > available) {
            throw new IllegalArgumentException(
                    "tree size " + treeSize + " is outside the " + available + " leaves available");
        }
    }

    /** @return {@code MTH(D[lo:hi])}, hashed leaf by leaf through {@code scratch} */
    private static byte[] subtreeRoot(LeafHashes leaves, long lo, long hi, MerkleAccumulator scratch) {
        scratch.clear();
        for (long i = lo; i < hi; i++) {
            byte[] leafHash = leaves.leafHash(i);
            if (leafHash.length != MerkleHash.HASH_LENGTH) {
                throw new IllegalArgumentException(
                        "leaf " + i + " has a hash of " + leafHash.length + " bytes, not " + MerkleHash.HASH_LENGTH);
            }
            scratch.append(leafHash, 0);
        }
        return scratch.root();
    }
}
