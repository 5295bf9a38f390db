package dev.agentmesh.audit.merkle;

import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;

/**
 * Verifies RFC 6962 inclusion and consistency proofs with the iterative algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2,
 * which need neither the tree nor recursion: only the proof, the sizes and the roots. The proofs are those of RFC 6962
 * §2.1.1 and §2.1.2 (RFC 9162 §2.1.3.1 and §2.1.4.1), as {@link MerkleProofs} or any other RFC 6962 log builds them.
 *
 * <h2>Malformed input</h2>
 *
 * <p>The {@code verify} methods are meant for untrusted input, a proof and sizes from a server and roots from
 * checkpoints, so they never throw for it: anything that cannot be a valid proof of the claim is a {@code false}. That
 * covers an index at or past the tree size, a negative size or index, an old size past the new size, a proof of the
 * wrong length (RFC 9162 fixes the length from the sizes, and it is checked before any hashing, so an over-long proof
 * costs nothing), a proof element, leaf hash or root that is not 32 bytes. A {@code null} argument or proof element is
 * a programming error and throws {@link NullPointerException}. {@link #rootFromInclusionProof} has no {@code false}
 * to return and throws {@link IllegalArgumentException} instead.
 *
 * <p>Beyond the RFCs, which leave them undefined: a consistency proof from size 0 must be empty and is valid iff the
 * old root is {@link MerkleHash#emptyRoot()} (every tree extends the empty tree, but a checkpoint of size 0 claiming
 * another root is malformed); a consistency proof between equal sizes must be empty and is valid iff the roots are
 * equal.
 *
 * <p>The methods are static and thread-safe; each call uses its own digest. Hashes are compared with
 * {@link MessageDigest#isEqual}.
 */
public final class MerkleVerifier {

    private static final int HASH = MerkleHash.HASH_LENGTH;

    private MerkleVerifier() {
    }

    /**
     * Checks that {@code leafHash} is leaf {@code index} of the tree of {@code treeSize} leaves whose root is
     * {@code root} (RFC 9162 §2.1.3.2).
     *
     * @param leafHash the leaf's hash, {@code SHA-256(0x00 || data)}, not the data
     * @param index the leaf's index, 0-based
     * @param treeSize the size of the tree the root is of
     * @param proof the audit path, lowest sibling first
     * @param root the tree's root, e.g. from a signed checkpoint of {@code treeSize}
     * @return whether the proof shows the inclusion; {@code false} for any malformed input
     * @throws NullPointerException if an argument or proof element is null
     */
    public static boolean verifyInclusion(byte[] leafHash, long index, long treeSize, List<byte[]> proof, byte[] root) {
        Objects.requireNonNull(root, "root");
        byte[] computed = computeInclusionRoot(leafHash, index, treeSize, proof);
        return computed != null && root.length == HASH && MessageDigest.isEqual(computed, root);
    }

    /**
     * Computes the root that an inclusion proof implies (RFC 9162 §2.1.3.2, steps 1–4), for callers that look the
     * root up afterwards, e.g. among several checkpoints of the same size. A root computed from a proof means nothing
     * until it is compared with a trusted one.
     *
     * @param leafHash the leaf's 32-byte hash
     * @param index the leaf's index, {@code 0 <= index < treeSize}
     * @param treeSize the size of the tree
     * @param proof the audit path, exactly {@link #inclusionProofLength inclusionProofLength(index, treeSize)}
     *     32-byte hashes
     * @return the 32-byte root of a tree of {@code treeSize} leaves in which this leaf is at {@code index}
     * @throws IllegalArgumentException if the input is malformed in any of the ways listed on the class
     * @throws NullPointerException if an argument or proof element is null
     */
    public static byte[] rootFromInclusionProof(byte[] leafHash, long index, long treeSize, List<byte[]> proof) {
        String problem = inclusionProblem(leafHash, index, treeSize, proof);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return computeInclusionRoot(leafHash, index, treeSize, proof);
    }

