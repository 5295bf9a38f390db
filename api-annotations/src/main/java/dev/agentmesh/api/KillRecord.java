package dev.agentmesh.api;

import java.time.Instant;

/**
 * A kill in force: what, why, by whom, when, and what it did at once. Immutable.
 *
 * @param target what was killed
 * @param reason why
 * @param operatorId who killed it
 * @param at when
 * @param interruptedCalls how many governed calls in flight it interrupted
 * @param compensatingSagas the sagas it set compensating
 */
public record KillRecord(KillTarget target, String reason, String operatorId, Instant at, int interruptedCalls,
        java.util.List<String> compensatingSagas) {

    /** Copies the list. */
    public KillRecord {
        compensatingSagas = java.util.List.copyOf(compensatingSagas);
    }
}
