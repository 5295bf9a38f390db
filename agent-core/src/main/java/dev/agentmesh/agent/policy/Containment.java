package dev.agentmesh.agent.policy;

/**
 * How a blast radius contains an agent: as a quarantine that demotes it to ring 3 or blocks it. The policy's own
 * type, not the API's {@code QuarantineMode}: the policy is read before the API is on the bootstrap class path.
 */
public enum Containment {
    /** Demoted to ring 3. */
    DEMOTE,
    /** Every governed call refused. */
    BLOCK
}
