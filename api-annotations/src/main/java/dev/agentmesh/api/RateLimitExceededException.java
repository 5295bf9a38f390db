package dev.agentmesh.api;

/**
 * Thrown before the body runs when a governed call would exceed a rate limit the policy sets, for the agent or for
 * its session. The call's DENY record is on the trail. No stack trace: a flood of refused calls must stay cheap.
 */
public final class RateLimitExceededException extends SecurityException {

    private static final long serialVersionUID = 1L;

    private final String agentId;
    private final String limited;

    /**
     * @param agentId the agent whose call was refused
     * @param limited what is limited: {@code agent <id>} or {@code session <id>}
     * @param limit the limit, as the policy gives it
     * @param method the call
     */
    public RateLimitExceededException(String agentId, String limited, String limit, String method) {
        super(agentId + " may not call " + method + " now: " + limited + " is over its rate limit (" + limit
                + ")");
        this.agentId = agentId;
        this.limited = limited;
    }

    /** @return the agent whose call was refused */
    public String agentId() {
        return agentId;
    }

    /** @return what is limited: {@code agent <id>} or {@code session <id>} */
    public String limited() {
        return limited;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
