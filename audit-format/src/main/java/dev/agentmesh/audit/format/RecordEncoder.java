package dev.agentmesh.audit.format;

import java.util.Arrays;

/**
 * Encodes records into their canonical bytes, in a buffer it reuses: one encoder per writing thread, no
 * allocation per record once the buffer has grown to fit.
 *
 * <p>All integers are big-endian. A string is an unsigned 16-bit byte length followed by that many UTF-8 bytes.
 * Every record starts with the {@linkplain TrailFormat#HEADER_LENGTH header}: version (u8, always
 * {@link TrailFormat#VERSION}), type (u8), seq (i64), time in epoch milliseconds (i64). The fields that follow
 * depend on the type; see each method.
 */
public final class RecordEncoder {

    /** The empty string field, shared so the shorter decision overloads allocate nothing. */
    private static final byte[] EMPTY = new byte[0];

    private static final int SEQ_OFFSET = 2;
    private static final int TIME_OFFSET = 10;

    private byte[] buf = new byte[256];
    private int len;

    /** @return the buffer holding the last encoded record, from offset 0; valid until the next encode */
    public byte[] buffer() {
        return buf;
    }

    /** @return the length of the last encoded record */
    public int length() {
        return len;
    }

    /** @return a copy of the last encoded record */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /**
     * Overwrites the sequence number of the last encoded record, so a writer can encode before it takes the
     * trail's lock and number the record once it holds it.
     *
     * @param seq the sequence number
     */
    public void patchSeq(long seq) {
        patchLong(SEQ_OFFSET, seq);
    }

    /**
     * Overwrites the time of the last encoded record, so a writer can stamp it when it takes its place in the
     * chain, keeping times in sequence order.
     *
     * @param timeMillis wall-clock time, epoch milliseconds
     */
    public void patchTime(long timeMillis) {
        patchLong(TIME_OFFSET, timeMillis);
    }

    private void patchLong(int offset, long value) {
        int saved = len;
        len = offset;
        putLong(value);
        len = saved;
    }

    /**
     * GENESIS: {@code writerId (str), policyDigest (32 bytes), policySource (str)}.
     *
     * @param seq sequence number
     * @param timeMillis start time of the writer run
     * @param writerId UTF-8 id of this writer run
     * @param policyDigest SHA-256 of the policy file's bytes (32 bytes)
     * @param policySource UTF-8 name of the policy file
     * @return this encoder
     */
    public RecordEncoder genesis(long seq, long timeMillis, byte[] writerId, byte[] policyDigest,
            byte[] policySource) {
        header(RecordType.GENESIS, seq, timeMillis);
        putString(writerId);
        putDigest(policyDigest);
        putString(policySource);
        return this;
    }

    /**
     * A plain call of an agent acting for itself, vouched for by no one: as
     * {@link #decision(RecordType, long, long, int, int, byte[], byte[], byte[], byte[], byte[], byte[], byte[],
     * byte[], byte[], byte[], byte[]) the full form} with {@code onBehalfOf}, {@code vouchedBy}, {@code framework},
     * {@code tool} and {@code invocationId} empty.
     *
     * @param type {@link RecordType#CALL_ALLOWED} or {@link RecordType#CALL_DENIED}
     * @param seq sequence number
     * @param timeMillis wall-clock time
     * @param agentRing ring the agent holds
     * @param requiredRing ring the method requires
     * @param agentId UTF-8 agent id
     * @param sessionId UTF-8 session id, empty outside a session
     * @param className UTF-8 binary class name, as {@code com.acme.Tools}
     * @param methodName UTF-8 method name
     * @param descriptor UTF-8 JVM method descriptor, as {@code (Ljava/lang/String;)V}
     * @param argsDigest {@link ArgumentDigest} of the argument values (32 bytes)
     * @return this encoder
     */
    public RecordEncoder decision(RecordType type, long seq, long timeMillis, int agentRing, int requiredRing,
            byte[] agentId, byte[] sessionId, byte[] className, byte[] methodName, byte[] descriptor,
            byte[] argsDigest) {
        return decision(type, seq, timeMillis, agentRing, requiredRing, agentId, sessionId, className, methodName,
                descriptor, argsDigest, EMPTY, EMPTY, EMPTY, EMPTY, EMPTY);
    }

