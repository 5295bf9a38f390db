package dev.agentmesh.api;

/** What a quarantine does to an agent's governed calls while it lasts. */
public enum QuarantineMode {
    /** The agent acts as if it held ring 3 (sandboxed), whatever its ring: only ring-3 tools stay open to it. */
    DEMOTE,
    /** Every governed call of the agent is refused with {@link AgentQuarantinedException}. */
    BLOCK
}
