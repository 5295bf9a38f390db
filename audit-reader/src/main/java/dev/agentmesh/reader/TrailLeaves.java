package dev.agentmesh.reader;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.format.ChainHasher;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.Utf8;
import dev.agentmesh.audit.merkle.MerkleHash;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Streams a trail's Merkle leaves, verifying its hash chain as it goes ({@link Trail#verify}): for each record, its
 * canonical bytes and its leaf hash {@code SHA-256(0x00 || canonical bytes)}. Memory is constant; nothing is kept
 * between records.
 *
 * <p>{@link Trail}'s sink hands on the decoded record and its chain hash, not the stored bytes, so the canonical
 * bytes are rebuilt with the shared {@link RecordEncoder}. They are proved to be the stored ones before use: they
 * must chain from the previous record's hash to this record's stored hash, {@code SHA-256(previous || bytes)}, which
 * the chain verifier has just checked against the stored bytes. Only a record the encoder cannot reproduce (a string
 * that is not valid UTF-8, a ring outside 0–3: nothing the agent writes) fails this, with a {@link Verdict} naming it.
 */
final class TrailLeaves {

    /** Receives each verified record with its canonical bytes and leaf hash, in trail order. */
    @FunctionalInterface
    interface Listener {
        /**
         * @param index the record's position, which is also its {@code seq}
         * @param record the decoded record
         * @param canonical buffer holding its canonical bytes from offset 0; reused, valid only during the call
         * @param length how many canonical bytes
         * @param leafHash its Merkle leaf hash, 32 bytes; reused, valid only during the call
         */
        void leaf(long index, AuditRecord record, byte[] canonical, int length, byte[] leafHash);
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
     * @throws Verdict ({@link ExitCodes#UNREADABLE}) if a record's canonical bytes cannot be rebuilt
     * @throws NotATrailException if {@code dir} holds no trail
     */
    static Trail.Summary read(Path dir, Listener listener) throws ChainBreak, Verdict {
        RecordEncoder encoder = new RecordEncoder();
        ChainHasher chain = new ChainHasher();
        MerkleHash merkle = new MerkleHash();
        byte[][] previous = {TrailFormat.zeroHash()};
        byte[] computed = new byte[TrailFormat.HASH_LENGTH];
        byte[] leaf = new byte[MerkleHash.HASH_LENGTH];
        long[] index = {0};
        try {
            return Trail.verify(dir, (record, chainHash) -> {
                try {
                    encode(encoder, record);
                } catch (IllegalArgumentException e) {
                    throw new NotReproducible(index[0], e.getMessage());
                }
                chain.chain(previous[0], encoder.buffer(), 0, encoder.length(), computed, 0);
                if (!MessageDigest.isEqual(computed, chainHash)) {
                    throw new NotReproducible(index[0], "its fields do not re-encode to the stored bytes");
                }
                merkle.leafHash(encoder.buffer(), 0, encoder.length(), leaf, 0);
                listener.leaf(index[0], record, encoder.buffer(), encoder.length(), leaf);
                previous[0] = chainHash;
                index[0]++;
            });
        } catch (NotReproducible e) {
            throw new Verdict(ExitCodes.UNREADABLE, "cannot rebuild the canonical bytes of record " + e.index
                    + " to prove it: " + e.getMessage());
        }
    }

    /** Encodes {@code r} again, field for field, as the writer did. */
    private static void encode(RecordEncoder encoder, AuditRecord r) {
        switch (r.type()) {
            case GENESIS:
                encoder.genesis(r.seq(), r.timeMillis(), Utf8.encode(r.writerId()), r.policyDigest(),
                        Utf8.encode(r.policySource()));
                break;
            case CALL_ALLOWED:
            case CALL_DENIED:
                encoder.decision(r.type(), r.seq(), r.timeMillis(), r.agentRing(), r.requiredRing(),
                        Utf8.encode(r.agentId()), Utf8.encode(r.sessionId()), Utf8.encode(r.className()),
                        Utf8.encode(r.methodName()), Utf8.encode(r.descriptor()), r.argsDigest());
                break;
            default:
                encoder.outcome(r.type(), r.seq(), r.timeMillis(), r.callSeq(), r.durationNanos(),
                        Utf8.encode(r.exceptionClass()));
                break;
        }
    }

    /** Carries the failure out of the sink, past {@link Trail}, which rethrows a sink's own exceptions as they are. */
    private static final class NotReproducible extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final long index;

        NotReproducible(long index, String reason) {
            super(reason, null, false, false);
            this.index = index;
        }
    }
}
