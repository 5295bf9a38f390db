package dev.agentmesh.api;

/**
 * What a session's shared state guarantees to the agents that read and write it.
 *
 * @see SessionConfig.Builder#consistencyMode(ConsistencyMode)
 */
public enum ConsistencyMode {
    /** Linearizable: every read sees the latest completed write. */
    STRICT,
    /**
     * Causal: no agent observes an effect before its cause; concurrent writes to one key are kept side by side until
     * they are resolved, never silently dropped.
     */
    CAUSAL,
    /**
     * Eventual: each agent reads its own replica, which may be stale; replicas converge once writes stop, within a
     * bounded time.
     */
    EVENTUAL
}
