package dev.agentmesh.agent.saga;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.CallScratch;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.SagaEvent;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.Utf8;
import java.nio.charset.StandardCharsets;

/**
 * Writes one saga's transitions to the audit trail as SAGA records: the trail is the saga journal. Every write goes
 * through the trail's lock and is on the queue before this returns, so a STARTED record written before an action
 * runs survives the process dying while the action runs.
 */
final class SagaJournal {

    /** {@code STEP_FAILED}/{@code COMPENSATION_FAILED} data: another attempt follows. */
    static final String RETRY = "retry";
    /** {@code STEP_FAILED}/{@code COMPENSATION_FAILED} data: no other attempt follows. */
    static final String FINAL = "final";
    /** Appended to the STEP_FAILED data when the attempt may have had its effect (it timed out). */
    static final String UNKNOWN = ",unknown";

    private static final byte[] NOTHING = new byte[0];
    private static final byte[] RETRY_UTF8 = Utf8.encode(RETRY);
    private static final byte[] FINAL_UTF8 = Utf8.encode(FINAL);

    private final AuditTrail trail;
    private final byte[] sessionId;
    private final byte[] sagaId;
    private final byte[] agentId;

    /**
     * @param trail the trail
     * @param sessionId the session the saga runs in, or empty
     * @param sagaId the saga
     * @param agentId the agent it runs as, or empty
     */
    SagaJournal(AuditTrail trail, String sessionId, String sagaId, String agentId) {
        this.trail = trail;
        this.sessionId = Utf8.encode(sessionId);
        this.sagaId = Utf8.encode(sagaId);
        this.agentId = Utf8.encode(agentId);
    }

    /**
     * Records a saga-level event.
     *
     * @throws dev.agentmesh.api.AuditUnavailableException if it cannot be written
     */
    void saga(SagaEvent event, String detail, String data) {
        write(event, "", 0, -1, detail, data);
    }

    /**
     * Records a step or compensation event.
     *
     * @param durationNanos how long the attempt ran, or -1 when it has not run yet
     * @throws dev.agentmesh.api.AuditUnavailableException if it cannot be written
     */
    void step(SagaEvent event, String step, int attempt, long durationNanos, String detail, String data) {
        write(event, step, attempt, durationNanos, detail, data);
    }

    private void write(SagaEvent event, String step, int attempt, long durationNanos, String detail, String data) {
        RecordEncoder encoder = CallScratch.get().eventEncoder.sagaEvent(0, 0, sessionId, sagaId, event, agentId,
                utf8(step), attempt, durationNanos, clipped(detail), utf8(data));
        trail.append(encoder);
    }

    /** The UTF-8 of a field, without encoding the empty string and the constant data values each time. */
    private static byte[] utf8(String value) {
        if (value == null || value.isEmpty()) {
            return NOTHING;
        }
        if (value.equals(RETRY)) {
            return RETRY_UTF8;
        }
        return value.equals(FINAL) ? FINAL_UTF8 : Utf8.encode(value);
    }

    /** A detail is for people: an exception message longer than a string field may hold is cut, not refused. */
    private static byte[] clipped(String detail) {
        if (detail == null || detail.isEmpty()) {
            return NOTHING;
        }
        byte[] bytes = detail.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= TrailFormat.MAX_STRING_BYTES ? bytes
                : Utf8.encode(detail.substring(0, TrailFormat.MAX_STRING_BYTES / 4) + "...");
    }

    /** @return {@code <class>: <message>} of a failure, for a detail */
    static String describe(Throwable t) {
        return t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
