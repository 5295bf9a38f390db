package dev.agentmesh.agent.session;

import dev.agentmesh.agent.audit.AuditTrail;
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
        RecordEncoder encoder = new RecordEncoder().sessionEvent(0, 0, sessionIdUtf8, event,
                agentId == null ? NONE : Utf8.encode(agentId), agentRing, Utf8.encode(detail));
        byte[] hash = new byte[TrailFormat.HASH_LENGTH];
        long seq = trail.append(encoder, hash);
        return new Recorded(seq, Hex.of(hash));
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
