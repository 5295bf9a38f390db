package dev.agentmesh.api;

/**
 * Thrown by every governed call of an agent (or session) an operator has killed, until it is revived. It is an
 * {@link Error}, not an exception, so it cuts through frameworks that catch {@code Exception} and would hand it to
 * the model as a tool error: a killed agent's work stops. Its call's DENY record is on the trail before it is thrown.
 */
public final class AgentKilledError extends Error {

    private static final long serialVersionUID = 1L;

    private final String agentId;
    private final KillTarget target;
    private final String reason;
    private final String operatorId;

    /**
     * @param agentId the agent whose call was refused
     * @param target what was killed: the agent, its session, or everything
     * @param reason why, as the operator gave it
     * @param operatorId who killed it
     */
    public AgentKilledError(String agentId, KillTarget target, String reason, String operatorId) {
        super("agent " + agentId + " is killed (" + target + " by " + operatorId + ": " + reason
                + "); it makes no more governed calls until an operator revives it", null, false, true);
        this.agentId = agentId;
        this.target = target;
        this.reason = reason;
        this.operatorId = operatorId;
    }

    /** @return the agent whose call was refused */
    public String agentId() {
        return agentId;
    }

    /** @return what was killed */
    public KillTarget target() {
        return target;
    }

    /** @return why */
    public String reason() {
        return reason;
    }

    /** @return who killed it */
    public String operatorId() {
        return operatorId;
    }
}
