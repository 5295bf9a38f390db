package dev.agentmesh.reader;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Every exportable field, by its JSON name, with the record types that have it. {@code export --fields} picks
 * from these; the full JSON Lines and CSV formats show the same values. The order here is the order of the members
 * in a JSON Lines object.
 */
enum RecordField {

    SEQ("seq", t -> true, (r, h) -> r.seq()),
    TIME("time", t -> true, (r, h) -> IsoTime.of(r.timeMillis())),
    TIME_MILLIS("timeMillis", t -> true, (r, h) -> r.timeMillis()),
    TYPE("type", t -> true, (r, h) -> r.type().label()),
    HASH("hash", t -> true, (r, h) -> Hex.of(h)),
    FORMAT_VERSION("formatVersion", t -> t == RecordType.GENESIS, (r, h) -> (long) r.version()),
    WRITER_ID("writerId", t -> t == RecordType.GENESIS, (r, h) -> r.writerId()),
    POLICY_DIGEST("policyDigest", t -> t == RecordType.GENESIS, (r, h) -> Hex.of(r.policyDigest())),
    POLICY_SOURCE("policySource", t -> t == RecordType.GENESIS, (r, h) -> r.policySource()),
    // SESSION records have these three too, the agent's two only when the event names an agent; SAGA records have
    // the agent id when the saga runs as one, and no ring; outcomes have the session id (empty outside a session).
    // CONTROL records have none of them: their subject names the agent or session.
    AGENT_ID("agentId", RecordField::hasAgent, (r, h) -> RecordField.agentId(r)),
    AGENT_RING("agentRing", RecordField::decisionOrSession, (r, h) -> RecordField.agentRing(r)),
    SESSION_ID("sessionId", t -> t != RecordType.GENESIS && !control(t), (r, h) -> r.sessionId()),
    SAGA_ID("sagaId", RecordField::saga, (r, h) -> r.sagaId()),
    EVENT("event", RecordField::hasEvent, (r, h) -> RecordField.event(r)),
    // CONTROL: what was acted on (agent:<id>, session:<id> or all), by whom, and why.
    SUBJECT("subject", RecordField::control, (r, h) -> r.subject()),
    ACTOR("actor", RecordField::control, (r, h) -> r.actor()),
    REASON("reason", RecordField::control, (r, h) -> r.reason()),
    // SAGA: the step and attempt only for step and compensation events (a saga-level event names no step).
    STEP("step", RecordField::saga, (r, h) -> r.step().isEmpty() ? null : r.step()),
    ATTEMPT("attempt", RecordField::saga, (r, h) -> r.attempt() == 0 ? null : Long.valueOf(r.attempt())),
    DETAIL("detail", RecordField::hasEvent, (r, h) -> r.detail()),
    CLASS("class", RecordType::isDecision, (r, h) -> r.className()),
    METHOD("method", RecordType::isDecision, (r, h) -> r.methodName()),
    DESCRIPTOR("descriptor", RecordType::isDecision, (r, h) -> r.descriptor()),
    REQUIRED_RING("requiredRing", RecordType::isDecision, (r, h) -> (long) r.requiredRing()),
    DECISION("decision", RecordType::isDecision, (r, h) -> r.decision()),
    ARGS_DIGEST("argsDigest", RecordType::isDecision, (r, h) -> Hex.of(r.argsDigest())),
    // Decisions (format version 2): whom the agent acted for, and who vouches for it; "" for neither, and in
    // version 1 records, which predate them.
    ON_BEHALF_OF("onBehalfOf", RecordType::isDecision, (r, h) -> r.onBehalfOf()),
    VOUCHED_BY("vouchedBy", RecordType::isDecision, (r, h) -> r.vouchedBy()),
    // Decisions (format version 3): the agent framework and its name for the tool, and its id for the call; ""
    // for a plain @Ring call, and in version 1 and 2 records, which predate them.
    FRAMEWORK("framework", RecordType::isDecision, (r, h) -> r.framework()),
    TOOL("tool", RecordType::isDecision, (r, h) -> r.tool()),
    INVOCATION_ID("invocationId", RecordType::isDecision, (r, h) -> r.invocationId()),
    CALL_SEQ("callSeq", RecordType::isOutcome, (r, h) -> r.callSeq()),
    // SAGA: only for the outcome of a step or compensation attempt (-1, "not run", is left out).
    DURATION_NANOS("durationNanos", t -> t.isOutcome() || saga(t), (r, h) -> RecordField.durationNanos(r)),
    OUTCOME("outcome", RecordType::isOutcome, (r, h) -> r.type().label()),
    EXCEPTION("exception", t -> t == RecordType.CALL_THREW, (r, h) -> r.exceptionClass()),
    // Last, as it may be long: a step's result, say.
    DATA("data", RecordField::saga, (r, h) -> r.data());

