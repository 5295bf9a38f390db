package dev.agentmesh.agent.session.state;

/** Where a store reports each write, before the write takes effect: the audit trail. */
@FunctionalInterface
public interface WriteLog {

    /**
     * @param agentId the writer, or {@link StateStore#SYSTEM}
     * @param key the key
     * @param value the value, or {@code null} if the key was removed
     * @param clock the write's clock in the store's own terms (a position, a vector clock, a Lamport time)
     * @throws dev.agentmesh.api.AuditUnavailableException if it cannot be recorded; the write then does not happen
     */
    void written(String agentId, String key, String value, String clock);
}
