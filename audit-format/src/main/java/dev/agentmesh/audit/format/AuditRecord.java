package dev.agentmesh.audit.format;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One decoded record, for readers. Fields a record's type does not carry are empty strings, zero or {@code -1}.
 * Writers never build these: they encode straight into bytes with {@link RecordEncoder}.
 */
public final class AuditRecord {

    private final RecordType type;
    private final int version;
    private final long seq;
    private final long timeMillis;
    // GENESIS
    private final String writerId;
    private final byte[] policyDigest;
    private final String policySource;
    // decisions
    private final int agentRing;
    private final int requiredRing;
    private final String agentId;
    private final String sessionId;
    private final String className;
    private final String methodName;
    private final String descriptor;
    private final byte[] argsDigest;
    // outcomes
    private final long callSeq;
    private final long durationNanos;
    private final String exceptionClass;

    private AuditRecord(Reader r) {
        this.version = r.u8();
        if (version != TrailFormat.VERSION) {
            throw new MalformedRecordException("unsupported format version " + version);
        }
        this.type = RecordType.ofCode((byte) r.u8());
        this.seq = r.i64();
        this.timeMillis = r.i64();
        String writer = "";
        byte[] policy = null;
        String source = "";
        int held = -1;
        int required = -1;
        String agent = "";
        String session = "";
        String cls = "";
        String name = "";
        String desc = "";
        byte[] args = null;
        long call = -1;
        long duration = -1;
        String thrown = "";
        switch (type) {
            case GENESIS:
                writer = r.string();
                policy = r.digest();
                source = r.string();
                break;
            case CALL_ALLOWED:
            case CALL_DENIED:
                held = r.u8();
                required = r.u8();
                agent = r.string();
                session = r.string();
                cls = r.string();
                name = r.string();
                desc = r.string();
                args = r.digest();
                break;
            default:
                call = r.i64();
                duration = r.i64();
                thrown = r.string();
                break;
        }
        r.requireEnd();
        this.writerId = writer;
        this.policyDigest = policy;
        this.policySource = source;
        this.agentRing = held;
        this.requiredRing = required;
        this.agentId = agent;
        this.sessionId = session;
        this.className = cls;
        this.methodName = name;
        this.descriptor = desc;
        this.argsDigest = args;
        this.callSeq = call;
        this.durationNanos = duration;
        this.exceptionClass = thrown;
    }

    /**
     * Decodes canonical bytes.
     *
     * @param bytes buffer
     * @param offset start of the record
     * @param length its length, exactly
     * @return the record
     * @throws MalformedRecordException if the bytes are not one well-formed record
     */
    public static AuditRecord decode(byte[] bytes, int offset, int length) {
        return new AuditRecord(new Reader(bytes, offset, length));
    }

    /** @return the record type */
    public RecordType type() {
        return type;
    }

    /** @return the format version */
    public int version() {
        return version;
    }

    /** @return the sequence number: the record's 0-based position in the trail */
    public long seq() {
        return seq;
    }

    /** @return wall-clock time, epoch milliseconds */
    public long timeMillis() {
        return timeMillis;
    }

    /** @return GENESIS: the writer run's id */
    public String writerId() {
        return writerId;
    }

    /** @return GENESIS: SHA-256 of the policy file, or {@code null} for other types */
    public byte[] policyDigest() {
        return policyDigest == null ? null : policyDigest.clone();
    }

    /** @return GENESIS: where the policy came from */
    public String policySource() {
        return policySource;
    }

    /** @return decisions: the ring the agent held, else -1 */
    public int agentRing() {
        return agentRing;
    }

    /** @return decisions: the ring the method requires, else -1 */
    public int requiredRing() {
        return requiredRing;
    }

    /** @return decisions: the acting agent */
    public String agentId() {
        return agentId;
    }

    /** @return decisions: the session id, empty outside a session */
    public String sessionId() {
        return sessionId;
    }

    /** @return decisions: the declaring class's binary name */
    public String className() {
        return className;
    }

    /** @return decisions: the method name */
    public String methodName() {
        return methodName;
    }

    /** @return decisions: the JVM method descriptor */
    public String descriptor() {
        return descriptor;
    }

    /** @return decisions: the argument digest, or {@code null} for other types */
    public byte[] argsDigest() {
        return argsDigest == null ? null : argsDigest.clone();
    }

    /** @return outcomes: the seq of the ALLOW record this outcome closes, else -1 */
    public long callSeq() {
        return callSeq;
    }

    /** @return outcomes: how long the body ran, else -1 */
    public long durationNanos() {
        return durationNanos;
    }

    /** @return CALL_THREW: the thrown class's binary name, else empty */
    public String exceptionClass() {
        return exceptionClass;
    }

    /** @return the decision word for decision records ({@code ALLOW}/{@code DENY}), else the type label */
    public String decision() {
        return type.label();
    }

    @Override
    public String toString() {
        return "AuditRecord{" + type + " seq=" + seq + (type.isDecision()
                ? " agent=" + agentId + " ring=" + agentRing + " method=" + className + '#' + methodName
                        + descriptor + " required=" + requiredRing
                : "") + '}';
    }

    /** Bounds-checked big-endian reader over one record. */
    private static final class Reader {
        private final byte[] b;
        private final int end;
        private int pos;

        Reader(byte[] b, int offset, int length) {
            if (offset < 0 || length < 0 || length > b.length - offset) {
                throw new MalformedRecordException("record bounds outside the buffer");
            }
            this.b = b;
            this.pos = offset;
            this.end = offset + length;
        }

        int u8() {
            need(1);
            return b[pos++] & 0xFF;
        }

        long i64() {
            need(8);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (b[pos++] & 0xFF);
            }
            return v;
        }

        String string() {
            need(2);
            int n = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
            pos += 2;
            need(n);
            String s = new String(b, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        byte[] digest() {
            need(TrailFormat.HASH_LENGTH);
            byte[] d = Arrays.copyOfRange(b, pos, pos + TrailFormat.HASH_LENGTH);
            pos += TrailFormat.HASH_LENGTH;
            return d;
        }

        void need(int n) {
            if (pos + n > end) {
                throw new MalformedRecordException("record ends early at byte " + pos);
            }
        }

        void requireEnd() {
            if (pos != end) {
                throw new MalformedRecordException((end - pos) + " unexpected bytes after the record");
            }
        }
    }
}
