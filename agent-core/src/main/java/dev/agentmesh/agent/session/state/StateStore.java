package dev.agentmesh.agent.session.state;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One session's shared key-value state, in one consistency mode. Callers have checked ids and admitted the agent;
 * a store only keeps the mode's promise and logs each write. Thread-safe.
 */
public interface StateStore {

    /** The writer id a store uses for the hypervisor's own writes: restores and merges. Not a valid agent id. */
    String SYSTEM = "@hypervisor";

    /**
     * @param agentId the reader
     * @param key the key
     * @return the values the reader sees, sorted; empty if absent
     */
    List<String> read(String agentId, String key);

    /**
     * @param agentId the writer
     * @param key the key
     * @param value the value
     */
    void write(String agentId, String key, String value);

    /**
     * @param agentId the reader
     * @return the keys it sees, sorted
     */
    Set<String> keys(String agentId);

    /** @return every key's values as the state stands as a whole (in EVENTUAL, what the replicas converge to) */
    Map<String, List<String>> snapshot();

    /**
     * Makes the state exactly {@code values}, as the hypervisor: every key that changes is logged as a write by
     * {@link #SYSTEM} (a removed key with a {@code null} value), and every reader sees the result at once.
     *
     * @param values every key's values; keys not in it are removed
     */
    void replaceAll(Map<String, List<String>> values);
}
