package dev.agentmesh.api;

import java.time.Instant;

/**
 * A quarantine in force. Immutable.
 *
 * @param agentId the quarantined agent
 * @param mode demoted to ring 3, or blocked
 * @param reason why
 * @param operatorId who quarantined it
 * @param from when it began
 * @param until when it ends by itself
 */
public record QuarantineRecord(String agentId, QuarantineMode mode, String reason, String operatorId, Instant from,
        Instant until) {
}
