package dev.agentmesh.api;

/**
 * Thrown instead of running a governed action in a session that no longer takes calls: it outlived its
 * {@link SessionConfig#maxDuration()}, or it is terminating or terminated. The denial is on the audit trail.
 */
public class SessionClosedException extends SecurityException {

    private static final long serialVersionUID = 1L;

    private final String sessionId;

    /**
     * @param sessionId the session
     * @param message why it takes no calls
     */
    public SessionClosedException(String sessionId, String message) {
        super(message);
        this.sessionId = sessionId;
    }

    /** @return the session that refused the call */
    public String sessionId() {
        return sessionId;
    }
}