    /**
     * A plain {@code @Ring} call, made through no agent framework: as
     * {@link #decision(RecordType, long, long, int, int, byte[], byte[], byte[], byte[], byte[], byte[], byte[],
     * byte[], byte[], byte[], byte[]) the full form} with {@code framework}, {@code tool} and {@code invocationId}
     * empty.
     *
     * @param type {@link RecordType#CALL_ALLOWED} or {@link RecordType#CALL_DENIED}
     * @param seq sequence number
     * @param timeMillis wall-clock time
     * @param agentRing ring the agent holds
     * @param requiredRing ring the method requires
     * @param agentId UTF-8 agent id
     * @param sessionId UTF-8 session id, empty outside a session
     * @param className UTF-8 binary class name, as {@code com.acme.Tools}
     * @param methodName UTF-8 method name
     * @param descriptor UTF-8 JVM method descriptor, as {@code (Ljava/lang/String;)V}
     * @param argsDigest {@link ArgumentDigest} of the argument values (32 bytes)
     * @param onBehalfOf UTF-8 delegation chain of the acting agent (see the full form); empty when it acted for
     *     itself
     * @param vouchedBy UTF-8 ids of the agents that vouch for the acting agent (see the full form); empty when none
     *     does
     * @return this encoder
     */
    public RecordEncoder decision(RecordType type, long seq, long timeMillis, int agentRing, int requiredRing,
            byte[] agentId, byte[] sessionId, byte[] className, byte[] methodName, byte[] descriptor,
            byte[] argsDigest, byte[] onBehalfOf, byte[] vouchedBy) {
        return decision(type, seq, timeMillis, agentRing, requiredRing, agentId, sessionId, className, methodName,
                descriptor, argsDigest, onBehalfOf, vouchedBy, EMPTY, EMPTY, EMPTY);
    }

    /**
     * CALL_ALLOWED or CALL_DENIED: {@code agentRing (u8), requiredRing (u8), agentId (str), sessionId (str),
     * className (str), methodName (str), descriptor (str), argsDigest (32 bytes), onBehalfOf (str),
     * vouchedBy (str), framework (str), tool (str), invocationId (str)}. {@code onBehalfOf} and {@code vouchedBy}
     * came with format version 2, the last three with version 3; a version 1 record ends at argsDigest, a version 2
     * one at vouchedBy.
     *
     * <p>The format bounds each string only by its 16-bit length, and readers accept any length that fits the
     * record. The agent writes {@code framework} in at most 32 bytes of UTF-8, {@code tool} and
     * {@code invocationId} in at most 256 each: those are the writer's limits, not the format's.
     *
     * @param type {@link RecordType#CALL_ALLOWED} or {@link RecordType#CALL_DENIED}
     * @param seq sequence number
     * @param timeMillis wall-clock time
     * @param agentRing ring the agent holds
     * @param requiredRing ring the method requires
     * @param agentId UTF-8 agent id
     * @param sessionId UTF-8 session id, empty outside a session
     * @param className UTF-8 binary class name, as {@code com.acme.Tools}
     * @param methodName UTF-8 method name
     * @param descriptor UTF-8 JVM method descriptor, as {@code (Ljava/lang/String;)V}
     * @param argsDigest {@link ArgumentDigest} of the argument values (32 bytes)
     * @param onBehalfOf UTF-8 delegation chain of the acting agent: the principals it acted for, immediate
     *     principal first, joined by {@code >} (as {@code lead>orchestrator}: on behalf of {@code lead}, which acted
     *     on behalf of {@code orchestrator}); empty when the agent acted for itself
     * @param vouchedBy UTF-8 ids of the agents that vouch for the acting agent, sorted, joined by {@code ,};
     *     empty when none does
     * @param framework UTF-8 name of the agent framework whose tool was called: {@code langchain4j},
     *     {@code spring-ai} or {@code mcp}; empty for a plain {@code @Ring} method call
     * @param tool UTF-8 name the framework gives the tool, as {@code web_search}; empty for a plain call
     * @param invocationId UTF-8 id the framework gives this tool call (a model's tool-call id, as {@code call_1},
     *     or an id derived from an MCP request and session); empty if there is none
     * @return this encoder
     */
    public RecordEncoder decision(RecordType type, long seq, long timeMillis, int agentRing, int requiredRing,
            byte[] agentId, byte[] sessionId, byte[] className, byte[] methodName, byte[] descriptor,
            byte[] argsDigest, byte[] onBehalfOf, byte[] vouchedBy, byte[] framework, byte[] tool,
            byte[] invocationId) {
        if (!type.isDecision()) {
            throw new IllegalArgumentException("not a decision type: " + type);
        }
        requireRing(agentRing);
        requireRing(requiredRing);
        header(type, seq, timeMillis);
        ensure(2);
        buf[len++] = (byte) agentRing;
        buf[len++] = (byte) requiredRing;
        putString(agentId);
        putString(sessionId);
        putString(className);
        putString(methodName);
        putString(descriptor);
        putDigest(argsDigest);
        putString(onBehalfOf);
        putString(vouchedBy);
        putString(framework);
        putString(tool);
        putString(invocationId);
        return this;
    }

