package dev.agentmesh.audit.merkle;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hashes of an RFC 6962 Merkle tree (RFC 6962 §2.1, unchanged in RFC 9162 §2.1.1), with SHA-256:
 *
 * <ul>
 *   <li>leaf: {@code SHA-256(0x00 || data)}</li>
 *   <li>interior node: {@code SHA-256(0x01 || left || right)}</li>
 *   <li>the tree of no leaves: {@code SHA-256("")}</li>
 * </ul>
 *
 * <p>The one-byte prefixes are the second-preimage defence of the RFC: without them a 64-byte leaf could pass for an
 * interior node and a proof could claim a "leaf" that is really a subtree.
 *
 * <p>Not thread-safe: an instance reuses one {@link MessageDigest}, so keep one per thread. The {@code (…, out,
 * outOffset)} forms allocate nothing; the forms that return a {@code byte[]} allocate only the 32-byte result. The
 * output may overlap an input (the inputs are consumed before the output is written), which is what lets
 * {@link MerkleAccumulator} fold hashes in place.
 */
public final class MerkleHash {

    /** Length of every hash in the tree: SHA-256. */
    public static final int HASH_LENGTH = 32;

    /** Domain-separation prefix of a leaf hash (RFC 6962 §2.1). */
    static final byte LEAF_PREFIX = 0x00;

    /** Domain-separation prefix of an interior node hash (RFC 6962 §2.1). */
    static final byte NODE_PREFIX = 0x01;

    private static final byte[] EMPTY_ROOT = newSha256().digest();

    private final MessageDigest sha256;

    /** Creates a hasher over the JDK's SHA-256. */
    public MerkleHash() {
        this.sha256 = newSha256();
    }

    /**
     * The root of the tree of no leaves, {@code MTH({}) = SHA-256()} (RFC 6962 §2.1). Note that it is not the hash of
     * any leaf, not even of an empty one.
     *
     * @return a fresh copy of {@code e3b0c442…b855}
     */
    public static byte[] emptyRoot() {
        return EMPTY_ROOT.clone();
    }

    /** Writes the empty tree's root without allocating. */
    static void emptyRoot(byte[] out, int outOffset) {
        System.arraycopy(EMPTY_ROOT, 0, out, outOffset, HASH_LENGTH);
    }

    /**
     * @param data the whole leaf input
     * @return {@code SHA-256(0x00 || data)}, a new array
     */
    public byte[] leafHash(byte[] data) {
        byte[] out = new byte[HASH_LENGTH];
        leafHash(data, 0, data.length, out, 0);
        return out;
    }

    /**
     * Hashes a leaf without allocating.
     *
     * @param data buffer holding the leaf input
     * @param offset where it starts
     * @param length how many bytes
     * @param out receives the 32-byte hash at {@code outOffset}
     * @param outOffset where to put it
     */
    public void leafHash(byte[] data, int offset, int length, byte[] out, int outOffset) {
        checkRange(data, offset, length, "leaf data");
        checkRoom(out, outOffset);
        sha256.reset();
        sha256.update(LEAF_PREFIX);
        sha256.update(data, offset, length);
        finish(out, outOffset);
    }

    /**
     * @param left the left child's hash (32 bytes)
     * @param right the right child's hash (32 bytes)
     * @return {@code SHA-256(0x01 || left || right)}, a new array
     */
    public byte[] nodeHash(byte[] left, byte[] right) {
        checkHash(left, "left");
        checkHash(right, "right");
        byte[] out = new byte[HASH_LENGTH];
        nodeHash(left, 0, right, 0, out, 0);
        return out;
    }

    /**
     * Hashes an interior node without allocating. {@code out} may overlap either input.
     *
     * @param left buffer holding the left child's 32-byte hash
     * @param leftOffset where it starts
     * @param right buffer holding the right child's 32-byte hash
     * @param rightOffset where it starts
     * @param out receives {@code SHA-256(0x01 || left || right)} at {@code outOffset}
     * @param outOffset where to put it
     */
    public void nodeHash(byte[] left, int leftOffset, byte[] right, int rightOffset, byte[] out, int outOffset) {
        checkRange(left, leftOffset, HASH_LENGTH, "left hash");
        checkRange(right, rightOffset, HASH_LENGTH, "right hash");
        checkRoom(out, outOffset);
        sha256.reset();
        sha256.update(NODE_PREFIX);
        sha256.update(left, leftOffset, HASH_LENGTH);
        sha256.update(right, rightOffset, HASH_LENGTH);
        finish(out, outOffset);
    }

    private void finish(byte[] out, int outOffset) {
        try {
            sha256.digest(out, outOffset, HASH_LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 refused a 32-byte output", e);
        }
    }

    static void checkHash(byte[] hash, String what) {
        if (hash.length != HASH_LENGTH) {
            throw new IllegalArgumentException(what + " hash has " + hash.length + " bytes, not " + HASH_LENGTH);
        }
    }

    private static void checkRange(byte[] buffer, int offset, int length, String what) {
        if (offset < 0 || length < 0 || buffer.length - offset < length) {
            throw new IllegalArgumentException(
                    what + " [" + offset + ", +" + length + ") is outside a buffer of " + buffer.length + " bytes");
        }
    }

    private static void checkRoom(byte[] out, int outOffset) {
        if (outOffset < 0 || out.length - outOffset < HASH_LENGTH) {
            throw new IllegalArgumentException("no room for a hash at offset " + outOffset);
        }
    }

    /** @return a new SHA-256 digest; every JDK has one */
    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }
}
