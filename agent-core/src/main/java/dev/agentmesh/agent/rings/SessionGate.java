package dev.agentmesh.agent.rings;

/**
 * What the governor needs from the session a call is bound to: its id, to record, and whether it still takes calls.
 * Implemented by the hypervisor's sessions.
 */
public interface SessionGate {

    /** @return the session id */
    String id();

    /** @return the session id in UTF-8, as records carry it; the same array every time */
    byte[] idUtf8();

    /**
     * Asked before every call bound to the session.
     *
     * @return {@code null} if the session takes calls; otherwise why not, for the exception
     */
    String refusal();

    /** @return the session's rate limit, or {@code null} if it has none */
    default RateLimiter limiter() {
        return null;
    }
}