    /**
     * CALL_RETURNED or CALL_THREW: {@code callSeq (i64), durationNanos (i64), exceptionClass (str),
     * sessionId (str)}.
     *
     * @param type {@link RecordType#CALL_RETURNED} or {@link RecordType#CALL_THREW}
     * @param seq sequence number
     * @param timeMillis wall-clock time
     * @param callSeq sequence number of the CALL_ALLOWED record this outcome closes
     * @param durationNanos time the body ran
     * @param exceptionClass UTF-8 binary name of the thrown class, empty for a return
     * @param sessionId UTF-8 id of the session the call ran in, empty outside a session
     * @return this encoder
     */
    public RecordEncoder outcome(RecordType type, long seq, long timeMillis, long callSeq, long durationNanos,
            byte[] exceptionClass, byte[] sessionId) {
        if (!type.isOutcome()) {
            throw new IllegalArgumentException("not an outcome type: " + type);
        }
        header(type, seq, timeMillis);
        putLong(callSeq);
        putLong(durationNanos);
        putString(exceptionClass);
        putString(sessionId);
        return this;
    }

    /**
     * SESSION_EVENT: {@code sessionId (str), event (u8), agentId (str), agentRing (u8), detail (str)}.
     *
     * @param seq sequence number
     * @param timeMillis wall-clock time
     * @param sessionId UTF-8 id of the session
     * @param event what happened to it
     * @param agentId UTF-8 id of the agent the event concerns, empty if none
     * @param agentRing ring that agent holds, or {@link TrailFormat#NO_RING} if the event names no agent
     * @param detail UTF-8 free text for a person (the session's settings, say), empty if none
     * @return this encoder
     */
    public RecordEncoder sessionEvent(long seq, long timeMillis, byte[] sessionId, SessionEvent event,
            byte[] agentId, int agentRing, byte[] detail) {
        if (event == null) {
            throw new IllegalArgumentException("no session event");
        }
        if (agentRing != TrailFormat.NO_RING && (agentRing < 0 || agentRing > 3)) {
            throw new IllegalArgumentException("ring must be 0..3, or " + TrailFormat.NO_RING + " for none, got "
                    + agentRing);
        }
        header(RecordType.SESSION_EVENT, seq, timeMillis);
        putString(sessionId);
        putByte(event.code());
        putString(agentId);
        putByte(agentRing);
        putString(detail);
        return this;
    }

