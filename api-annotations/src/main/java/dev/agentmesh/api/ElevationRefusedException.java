package dev.agentmesh.api;

/**
 * Thrown by {@link Hypervisor#elevate} when the policy does not allow the agent that elevation: no elevation at all,
 * a ring beyond its limit (ring 0 never), a time beyond its limit, or no justification. The attempt and its refusal are
 * on the trail (the call to {@code Hypervisor#elevate} and its THREW outcome).
 */
public final class ElevationRefusedException extends SecurityException {

    private static final long serialVersionUID = 1L;

    /** @param message what the policy allows, and what was asked */
    public ElevationRefusedException(String message) {
        super(message);
    }
}
