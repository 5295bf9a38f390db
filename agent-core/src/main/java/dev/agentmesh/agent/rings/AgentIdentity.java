package dev.agentmesh.agent.rings;

import dev.agentmesh.audit.format.Utf8;

/** An agent as a governed call sees it: id, ring, and the id encoded once for the trail. */
public final class AgentIdentity {

    final String id;
    final int ring;
    final byte[] idUtf8;
    /** The agent's rate limit, or {@code null} if the policy sets none. */
    final RateLimiter limiter;

    AgentIdentity(String id, int ring, RateLimiter limiter) {
        this.id = id;
        this.ring = ring;
        this.idUtf8 = Utf8.encode(id);
        this.limiter = limiter;
    }

    /** @return the agent id */
    public String id() {
        return id;
    }

    /** @return its ring, from the policy */
    public int ring() {
        return ring;
    }
}
