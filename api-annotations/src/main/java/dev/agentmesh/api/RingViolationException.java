package dev.agentmesh.api;

/**
 * Thrown inside a governed method, before its body runs, when the calling agent's ring is less privileged than
 * the ring the method requires. The denial is already on the audit trail when this is thrown.
 *
 * <p>To keep a denial cheap, the exception does not fill in its stack trace unless the agent is configured with
 * {@code deny.stacktrace=true}.
 */
public class RingViolationException extends SecurityException {

    private static final long serialVersionUID = 1L;

    private final String agentId;
    private final int agentRing;
    private final String method;
    private final int requiredRing;

    /**
     * Creates the exception.
     *
     * @param agentId the agent that was denied
     * @param agentRing the ring that agent holds
     * @param method the governed method, as {@code com.acme.Tools#writeFile(Ljava/lang/String;)V}
     * @param requiredRing the ring the method requires
     * @param withStackTrace whether to capture the stack trace
     */
    public RingViolationException(
            String agentId, int agentRing, String method, int requiredRing, boolean withStackTrace) {
        super((String) null);
        this.agentId = agentId;
        this.agentRing = agentRing;
        this.method = method;
        this.requiredRing = requiredRing;
        if (withStackTrace) {
            super.fillInStackTrace();
        }
    }

    /**
     * Creates the exception without a stack trace.
     *
     * @param agentId the agent that was denied
     * @param agentRing the ring that agent holds
     * @param method the governed method
     * @param requiredRing the ring the method requires
     */
    public RingViolationException(String agentId, int agentRing, String method, int requiredRing) {
        this(agentId, agentRing, method, requiredRing, false);
    }

    /**
     * Built when asked for, not when thrown: a denial that is caught and dropped costs no string building.
     *
     * @return {@code agent '<id>' (ring <r>) may not call <method>, which requires ring <m>}
     */
    @Override
    public String getMessage() {
        return "agent '" + agentId + "' (ring " + agentRing + ") may not call " + method
                + ", which requires ring " + requiredRing;
    }

    /** Skipped here; the constructor fills the trace in only when asked to. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    /** @return the agent that was denied */
    public String agentId() {
        return agentId;
    }

    /** @return the ring the denied agent holds */
    public int agentRing() {
        return agentRing;
    }

    /** @return the governed method, as {@code class#name(descriptor)} */
    public String method() {
        return method;
    }

    /** @return the ring the method requires */
    public int requiredRing() {
        return requiredRing;
    }
}
