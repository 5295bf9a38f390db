package dev.agentmesh.audit.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A reusable view of one record's canonical bytes: {@link #wrap} checks the layout once and notes where every field
 * lies, then the accessors read numbers in place and hand out the positions of strings and digests. Nothing is
 * allocated or copied, which is what lets a reader verify millions of records a second; {@link #toRecord()} decodes
 * into an {@link AuditRecord} for code that wants objects. This is the one parser of the layout: {@link AuditRecord}
 * is built through it.
 *
 * <p>A view is valid until the next {@code wrap} or until its buffer changes. Not thread-safe.
 */
public final class RecordView {

    /** The string fields. Each is present only in the record types that carry it; elsewhere it is empty. */
    public enum Text {
        /** GENESIS: the writer run's id. */
        WRITER_ID,
        /** GENESIS: where the policy came from. */
        POLICY_SOURCE,
        /**
         * Decisions: the acting agent. SESSION: the agent the event concerns, empty if none. SAGA: the agent the saga
         * runs as, empty if none.
         */
        AGENT_ID,
        /**
         * Decisions, outcomes and SAGA: the session id, empty outside a session. SESSION: the session the event
         * happened to.
         */
        SESSION_ID,
        /** Decisions: the declaring class's binary name. */
        CLASS_NAME,
        /** Decisions: the method name. */
        METHOD_NAME,
        /** Decisions: the JVM method descriptor. */
        DESCRIPTOR,
        /** Outcomes: the thrown class's binary name (CALL_THREW), else empty. */
        EXCEPTION_CLASS,
        /** SESSION, SAGA and CONTROL: free text about the event for a person, empty if none. */
        DETAIL,
        /** SAGA: the saga's id. */
        SAGA_ID,
        /** SAGA: the step's name, empty for saga-level events. */
        STEP,
        /** SAGA: the machine-readable payload a recovering run needs, empty if none. */
        DATA,
        /** CONTROL: what was acted on: {@code agent:<id>}, {@code session:<id>} or {@code all}. */
        SUBJECT,
        /** CONTROL: who acted: the operator's id. */
        ACTOR,
        /** CONTROL: why, as the operator gave it. */
        REASON,
        /**
         * Decisions (format version 2): the delegation chain the agent acted on, immediate principal first, joined
         * by {@code >}; empty when it acted for itself, and in version 1 records.
         */
        ON_BEHALF_OF,
        /**
         * Decisions (format version 2): the agents that vouch for the acting agent, sorted, joined by {@code ,};
         * empty when none does, and in version 1 records.
         */
        VOUCHED_BY,
        /**
         * Decisions (format version 3): the agent framework whose tool was called ({@code langchain4j},
         * {@code spring-ai}, {@code mcp}); empty for a plain {@code @Ring} method call, and in version 1 and 2
         * records.
         */
        FRAMEWORK,
        /**
         * Decisions (format version 3): the framework's name for the tool, as {@code web_search}; empty for a plain
         * call, and in version 1 and 2 records.
         */
        TOOL,
        /**
         * Decisions (format version 3): the framework's id for this tool call (a model's tool-call id, as
         * {@code call_1}, or one derived from an MCP request); empty if there is none, and in version 1 and 2
         * records.
         */
        INVOCATION_ID
    }

    private static final Text[] TEXTS = Text.values();

    /** Big-endian longs read in one access: the verifier reads two to four per record, millions a second. */
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final int[] textOffset = new int[TEXTS.length];
    private final int[] textLength = new int[TEXTS.length];
    private byte[] bytes;
    private int offset;
    private int length;
    private int pos;
    private int end;
    private int version;
    private RecordType type;
    private long seq;
    private long timeMillis;
    private int agentRing;
    private int requiredRing;
    private int digestOffset;
    private long callSeq;
    private long durationNanos;
    private SessionEvent sessionEvent;
    private SagaEvent sagaEvent;
    private ControlEvent controlEvent;
    private int attempt;

    /**
     * Points this view at one record and checks its layout: version, type, and every length field against the
     * record's end. Versions {@link TrailFormat#OLDEST_READABLE_VERSION} to {@link TrailFormat#VERSION} are read,
     * each by its own layout.
     *
     * @param buffer buffer holding the record
     * @param from where the record starts
     * @param size its length, exactly
     * @return this
     * @throws MalformedRecordException if the bytes are not one well-formed record; the view is then unusable
     */
    public RecordView wrap(byte[] buffer, int from, int size) {
        if (from < 0 || size < 0 || size > buffer.length - from) {
            throw new MalformedRecordException("record bounds outside the buffer");
        }
        this.bytes = buffer;
        this.offset = from;
        this.length = size;
        this.pos = from;
        this.end = from + size;
        type = null;
        for (int i = 0; i < TEXTS.length; i++) {
            textLength[i] = 0;
        }
        version = u8();
        if (version < TrailFormat.OLDEST_READABLE_VERSION || version > TrailFormat.VERSION) {
            throw new MalformedRecordException("unsupported format version " + version);
        }
        RecordType parsed = RecordType.ofCode((byte) u8());
        seq = i64();
        timeMillis = i64();
        agentRing = -1;
        requiredRing = -1;
        digestOffset = -1;
        callSeq = -1;
        durationNanos = -1;
        sessionEvent = null;
        sagaEvent = null;
        controlEvent = null;
        attempt = -1;
        switch (parsed) {
            case GENESIS:
                readText(Text.WRITER_ID);
                digestOffset = digest();
                readText(Text.POLICY_SOURCE);
                break;
            case CALL_ALLOWED:
            case CALL_DENIED:
                agentRing = u8();
                requiredRing = u8();
                readText(Text.AGENT_ID);
                readText(Text.SESSION_ID);
                readText(Text.CLASS_NAME);
                readText(Text.METHOD_NAME);
                readText(Text.DESCRIPTOR);
                digestOffset = digest();
                // Version 1 decisions end here: they read as an agent acting for itself, vouched for by no one.
                if (version >= 2) {
                    readText(Text.ON_BEHALF_OF);
                    readText(Text.VOUCHED_BY);
                }
                // Version 2 decisions end here: they read as plain calls, made through no framework.
                if (version >= 3) {
                    readText(Text.FRAMEWORK);
                    readText(Text.TOOL);
                    readText(Text.INVOCATION_ID);
                }
                break;
            case CALL_RETURNED:
            case CALL_THREW:
                callSeq = i64();
                durationNanos = i64();
                readText(Text.EXCEPTION_CLASS);
                readText(Text.SESSION_ID);
                break;
            case SESSION_EVENT:
                readText(Text.SESSION_ID);
                sessionEvent = SessionEvent.ofCode((byte) u8());
                readText(Text.AGENT_ID);
                int ring = u8();
                agentRing = ring == TrailFormat.NO_RING ? -1 : ring;
                readText(Text.DETAIL);
                break;
            case SAGA_EVENT:
                readText(Text.SESSION_ID);
                readText(Text.SAGA_ID);
                sagaEvent = SagaEvent.ofCode((byte) u8());
                readText(Text.AGENT_ID);
                readText(Text.STEP);
                attempt = u8();
                durationNanos = i64();
                readText(Text.DETAIL);
                readText(Text.DATA);
                break;
            case CONTROL:
                controlEvent = ControlEvent.ofCode((byte) u8());
                readText(Text.SUBJECT);
                readText(Text.ACTOR);
                readText(Text.REASON);
                readText(Text.DETAIL);
                break;
            default:
                throw new AssertionError(parsed);
        }
        if (pos != end) {
            throw new MalformedRecordException((end - pos) + " unexpected bytes after the record");
        }
        type = parsed;
        return this;
    }

    /** @return the buffer the record is in */
    public byte[] buffer() {
        return bytes;
    }

    /** @return where the record starts in {@link #buffer()} */
    public int offset() {
        return offset;
    }

    /** @return the record's length in bytes */
    public int length() {
        return length;
    }

    /** @return the record type */
    public RecordType type() {
        requireWrapped();
        return type;
    }

    /** @return the format version the record was written in, which its layout follows */
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

    /**
     * @return decisions: the ring the agent held; SESSION: the ring of the agent the event concerns, -1 if it names
     *     none (stored as {@link TrailFormat#NO_RING}); else -1
     */
    public int agentRing() {
        return agentRing;
    }

    /** @return decisions: the ring the method requires, else -1 */
    public int requiredRing() {
        return requiredRing;
    }

    /** @return outcomes: the seq of the ALLOW record this outcome closes, else -1 */
    public long callSeq() {
        return callSeq;
    }

    /**
     * @return outcomes: how long the body ran; SAGA: how long the step or compensation attempt ran, -1 for other
     *     events; else -1
     */
    public long durationNanos() {
        return durationNanos;
    }

    /** @return SESSION: what happened to the session, else {@code null} */
    public SessionEvent sessionEvent() {
        return sessionEvent;
    }

    /** @return SAGA: what happened in the saga, else {@code null} */
    public SagaEvent sagaEvent() {
        return sagaEvent;
    }

    /** @return CONTROL: what was done, else {@code null} */
    public ControlEvent controlEvent() {
        return controlEvent;
    }

    /** @return SAGA: the 1-based attempt of the step or compensation, 0 for saga-level events; else -1 */
    public int attempt() {
        return attempt;
    }

    /**
     * @param field a string field
     * @return where its UTF-8 bytes start in {@link #buffer()} (meaningless when its length is 0)
     */
    public int textOffset(Text field) {
        return textOffset[field.ordinal()];
    }

    /**
     * @param field a string field
     * @return how many UTF-8 bytes it has; 0 when empty or when the record's type lacks it
     */
    public int textLength(Text field) {
        return textLength[field.ordinal()];
    }

    /**
     * @param field a string field
     * @return it decoded; empty when the record's type lacks it
     */
    public String text(Text field) {
        int n = textLength[field.ordinal()];
        return n == 0 ? "" : new String(bytes, textOffset[field.ordinal()], n, StandardCharsets.UTF_8);
    }

    /**
     * @return where the record's 32-byte digest starts in {@link #buffer()}: the policy digest of a GENESIS, the
     *     argument digest of a decision; -1 for outcomes and SESSION records, which have none
     */
    public int digestOffset() {
        return digestOffset;
    }

    /**
     * @return the record decoded into an object
     */
    public AuditRecord toRecord() {
        requireWrapped();
        return new AuditRecord(this);
    }

    private void requireWrapped() {
        if (type == null) {
            throw new IllegalStateException("no well-formed record wrapped");
        }
    }

    private int u8() {
        need(1);
        return bytes[pos++] & 0xFF;
    }

    private long i64() {
        need(8);
        long v = (long) I64.get(bytes, pos);
        pos += 8;
        return v;
    }

    private void readText(Text field) {
        need(2);
        int n = ((bytes[pos] & 0xFF) << 8) | (bytes[pos + 1] & 0xFF);
        pos += 2;
        need(n);
        textOffset[field.ordinal()] = pos;
        textLength[field.ordinal()] = n;
        pos += n;
    }

    private int digest() {
        need(TrailFormat.HASH_LENGTH);
        int at = pos;
        pos += TrailFormat.HASH_LENGTH;
        return at;
    }

    private void need(int n) {
        if (pos + n > end) {
            throw new MalformedRecordException("record ends early at byte " + (pos - offset));
        }
    }
}
