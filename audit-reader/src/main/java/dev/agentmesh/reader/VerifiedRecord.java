package dev.agentmesh.reader;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.RecordView;
import dev.agentmesh.audit.format.TrailFormat;
import java.util.Arrays;

/**
 * A record that has just verified against the chain, as {@link Trail} hands it to a sink: its canonical bytes, its
 * stored chain hash, an allocation-free {@link RecordView} of its fields, and, decoded only if asked for, an
 * {@link AuditRecord}. One instance is reused for every record, so it is valid only during the sink's call; copy
 * what must outlive it.
 */
final class VerifiedRecord {

    private RecordView view;
    private byte[] stored;
    private int length;
    private AuditRecord decoded;

    /**
     * @param checked the verifier's view of the record's canonical bytes, at offset 0 of {@code storedBytes}
     * @param storedBytes the stored record: canonical bytes, then the 32-byte chain hash
     * @param storedLength the stored record's length
     * @return this
     */
    VerifiedRecord set(RecordView checked, byte[] storedBytes, int storedLength) {
        this.view = checked;
        this.stored = storedBytes;
        this.length = storedLength;
        this.decoded = null;
        return this;
    }

    /** @return the fields, read in place */
    RecordView view() {
        return view;
    }

    /** @return the record decoded into an object (once per record, on first use) */
    AuditRecord record() {
        if (decoded == null) {
            decoded = view.toRecord();
        }
        return decoded;
    }

    /** @return the record's position in the trail, which is also its {@code seq} */
    long seq() {
        return view.seq();
    }

    /** @return its type */
    RecordType type() {
        return view.type();
    }

    /** @return a copy of its stored chain hash (32 bytes) */
    byte[] chainHash() {
        return Arrays.copyOfRange(stored, canonicalLength(), length);
    }

    /** @return the buffer holding the canonical bytes from offset 0 */
    byte[] canonical() {
        return stored;
    }

    /** @return how many canonical bytes: the stored record without its chain hash */
    int canonicalLength() {
        return length - TrailFormat.HASH_LENGTH;
    }
}
