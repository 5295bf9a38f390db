package dev.agentmesh.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BinaryOperator;

/**
 * The key-value state a session's participants share ({@link Session#state()}). Keys follow the id rule of
 * {@link Ids}; values are strings. Every write is recorded on the audit trail with its key, the SHA-256 of its
 * value and its clock. Every read and write is made as a participant: an agent that is not one joins first.
 *
 * <p>What a read may return depends on the session's {@link ConsistencyMode}:
 * <table>
 *   <caption>Guarantees</caption>
 *   <tr><th>Mode</th><th>A read returns</th></tr>
 *   <tr><td>{@code STRICT}</td><td>the latest completed write (linearizable)</td></tr>
 *   <tr><td>{@code CAUSAL}</td><td>every value not superseded by a write that saw it: one value, or several
 *       <em>siblings</em> when agents wrote the key concurrently; never a value older than one the reader's causal
 *       past already holds</td></tr>
 *   <tr><td>{@code EVENTUAL}</td><td>the reader's own replica, which may be stale; replicas converge once writes
 *       stop, within {@link SessionConfig#convergenceBound()}</td></tr>
 * </table>
 */
public interface SharedState {

    /**
     * @param agentId the reading agent
     * @param key the key
     * @return every current value of the key as this agent may see it, sorted; empty if absent; more than one only in
     *     CAUSAL mode, for concurrent writes no one has resolved
     */
    List<String> read(String agentId, String key);

    /**
     * Reads one value. In CAUSAL mode, siblings are first resolved by the key's {@link #onConflict} function (the
     * result is written, as this agent, superseding them).
     *
     * @param agentId the reading agent
     * @param key the key
     * @return the value, or empty if absent
     * @throws StateConflictException if the key has siblings and no conflict function
     */
    Optional<String> get(String agentId, String key);

    /**
     * Writes a value. In CAUSAL mode it supersedes every value of the key this agent has seen, so writing after
     * reading siblings resolves them.
     *
     * @param agentId the writing agent
     * @param key the key
     * @param value the value, not null
     */
    void put(String agentId, String key, String value);

    /**
     * @param agentId the reading agent
     * @return the keys that agent sees, sorted
     */
    Set<String> keys(String agentId);

    /**
     * Declares how {@link #get} resolves concurrent siblings of {@code key} in CAUSAL mode: folded pairwise in sorted
     * order. Other modes never have siblings.
     *
     * @param key the key
     * @param merge the resolver
     */
    void onConflict(String key, BinaryOperator<String> merge);
}
