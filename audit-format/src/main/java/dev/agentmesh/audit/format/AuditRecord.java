package dev.agentmesh.audit.format;

import java.util.Arrays;

/**
 * One decoded record, for readers. Fields a record's type does not carry are empty strings, {@code -1} or
 * {@code null}. Writers never build these: they encode straight into bytes with {@link RecordEncoder}.
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
    // decisions (agentRing and agentId also SESSION; sessionId also outcomes and SESSION)
    private final int agentRing;
    private final int requiredRing;
    private final String agentId;
    private final String sessionId;
    private final String className;
    private final String methodName;
    private final String descriptor;
    private final byte[] argsDigest;
    private final String onBehalfOf;
    private final String vouchedBy;
    private final String framework;
    private final String tool;
    private final String invocationId;
    // outcomes
    private final long callSeq;
    private final long durationNanos;
    private final String exceptionClass;
    // SESSION
    private final SessionEvent sessionEvent;
    private final String detail;
    // SAGA (sessionId, agentId, durationNanos and detail too)
    private final SagaEvent sagaEvent;
    private final String sagaId;
    private final String step;
    private final int attempt;
    private final String data;
    // CONTROL (detail too)
    private final ControlEvent controlEvent;
    private final String subject;
    private final String actor;
    private final String reason;

    AuditRecord(RecordView v) {
        this.version = v.version();
        this.type = v.type();
        this.seq = v.seq();
        this.timeMillis = v.timeMillis();
        this.writerId = v.text(RecordView.Text.WRITER_ID);
        this.policySource = v.text(RecordView.Text.POLICY_SOURCE);
        this.agentRing = v.agentRing();
        this.requiredRing = v.requiredRing();
        this.agentId = v.text(RecordView.Text.AGENT_ID);
        this.sessionId = v.text(RecordView.Text.SESSION_ID);
        this.className = v.text(RecordView.Text.CLASS_NAME);
        this.methodName = v.text(RecordView.Text.METHOD_NAME);
        this.descriptor = v.text(RecordView.Text.DESCRIPTOR);
        this.onBehalfOf = v.text(RecordView.Text.ON_BEHALF_OF);
        this.vouchedBy = v.text(RecordView.Text.VOUCHED_BY);
        this.framework = v.text(RecordView.Text.FRAMEWORK);
        this.tool = v.text(RecordView.Text.TOOL);
        this.invocationId = v.text(RecordView.Text.INVOCATION_ID);
        this.callSeq = v.callSeq();
        this.durationNanos = v.durationNanos();
        this.exceptionClass = v.text(RecordView.Text.EXCEPTION_CLASS);
        this.sessionEvent = v.sessionEvent();
        this.detail = v.text(RecordView.Text.DETAIL);
        this.sagaEvent = v.sagaEvent();
        this.sagaId = v.text(RecordView.Text.SAGA_ID);
        this.step = v.text(RecordView.Text.STEP);
        this.attempt = v.attempt();
        this.data = v.text(RecordView.Text.DATA);
        this.controlEvent = v.controlEvent();
        this.subject = v.text(RecordView.Text.SUBJECT);
        this.actor = v.text(RecordView.Text.ACTOR);
        this.reason = v.text(RecordView.Text.REASON);
        int digest = v.digestOffset();
        byte[] d = digest < 0 ? null : Arrays.copyOfRange(v.buffer(), digest, digest + TrailFormat.HASH_LENGTH);
        this.policyDigest = type == RecordType.GENESIS ? d : null;
        this.argsDigest = type.isDecision() ? d : null;
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
        return new RecordView().wrap(bytes, offset, length).toRecord();
    }

    /** @return the record type */
    public RecordType type() {
        return type;
    }

    /** @return the format version the record was written in */
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

    /**
     * @return decisions: the ring the agent held; SESSION: the ring of the agent the event concerns, -1 if it names
     *     none; else -1
     */
    public int agentRing() {
        return agentRing;
    }

    /** @return decisions: the ring the method requires, else -1 */
    public int requiredRing() {
        return requiredRing;
    }

    /** @return decisions: the acting agent; SESSION: the agent the event concerns, empty if none */
    public String agentId() {
        return agentId;
    }

    /**
     * @return decisions and outcomes: the session id, empty outside a session; SESSION: the session the event
     *     happened to
     */
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

    /**
     * @return decisions: the delegation chain the agent acted on, immediate principal first, joined by {@code >}
     *     (as {@code lead>orchestrator}); empty when it acted for itself, in format version 1 records, and for other
     *     types
     */
    public String onBehalfOf() {
        return onBehalfOf;
    }

    /**
     * @return decisions: the ids of the agents that vouch for the acting agent, sorted, joined by {@code ,}; empty
     *     when none does, in format version 1 records, and for other types
     */
    public String vouchedBy() {
        return vouchedBy;
    }

    /**
     * @return decisions: the agent framework whose tool was called ({@code langchain4j}, {@code spring-ai},
     *     {@code mcp}); empty for a plain {@code @Ring} method call, in format version 1 and 2 records, and for other
     *     types
     */
    public String framework() {
        return framework;
    }

    /**
     * @return decisions: the framework's name for the tool, as {@code web_search}; empty for a plain call, in format
     *     version 1 and 2 records, and for other types
     */
    public String tool() {
        return tool;
    }

    /**
     * @return decisions: the framework's id for this tool call (a model's tool-call id, as {@code call_1}, or one
     *     derived from an MCP request); empty if there is none, in format version 1 and 2 records, and for other types
     */
    public String invocationId() {
        return invocationId;
    }

    /** @return outcomes: the seq of the ALLOW record this outcome closes, else -1 */
    public long callSeq() {
        return callSeq;
    }

    /** @return outcomes: how long the body ran; SAGA: how long the attempt ran, or -1; else -1 */
    public long durationNanos() {
        return durationNanos;
    }

    /** @return CALL_THREW: the thrown class's binary name, else empty */
    public String exceptionClass() {
        return exceptionClass;
    }

    /** @return SESSION: what happened to the session, else {@code null} */
    public SessionEvent sessionEvent() {
        return sessionEvent;
    }

    /** @return SESSION, SAGA and CONTROL: free text about the event for a person, empty if none; else empty */
    public String detail() {
        return detail;
    }

    /** @return SAGA: what happened in the saga, else {@code null} */
    public SagaEvent sagaEvent() {
        return sagaEvent;
    }

    /** @return SAGA: the saga's id, else empty */
    public String sagaId() {
        return sagaId;
    }

    /** @return SAGA: the step's name, empty for saga-level events; else empty */
    public String step() {
        return step;
    }

    /** @return SAGA: the 1-based attempt, 0 for saga-level events; else -1 */
    public int attempt() {
        return attempt;
    }

    /** @return SAGA: the machine-readable payload, empty if none; else empty */
    public String data() {
        return data;
    }

    /** @return CONTROL: what was done, else {@code null} */
    public ControlEvent controlEvent() {
        return controlEvent;
    }

    /** @return CONTROL: what was acted on ({@code agent:<id>}, {@code session:<id>}, {@code all}); else empty */
    public String subject() {
        return subject;
    }

    /** @return CONTROL: who acted; else empty */
    public String actor() {
        return actor;
    }

    /** @return CONTROL: why; else empty */
    public String reason() {
        return reason;
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
                        + (onBehalfOf.isEmpty() ? "" : " onBehalfOf=" + onBehalfOf)
                        + (vouchedBy.isEmpty() ? "" : " vouchedBy=" + vouchedBy)
                        + (framework.isEmpty() ? "" : " framework=" + framework)
                        + (tool.isEmpty() ? "" : " tool=" + tool)
                        + (invocationId.isEmpty() ? "" : " invocationId=" + invocationId)
                : "") + (type == RecordType.SESSION_EVENT
                ? " session=" + sessionId + " event=" + sessionEvent + " agent=" + agentId + " ring=" + agentRing
                : "") + (type == RecordType.SAGA_EVENT
                ? " saga=" + sagaId + " event=" + sagaEvent + (step.isEmpty() ? "" : " step=" + step + " attempt="
                        + attempt)
                : "") + (type == RecordType.CONTROL ? " event=" + controlEvent + " subject=" + subject + " actor="
                        + actor : "") + '}';
    }
}
