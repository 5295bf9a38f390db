package dev.agentmesh.agent.session;

import dev.agentmesh.agent.session.state.StateStore;
import dev.agentmesh.api.Ids;
import dev.agentmesh.api.SharedState;
import dev.agentmesh.api.StateConflictException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BinaryOperator;

/**
 * A session's {@link SharedState}: checks ids, admits the agent (joining it if needed, refusing if the session is
 * closed), then hands the operation to the store that keeps the session's consistency mode.
 */
final class SessionSharedState implements SharedState {

    private final AgentSession session;
    private final StateStore store;
    private final Map<String, BinaryOperator<String>> resolvers = new ConcurrentHashMap<>();

    SessionSharedState(AgentSession session, StateStore store) {
        this.session = session;
        this.store = store;
    }

    @Override
    public List<String> read(String agentId, String key) {
        admit(agentId, key);
        return store.read(agentId, key);
    }

    @Override
    public Optional<String> get(String agentId, String key) {
        List<String> values = read(agentId, key);
        if (values.size() <= 1) {
            return values.stream().findFirst();
        }
        BinaryOperator<String> merge = resolvers.get(key);
        if (merge == null) {
            throw new StateConflictException(key, values);
        }
        String merged = values.stream().reduce(merge).orElseThrow();
        if (merged == null) {
            throw new IllegalStateException("the conflict function for key '" + key + "' returned null");
        }
        // The reader has now seen every sibling, so its write supersedes them all.
        store.write(agentId, key, merged);
        return Optional.of(merged);
    }

    @Override
    public void put(String agentId, String key, String value) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null");
        }
        admit(agentId, key);
        store.write(agentId, key, value);
    }

    @Override
    public Set<String> keys(String agentId) {
        Ids.require("agentId", agentId);
        session.admitForState(agentId);
        return store.keys(agentId);
    }

    @Override
    public void onConflict(String key, BinaryOperator<String> merge) {
        Ids.require("key", key);
        if (merge == null) {
            throw new IllegalArgumentException("merge must not be null");
        }
        resolvers.put(key, merge);
    }

    private void admit(String agentId, String key) {
        Ids.require("agentId", agentId);
        Ids.require("key", key);
        session.admitForState(agentId);
    }
}
