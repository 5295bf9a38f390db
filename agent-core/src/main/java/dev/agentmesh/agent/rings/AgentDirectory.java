package dev.agentmesh.agent.rings;

import dev.agentmesh.agent.liability.TrustAccount;
import dev.agentmesh.agent.liability.TrustLedger;
import dev.agentmesh.agent.policy.Policy;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves the agent in context to its identity and ring under the policy, caching each agent so a governed call
 * neither encodes nor allocates. The cache is bounded: past {@value #MAX_CACHED} distinct agents, identities are
 * built per call rather than letting an agent-id flood grow the heap.
 */
final class AgentDirectory {

    static final int MAX_CACHED = 10_000;

    private final Policy policy;
    private final TrustLedger ledger;
    private final AgentIdentity defaultAgent;
    private final ConcurrentHashMap<String, AgentIdentity> cache = new ConcurrentHashMap<>();

    /**
     * @param policy who holds which ring
     * @param ledger the trust of agents whose ring follows it, or {@code null} without a liability section
     */
    AgentDirectory(Policy policy, TrustLedger ledger) {
        this.policy = policy;
        this.ledger = ledger;
        this.defaultAgent = identity(policy.defaultAgent());
    }

    private AgentIdentity identity(String id) {
        // The ledger opens an account for every agent whose ring follows trust, so find() is never null for one.
        TrustAccount trust = ledger != null && policy.ringFromTrust(id) ? ledger.find(id) : null;
        return new AgentIdentity(id, policy.ringOf(id), trust, policy.limitOf(id).map(RateLimiter::new).orElse(null));
    }

    /** @return the agent calls with no agent in context are made as */
    AgentIdentity defaultAgent() {
        return defaultAgent;
    }

    /** @return the agent acting on this thread, or the policy's default agent if none is in context */
    AgentIdentity current() {
        String id = ThreadContext.agentId();
        return id == null ? defaultAgent : of(id);
    }

    /** @param id an agent id @return that agent, with its ring from the policy */
    AgentIdentity of(String id) {
        AgentIdentity known = cache.get(id);
        if (known != null) {
            return known;
        }
        AgentIdentity fresh = identity(id);
        if (cache.size() < MAX_CACHED) {
            cache.putIfAbsent(id, fresh);
        }
        return fresh;
    }

    /** @return the agents the policy names, the default agent, and those cached as having acted; sorted by id */
    java.util.List<AgentIdentity> known() {
        java.util.TreeMap<String, AgentIdentity> all = new java.util.TreeMap<>();
        for (String id : policy.agents().keySet()) {
            all.put(id, of(id));
        }
        all.put(defaultAgent.id, defaultAgent);
        cache.forEach(all::putIfAbsent);
        return java.util.List.copyOf(all.values());
    }
}
