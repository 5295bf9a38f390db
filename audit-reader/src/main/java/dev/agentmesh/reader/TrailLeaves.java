package dev.agentmesh.reader;

import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.merkle.MerkleHash;
import java.nio.file.Path;

/**
 * Streams a trail's Merkle leaves, verifying its hash chain as it goes ({@link Trail#verify}): for each record, its
 * canonical bytes, exactly as stored, and its leaf hash {@code SHA-256(0x00 || canonical bytes)}. Memory is
 * constant; nothing is kept between records.
 */
final class TrailLeaves {

    /** Receives each verified record's canonical bytes and leaf hash, in trail order. */
    @FunctionalInterface
    interface Listener {
        /**
         * @param index the record's position, which is also its {@code seq}
         * @param canonical buffer holding its canonical bytes from offset 0; reused, valid only during the call
         * @param length how many canonical bytes
         * @param leafHash its Merkle leaf hash, 32 bytes; reused, valid only during the call
         */
        void leaf(long index, byte[] canonical, int length, byte[] leafHash);
    }

    private TrailLeaves() {
    }

    /**
     * Verifies the whole trail in {@code dir}, handing each record's leaf to {@code listener}.
     *
     * @param dir the audit directory
     * @param listener receives the leaves
     * @return the summary of a trail that verified end to end
     * @throws ChainBreak at the first record that fails verification or cannot be read
     * @throws NotATrailException if {@code dir} holds no trail
     */
    static Trail.Summary read(Path dir, Listener listener) throws ChainBreak {
        MerkleHash merkle = new MerkleHash();
        byte[] leaf = new byte[MerkleHash.HASH_LENGTH];
        return Trail.verify(dir, record -> {
            merkle.leafHash(record.canonical(), 0, record.canonicalLength(), leaf, 0);
            listener.leaf(record.seq(), record.canonical(), record.canonicalLength(), leaf);
        });
    }
}