    /**
     * SAGA_EVENT: {@code sessionId (str), sagaId (str), event (u8), agentId (str), step (str), attempt (u8),
     * durationNanos (i64), detail (str), data (str)}.
     *
     * @param seq sequence number
     * @param timeMillis wall-clock time
     * @param sessionId UTF-8 id of the session the saga runs in, empty outside one
     * @param sagaId UTF-8 id of the saga, unique across runs of the application
     * @param event what happened
     * @param agentId UTF-8 id of the agent the saga runs as, empty if none
     * @param step UTF-8 name of the step, empty for saga-level events
     * @param attempt 1-based attempt of the step or compensation (1..255), 0 for saga-level events
     * @param durationNanos how long the attempt ran, for outcomes of steps and compensations; else -1
     * @param detail UTF-8 free text for a person, empty if none
     * @param data UTF-8 machine-readable payload a recovering run needs (see {@link SagaEvent}), empty if none
     * @return this encoder
     */
    public RecordEncoder sagaEvent(long seq, long timeMillis, byte[] sessionId, byte[] sagaId, SagaEvent event,
            byte[] agentId, byte[] step, int attempt, long durationNanos, byte[] detail, byte[] data) {
        if (event == null) {
            throw new IllegalArgumentException("no saga event");
        }
        if (attempt < 0 || attempt > 255) {
            throw new IllegalArgumentException("attempt must be 0..255, got " + attempt);
        }
        header(RecordType.SAGA_EVENT, seq, timeMillis);
        putString(sessionId);
        putString(sagaId);
        putByte(event.code());
        putString(agentId);
        putString(step);
        putByte(attempt);
        putLong(durationNanos);
        putString(detail);
        putString(data);
        return this;
    }

    /**
     * CONTROL: {@code event (u8), subject (str), actor (str), reason (str), detail (str)}.
     *
     * @param seq sequence number
     * @param timeMillis wall-clock time
     * @param event what was done
     * @param subject UTF-8 what it was done to: {@code agent:<id>}, {@code session:<id>} or {@code all}
     * @param actor UTF-8 who did it: the operator's id, or the agent or runtime the event names (see
     *     {@link ControlEvent})
     * @param reason UTF-8 why, as the operator gave it
     * @param detail UTF-8 free text for a person (how a request came, api or jmx, and what it did at once), or the
     *     {@code key=value} detail the event defines (see {@link ControlEvent})
     * @return this encoder
     */
    public RecordEncoder control(long seq, long timeMillis, ControlEvent event, byte[] subject, byte[] actor,
            byte[] reason, byte[] detail) {
        if (event == null) {
            throw new IllegalArgumentException("no control event");
        }
        header(RecordType.CONTROL, seq, timeMillis);
        putByte(event.code());
        putString(subject);
        putString(actor);
        putString(reason);
        putString(detail);
        return this;
    }

    private static void requireRing(int ring) {
        if (ring < 0 || ring > 3) {
            throw new IllegalArgumentException("ring must be 0..3, got " + ring);
        }
    }

    private void putByte(int v) {
        ensure(1);
        buf[len++] = (byte) v;
    }

    private void header(RecordType type, long seq, long timeMillis) {
        len = 0;
        ensure(TrailFormat.HEADER_LENGTH);
        buf[len++] = (byte) TrailFormat.VERSION;
        buf[len++] = type.code();
        putLong(seq);
        putLong(timeMillis);
    }

    private void putLong(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[len++] = (byte) (v >>> shift);
        }
    }

    private void putString(byte[] utf8) {
        int n = utf8.length;
        if (n > TrailFormat.MAX_STRING_BYTES) {
            throw new IllegalArgumentException("string field longer than " + TrailFormat.MAX_STRING_BYTES + " bytes");
        }
        ensure(2 + n);
        buf[len++] = (byte) (n >>> 8);
        buf[len++] = (byte) n;
        System.arraycopy(utf8, 0, buf, len, n);
        len += n;
    }

    private void putDigest(byte[] digest) {
        if (digest.length != TrailFormat.HASH_LENGTH) {
            throw new IllegalArgumentException("digest must be " + TrailFormat.HASH_LENGTH + " bytes");
        }
        ensure(TrailFormat.HASH_LENGTH);
        System.arraycopy(digest, 0, buf, len, TrailFormat.HASH_LENGTH);
        len += TrailFormat.HASH_LENGTH;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
