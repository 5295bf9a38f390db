package dev.agentmesh.audit.format;

import java.util.Arrays;

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
    private final OpenCallSet openCalls = new OpenCallSet();
    private final RecordView view = new RecordView();
    private long count;

    /**
     * Checks the next stored record (canonical bytes followed by the 32-byte chain hash) and decodes it.
     *
     * @param stored buffer holding the stored record from offset 0
     * @param length its length
     * @return the decoded record
     * @throws ChainBreak naming this record's position if it fails any check
     */
    public AuditRecord accept(byte[] stored, int length) throws ChainBreak {
        return check(stored, length).toRecord();
    }

    /**
     * Checks the next stored record without decoding it into objects: the fast path for readers that stream
     * millions of records. Allocates nothing unless the record fails.
     *
     * @param stored buffer holding the stored record from offset 0
     * @param length its length
     * @return a view of the record's canonical bytes in {@code stored}, valid until the next call
     * @throws ChainBreak naming this record's position if it fails any check
     */
    public RecordView check(byte[] stored, int length) throws ChainBreak {
        long index = count;
        int recordLength = length - TrailFormat.HASH_LENGTH;
        if (length > stored.length) {
            throw new ChainBreak(index, "length " + length + " exceeds the buffer");
        }
        if (recordLength < TrailFormat.HEADER_LENGTH) {
            throw new ChainBreak(index, "too short to be a record (" + length + " bytes)");
        }
        hasher.chain(previous, stored, 0, recordLength, computed, 0);
        // Not a constant-time comparison: nothing here is secret.
        if (!Arrays.equals(stored, recordLength, length, computed, 0, TrailFormat.HASH_LENGTH)) {
            throw new ChainBreak(index, "hash mismatch: the record or the one before it was altered");
        }
        try {
            view.wrap(stored, 0, recordLength);
        } catch (MalformedRecordException e) {
            throw new ChainBreak(index, "malformed: " + e.getMessage());
        }
        if (view.seq() != index) {
            throw new ChainBreak(index, "sequence number " + view.seq() + " where " + index + " was expected");
        }
        RecordType type = view.type();
        if (index == 0 && type != RecordType.GENESIS) {
            throw new ChainBreak(index, "the trail does not open with a GENESIS record");
        }
        if (type.isOutcome() && !openCalls.remove(view.callSeq())) {
            throw new ChainBreak(index, "outcome refers to call " + view.callSeq()
                    + ", which is not an earlier ALLOW still open");
        }
        if (type == RecordType.CALL_ALLOWED) {
            openCalls.add(index);
        }
        System.arraycopy(computed, 0, previous, 0, TrailFormat.HASH_LENGTH);
        count++;
        return view;
    }

    /** @return how many records verified so far */
    public long count() {
        return count;
    }

    /** @return the hash of the last verified record: the head of the chain (zeros if none) */
    public byte[] headHash() {
        return previous.clone();
    }
}