    /**
     * Checks that the tree of {@code oldSize} leaves with root {@code oldRoot} is a prefix of the tree of
     * {@code newSize} leaves with root {@code newRoot} (RFC 9162 §2.1.4.2): that the log only appended in between.
     *
     * @param oldSize the earlier tree size
     * @param newSize the later tree size
     * @param oldRoot the earlier root
     * @param newRoot the later root
     * @param proof the consistency proof, as {@link MerkleProofs#consistencyProof} or any RFC 6962 log builds it
     * @return whether the proof shows consistency; {@code false} for any malformed input
     * @throws NullPointerException if an argument or proof element is null
     */
    public static boolean verifyConsistency(long oldSize, long newSize, byte[] oldRoot, byte[] newRoot,
            List<byte[]> proof) {
        Objects.requireNonNull(oldRoot, "oldRoot");
        Objects.requireNonNull(newRoot, "newRoot");
        Objects.requireNonNull(proof, "proof");
        for (byte[] element : proof) {
            Objects.requireNonNull(element, "proof element");
        }
        if (oldSize < 0 || oldSize > newSize || oldRoot.length != HASH || newRoot.length != HASH) {
            return false;
        }
        if (oldSize == 0 && !MessageDigest.isEqual(oldRoot, MerkleHash.emptyRoot())) {
            return false; // a tree of no leaves has exactly one root
        }
        if (oldSize == newSize) {
            return proof.isEmpty() && MessageDigest.isEqual(oldRoot, newRoot);
        }
        if (oldSize == 0) {
            return proof.isEmpty(); // every tree extends the empty one
        }
        // 0 < oldSize < newSize from here: the RFC's case. Step 1 (an empty proof fails) is part of the length check.
        if (proof.size() != consistencyProofLength(oldSize, newSize) || !allHashes(proof)) {
            return false;
        }
        MerkleHash hasher = new MerkleHash();
        // Step 2: if the old tree is a perfect subtree, the proof omits its root, which the verifier has.
        boolean oldIsPerfect = Long.bitCount(oldSize) == 1;
        int next = oldIsPerfect ? 0 : 1;
        byte[] seed = oldIsPerfect ? oldRoot : proof.get(0);
        // Step 3.
        long fn = oldSize - 1;
        long sn = newSize - 1;
        // Step 4: skip the levels where the old tree's last leaf is a right child all the way up to the seed.
        while ((fn & 1) != 0) {
            fn >>>= 1;
            sn >>>= 1;
        }
        // Step 5: fr rebuilds the old root, sr the new one, from the same seed.
        byte[] fr = seed.clone();
        byte[] sr = seed.clone();
        // Step 6.
        for (int i = next; i < proof.size(); i++) {
            byte[] c = proof.get(i);
            if (sn == 0) {
                return false; // 6a; unreachable after the length check, kept as the RFC's own guard
            }
            if ((fn & 1) != 0 || fn == sn) {
                hasher.nodeHash(c, 0, fr, 0, fr, 0);
                hasher.nodeHash(c, 0, sr, 0, sr, 0);
                if ((fn & 1) == 0) {
                    // on the right edge of the new tree: the levels where we are a lone left child add no sibling
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
            } else {
                // c is right of everything in the old tree, so it only counts towards the new root
                hasher.nodeHash(sr, 0, c, 0, sr, 0);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        // Step 7.
        return sn == 0 && MessageDigest.isEqual(fr, oldRoot) && MessageDigest.isEqual(sr, newRoot);
    }

    /**
     * The number of hashes in the inclusion proof of leaf {@code index} in a tree of {@code treeSize} leaves: one per
     * level below the point where the leaf's path leaves the tree's right edge, plus one per perfect subtree to its
     * left above that point. Useful to bound a proof before reading it.
     *
     * @param index {@code 0 <= index < treeSize}
     * @param treeSize the tree size
     * @return the proof length, 0 to 63
     * @throws IllegalArgumentException if the index is not in the tree
     */
    public static int inclusionProofLength(long index, long treeSize) {
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + treeSize + " leaves");
        }
        // Levels below the node where the paths to the leaf and to the last leaf meet: siblings inside a perfect
        // subtree. Above it the leaf is on the right edge, and each left sibling there is a set bit of index.
        int inner = 64 - Long.numberOfLeadingZeros(index ^ (treeSize - 1));
        int border = Long.bitCount(index >>> inner);
        return inner + border;
    }

    /**
     * The number of hashes in the consistency proof from {@code oldSize} to {@code newSize}.
     *
     * @param oldSize the earlier size, {@code 0 <= oldSize <= newSize}
     * @param newSize the later size
     * @return the proof length, 0 when there is nothing to prove ({@code oldSize} 0 or equal sizes)
     * @throws IllegalArgumentException if the sizes are out of order or negative
     */
    public static int consistencyProofLength(long oldSize, long newSize) {
        if (oldSize < 0 || oldSize > newSize) {
            throw new IllegalArgumentException("no consistency proof from size " + oldSize + " to size " + newSize);
        }
        if (oldSize == 0 || oldSize == newSize) {
            return 0;
        }
        // The proof is the inclusion proof of the old tree's last leaf in the new tree, without the levels inside
        // the old tree's rightmost perfect subtree (its root stands in for them), plus that root unless it is the
        // whole old tree.
        int shift = Long.numberOfTrailingZeros(oldSize);
        int start = oldSize == (1L << shift) ? 0 : 1;
        return start + inclusionProofLength(oldSize - 1, newSize) - shift;
    }

    /** @return the root implied by a well-formed inclusion proof, or null if it is malformed */
    private static byte[] computeInclusionRoot(byte[] leafHash, long index, long treeSize, List<byte[]> proof) {
        if (inclusionProblem(leafHash, index, treeSize, proof) != null) {
            return null;
        }
        MerkleHash hasher = new MerkleHash();
        // Steps 2 and 3.
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leafHash.clone();
        // Step 4.
        for (byte[] p : proof) {
            if (sn == 0) {
                return null; // 4a; unreachable after the length check, kept as the RFC's own guard
            }
            if ((fn & 1) != 0 || fn == sn) {
                if ((fn & 1) == 0) {
                    // on the right edge: levels where we are a lone left child have no sibling in the proof
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>>= 1;
                        sn >>>= 1;
                    }
                }
                hasher.nodeHash(p, 0, r, 0, r, 0);
            } else {
                hasher.nodeHash(r, 0, p, 0, r, 0);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        // Step 5, the size half: a proof that ends below the root proves nothing.
        return sn == 0 ? r : null;
    }

    /** @return why an inclusion claim is malformed, or null if it is well-formed */
    private static String inclusionProblem(byte[] leafHash, long index, long treeSize, List<byte[]> proof) {
        Objects.requireNonNull(leafHash, "leafHash");
        Objects.requireNonNull(proof, "proof");
        for (byte[] element : proof) {
            Objects.requireNonNull(element, "proof element");
        }
        // Step 1, and what it implies: a leaf of a tree is at an index below its size.
        if (index < 0 || index >= treeSize) {
            return "leaf " + index + " is not in a tree of " + treeSize + " leaves";
        }
        if (leafHash.length != HASH) {
            return "leaf hash has " + leafHash.length + " bytes, not " + HASH;
        }
        int expected = inclusionProofLength(index, treeSize);
        if (proof.size() != expected) {
            return "proof has " + proof.size() + " hashes; leaf " + index + " of " + treeSize + " needs " + expected;
        }
        if (!allHashes(proof)) {
            return "proof has an element that is not a " + HASH + "-byte hash";
        }
        return null;
    }

    private static boolean allHashes(List<byte[]> proof) {
        for (byte[] element : proof) {
            if (element.length != HASH) {
                return false;
            }
        }
        return true;
    }
}
