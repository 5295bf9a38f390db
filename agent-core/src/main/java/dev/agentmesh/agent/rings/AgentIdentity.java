package dev.agentmesh.agent.rings;

import dev.agentmesh.agent.liability.TrustAccount;
import dev.agentmesh.audit.format.Utf8;

/**
 * An agent as a governed call sees it: id, ring, and the id encoded once for the trail. The ring is the policy's,
 * or, for an agent whose policy says {@code ring: trust}, what its effective trust earns now.
 */
public final class AgentIdentity {

    final String id;
    private final int fixedRing;
    /** Its trust account if its ring follows trust, else {@code null}. */
    private final TrustAccount trust;
    final byte[] idUtf8;
    /** The agent's rate limit, or {@code null} if the policy sets none. */
    final RateLimiter limiter;

    AgentIdentity(String id, int ring, TrustAccount trust, RateLimiter limiter) {
        this.id = id;
        this.fixedRing = ring;
        this.trust = trust;
        this.idUtf8 = Utf8.encode(id);
        this.limiter = limiter;
    }

    /** @return the agent id */
    public String id() {
        return id;
    }

    /** @return the agent id's UTF-8, encoded once for the trail; not to be modified */
    public byte[] idUtf8() {
        return idUtf8;
    }

    /** @return its ring now (before any quarantine or elevation): the policy's, or the one its trust earns */
    public int ring() {
        return trust == null ? fixedRing : trust.ring();
    }
}
