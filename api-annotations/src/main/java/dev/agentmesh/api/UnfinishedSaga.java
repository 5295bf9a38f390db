package dev.agentmesh.api;

import java.util.List;

/**
 * A saga that an earlier run of the application left RUNNING or COMPENSATING, as the audit trail shows it: what
 * {@link SagaRecovery#unfinished()} finds. Immutable.
 */
public final class UnfinishedSaga {

    private final String sagaId;
    private final String name;
    private final String sessionId;
    private final String agentId;
    private final SagaState state;
    private final List<String> toCompensate;

    /**
     * @param sagaId the saga's id
     * @param name its name
     * @param sessionId the session it ran in, or empty
     * @param agentId the agent it ran as, or empty
     * @param state {@link SagaState#RUNNING} or {@link SagaState#COMPENSATING}
     * @param toCompensate the steps that still need compensating, in the order recovery will undo them
     */
    public UnfinishedSaga(String sagaId, String name, String sessionId, String agentId, SagaState state,
            List<String> toCompensate) {
        this.sagaId = sagaId;
        this.name = name;
        this.sessionId = sessionId;
        this.agentId = agentId;
        this.state = state;
        this.toCompensate = List.copyOf(toCompensate);
    }

    /** @return the saga's id */
    public String sagaId() {
        return sagaId;
    }

    /** @return the saga's name: recovery looks compensations up by it */
    public String name() {
        return name;
    }

    /** @return the session it ran in, or empty */
    public String sessionId() {
        return sessionId;
    }

    /** @return the agent it ran as, or empty */
    public String agentId() {
        return agentId;
    }

    /** @return RUNNING or COMPENSATING: where it was when its run stopped */
    public SagaState state() {
        return state;
    }

    /** @return the steps recovery will compensate, newest first */
    public List<String> toCompensate() {
        return toCompensate;
    }

    @Override
    public String toString() {
        return "UnfinishedSaga[" + sagaId + " (" + name + ") " + state + ", to compensate " + toCompensate + "]";
    }
}
