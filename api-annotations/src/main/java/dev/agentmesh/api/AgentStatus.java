package dev.agentmesh.api;

import java.util.Optional;

/**
 * One agent as the hypervisor sees it now: its ring, whether a kill stops it, and how many of its governed calls are
 * running. Immutable.
 *
 * @param agentId the agent
 * @param ring the ring it holds, from the policy
 * @param killedBy the kill in force that stops it (its own, its session's, or everything's), if any
 * @param callsInFlight how many of its governed calls are running now
 * @param quarantinedBy its quarantine in force, if any
 */
public record AgentStatus(String agentId, int ring, Optional<KillRecord> killedBy, int callsInFlight,
        Optional<QuarantineRecord> quarantinedBy) {

    /** @return whether a kill stops it */
    public boolean killed() {
        return killedBy.isPresent();
    }
}
