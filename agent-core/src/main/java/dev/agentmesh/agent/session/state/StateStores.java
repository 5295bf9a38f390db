package dev.agentmesh.agent.session.state;

import dev.agentmesh.api.ConsistencyMode;
import dev.agentmesh.api.SessionConfig;
import java.util.concurrent.ScheduledExecutorService;

/** Makes the store that keeps a session's consistency mode. */
public final class StateStores {

    private StateStores() {
    }

    /**
     * @param config the session's configuration: its mode, and in EVENTUAL mode its convergence bound
     * @param log where writes are logged
     * @param sync the thread EVENTUAL stores spread writes on
     * @return a store for a new session
     */
    public static StateStore create(SessionConfig config, WriteLog log, ScheduledExecutorService sync) {
        ConsistencyMode mode = config.consistencyMode();
        switch (mode) {
            case STRICT:
                return new LinearizableStore(log);
            case CAUSAL:
                return new CausalStore(log);
            case EVENTUAL:
                return new ReplicatedStore(log, sync, config.convergenceBound().toNanos());
            default:
                throw new IllegalArgumentException("no store for " + mode);
        }
    }
}
