package dev.agentmesh.agent.session;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.CallScratch;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.SessionEvent;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.Utf8;

/** Writes a session's lifecycle to the audit trail: one SESSION record per event. */
final class SessionRecorder {

    private static final byte[] NONE = new byte[0];

    private final AuditTrail trail;

    SessionRecorder(AuditTrail trail) {
        this.trail = trail;
    }

    /**
     * @param sessionIdUtf8 the session
     * @param event what happened
     * @param agentId the agent it happened to, or {@code null}
     * @param agentRing that agent's ring, or {@link TrailFormat#NO_RING}
     * @param detail more about it, or empty
     * @return where the record landed
     * @throws dev.agentmesh.api.AuditUnavailableException if it cannot be written
     */
    Recorded record(byte[] sessionIdUtf8, SessionEvent event, String agentId, int agentRing, String detail) {
        byte[] hash = new byte[TrailFormat.HASH_LENGTH];
        long seq = trail.append(encode(sessionIdUtf8, event, agentId == null ? null : Utf8.encode(agentId), agentRing,
                detail), hash);
        return new Recorded(seq, Hex.of(hash));
    }

    /**
     * {@link #record}, for a caller that needs only the seq: the frequent records (a state write, a join) allocate
     * no hash.
     *
     * @param agentIdUtf8 the UTF-8 of the agent it happened to, or {@code null}
     * @return the record's seq
     * @throws dev.agentmesh.api.AuditUnavailableException if it cannot be written
     */
    long append(byte[] sessionIdUtf8, SessionEvent event, byte[] agentIdUtf8, int agentRing, String detail) {
        return trail.append(encode(sessionIdUtf8, event, agentIdUtf8, agentRing, detail));
    }

    private static RecordEncoder encode(byte[] sessionIdUtf8, SessionEvent event, byte[] agentIdUtf8, int agentRing,
            String detail) {
        return CallScratch.get().eventEncoder.sessionEvent(0, 0, sessionIdUtf8, event,
                agentIdUtf8 == null ? NONE : agentIdUtf8, agentRing, detail.isEmpty() ? NONE : Utf8.encode(detail));
    }

    /**
     * Where a record landed on the trail.
     *
     * @param seq its seq
     * @param hash its chain hash, hex
     */
    record Recorded(long seq, String hash) {
    }
}
