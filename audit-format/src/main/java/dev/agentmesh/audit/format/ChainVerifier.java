package dev.agentmesh.audit.format;

import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;

/**
 * Verifies a trail one stored record at a time, in order, in constant memory.
 *
 * <p>For the record at 0-based position {@code i} it checks that the stored hash equals
 * {@code SHA-256(previous hash || canonical bytes)}, that the bytes decode, that {@code seq == i}, that the trail
 * opens with a GENESIS record, and that an outcome closes an ALLOW that is still open. Memory grows only with the
 * calls still open: those in flight, and those whose JVM died mid-call.
 *
 * <p>A hash chain alone cannot show that records were cut off the end: compare {@link #headHash()} with a head
 * kept elsewhere.
 */
public final class ChainVerifier {

    private final ChainHasher hasher = new ChainHasher();
    private final byte[] previous = TrailFormat.zeroHash();
    private final byte[] computed = new byte[TrailFormat.HASH_LENGTH];
    private final Set<Long> openCalls = new HashSet<>();
    private long count;

    /**
     * Checks the next stored record: canonical bytes followed by the 32-byte chain hash.
     *
     * @param stored buffer holding the stored record from offset 0
     * @param length its length
     * @return the decoded record
     * @throws ChainBreak naming this record's position if it fails any check
     */
    public AuditRecord accept(byte[] stored, int length) throws ChainBreak {
        long index = count;
        int recordLength = length - TrailFormat.HASH_LENGTH;
        if (length > stored.length) {
            throw new ChainBreak(index, "length " + length + " exceeds the buffer");
        }
        if (recordLength < TrailFormat.HEADER_LENGTH) {
            throw new ChainBreak(index, "too short to be a record (" + length + " bytes)");
        }
        hasher.chain(previous, stored, 0, recordLength, computed, 0);
        if (!MessageDigest.isEqual(slice(stored, recordLength), computed)) {
            throw new ChainBreak(index, "hash mismatch: the record or the one before it was altered");
        }
        AuditRecord record;
        try {
            record = AuditRecord.decode(stored, 0, recordLength);
        } catch (MalformedRecordException e) {
            throw new ChainBreak(index, "malformed: " + e.getMessage());
        }
        if (record.seq() != index) {
            throw new ChainBreak(index, "sequence number " + record.seq() + " where " + index + " was expected");
        }
        if (index == 0 && record.type() != RecordType.GENESIS) {
            throw new ChainBreak(index, "the trail does not open with a GENESIS record");
        }
        if (record.type().isOutcome() && !openCalls.remove(record.callSeq())) {
            throw new ChainBreak(index, "outcome refers to call " + record.callSeq()
                    + ", which is not an earlier ALLOW still open");
        }
        if (record.type() == RecordType.CALL_ALLOWED) {
            openCalls.add(index);
        }
        System.arraycopy(computed, 0, previous, 0, TrailFormat.HASH_LENGTH);
        count++;
        return record;
    }

    /** @return how many records verified so far */
    public long count() {
        return count;
    }

    /** @return the hash of the last verified record: the head of the chain (zeros if none) */
    public byte[] headHash() {
        return previous.clone();
    }

    private byte[] slice(byte[] stored, int from) {
        byte[] hash = new byte[TrailFormat.HASH_LENGTH];
        System.arraycopy(stored, from, hash, 0, TrailFormat.HASH_LENGTH);
        return hash;
    }
}