    private final String jsonName;
    private final Predicate<RecordType> has;
    private final BiFunction<AuditRecord, byte[], Object> value;

    RecordField(String jsonName, Predicate<RecordType> has, BiFunction<AuditRecord, byte[], Object> value) {
        this.jsonName = jsonName;
        this.has = has;
        this.value = value;
    }

    private static boolean decisionOrSession(RecordType t) {
        return t.isDecision() || t == RecordType.SESSION_EVENT;
    }

    private static boolean hasAgent(RecordType t) {
        return decisionOrSession(t) || saga(t);
    }

    private static boolean hasEvent(RecordType t) {
        return t == RecordType.SESSION_EVENT || saga(t) || control(t);
    }

    private static boolean saga(RecordType t) {
        return t == RecordType.SAGA_EVENT;
    }

    private static boolean control(RecordType t) {
        return t == RecordType.CONTROL;
    }

    /** @return the agent id; {@code null} for a SESSION or SAGA record that names no agent (empty id) */
    private static String agentId(AuditRecord r) {
        return !r.type().isDecision() && r.agentId().isEmpty() ? null : r.agentId();
    }

    /** @return the SESSION, SAGA or CONTROL event's label */
    private static String event(AuditRecord r) {
        switch (r.type()) {
            case SESSION_EVENT:
                return r.sessionEvent().label();
            case SAGA_EVENT:
                return r.sagaEvent().label();
            case CONTROL:
                return r.controlEvent().label();
            default:
                // hasEvent admits only the three above
                throw new AssertionError(r.type());
        }
    }

    /** @return how long the call or attempt ran; {@code null} for a SAGA record of no attempt's outcome (-1) */
    private static Long durationNanos(AuditRecord r) {
        return r.type() == RecordType.SAGA_EVENT && r.durationNanos() == -1 ? null : Long.valueOf(r.durationNanos());
    }

    /** @return the agent's ring; {@code null} for a SESSION record that names none (-1) */
    private static Long agentRing(AuditRecord r) {
        return r.agentRing() < 0 ? null : Long.valueOf(r.agentRing());
    }

    /** @return the field's name in JSON, CSV headers and {@code --fields} */
    String jsonName() {
        return jsonName;
    }

    /**
     * @param r a record
     * @param chainHash its chain hash
     * @return the value, a {@code Long} or a {@code String}, or {@code null} if the record lacks the field: its
     *     type does not have it, or it is a SESSION record that names no agent (agent id and ring), or a SAGA
     *     record that names no agent, no step (step and attempt) or no attempt's duration
     */
    Object valueOf(AuditRecord r, byte[] chainHash) {
        return has.test(r.type()) ? value.apply(r, chainHash) : null;
    }

    /**
     * @param list comma-separated field names, as {@code --fields} takes them
     * @return the fields, in the order given
     * @throws IllegalArgumentException naming an unknown field and listing the known ones
     */
    static List<RecordField> parse(String list) {
        List<RecordField> out = new ArrayList<>();
        for (String name : list.split(",")) {
            String n = name.trim();
            RecordField found = null;
            for (RecordField f : values()) {
                if (f.jsonName.equalsIgnoreCase(n)) {
                    found = f;
                }
            }
            if (found == null) {
                List<String> known = new ArrayList<>();
                for (RecordField f : values()) {
                    known.add(f.jsonName);
                }
                throw new IllegalArgumentException("unknown field '" + n + "'; fields: " + String.join(",", known));
            }
            if (!out.contains(found)) {
                out.add(found);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no fields given");
        }
        return out;
    }

    @Override
    public String toString() {
        return jsonName.toLowerCase(Locale.ROOT);
    }
}
