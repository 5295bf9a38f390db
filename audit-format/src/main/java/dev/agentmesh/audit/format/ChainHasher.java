package dev.agentmesh.audit.format;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Computes chain hashes: {@code SHA-256(previous hash || canonical bytes)}. Not thread-safe; keep one per thread.
 * It allocates nothing per hash.
 */
public final class ChainHasher {

    private final MessageDigest sha256;

    /** Creates a hasher over the JDK's SHA-256. */
    public ChainHasher() {
        this.sha256 = newSha256();
    }

    /**
     * Hashes one record onto the chain.
     *
     * @param previous the previous record's hash (32 bytes)
     * @param record buffer holding the canonical bytes
     * @param offset where they start
     * @param length how many
     * @param out receives the 32-byte hash at offset {@code outOffset}
     * @param outOffset where to put it
     */
    public void chain(byte[] previous, byte[] record, int offset, int length, byte[] out, int outOffset) {
        if (outOffset < 0 || out.length - outOffset < TrailFormat.HASH_LENGTH) {
            throw new IllegalArgumentException("no room for a hash at offset " + outOffset);
        }
        sha256.reset();
        sha256.update(previous, 0, TrailFormat.HASH_LENGTH);
        sha256.update(record, offset, length);
        try {
            sha256.digest(out, outOffset, TrailFormat.HASH_LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 refused a 32-byte output", e);
        }
    }

    /** @return a new SHA-256 digest; every JDK has one */
    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance(TrailFormat.HASH_ALGORITHM);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }
}
