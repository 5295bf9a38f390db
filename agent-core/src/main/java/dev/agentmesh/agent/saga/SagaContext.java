package dev.agentmesh.agent.saga;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.AgentKilledError;
import dev.agentmesh.api.KillRecord;
import dev.agentmesh.api.KillTarget;
import dev.agentmesh.api.Compensation;
import dev.agentmesh.api.GovernedAction;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.StepContext;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * What running a saga's actions and compensations needs: who it runs as, where, and its journal. One per saga run,
 * and one per saga a later run recovers.
 */
final class SagaContext {

    private final String id;
    private final String name;
    private final String agentId;
    private final Session session;
    private final SagaJournal journal;
    private final ExecutorService pool;
    private final Duration deadline;
    private final String sessionId;
    private volatile Thread thread;
    private volatile KillRecord killedBy;

    /**
     * @param id the saga's id
     * @param name its name
     * @param agentId the agent it runs as, or {@code null}
     * @param session the session it runs in, or {@code null} when recovering (the session died with its run)
     * @param journal its journal
     * @param pool threads for parallel groups, timeouts and parallel compensation
     * @param deadline its deadline, or {@code null}
     */
    SagaContext(String id, String name, String agentId, Session session, SagaJournal journal, ExecutorService pool,
            Duration deadline) {
        this.id = id;
        this.name = name;
        this.agentId = agentId;
        this.session = session;
        this.journal = journal;
        this.pool = pool;
        this.deadline = deadline;
        this.sessionId = session == null ? null : session.id();
    }

    /** @param runner the thread running the saga's steps */
    void runsOn(Thread runner) {
        this.thread = runner;
    }

    /**
     * Marks the saga killed if the kill targets its agent or session, and interrupts its thread.
     *
     * @return whether it was
     */
    boolean killedBy(KillTarget target, KillRecord kill) {
        boolean hit = switch (target.kind()) {
            case ALL -> true;
            case AGENT -> target.id().equals(agentId);
            case SESSION -> target.id().equals(sessionId);
        };
        if (hit) {
            killedBy = kill;
            Thread runner = thread;
            if (runner != null && runner != Thread.currentThread()) {
                runner.interrupt();
            }
        }
        return hit;
    }

    /** @return the failure a killed saga ends its running step with, or {@code null} if it is not killed */
    AgentKilledError killed() {
        KillRecord kill = killedBy;
        return kill == null ? null : new AgentKilledError(agentId == null ? "-" : agentId, kill.target(),
                kill.reason(), kill.operatorId());
    }

    String id() {
        return id;
    }

    String name() {
        return name;
    }

    SagaJournal journal() {
        return journal;
    }

    ExecutorService pool() {
        return pool;
    }

    Duration deadline() {
        return deadline;
    }

    /**
     * Runs a step's action as the saga's agent in its session, which admits the agent (a closed session refuses
     * it), with the step bound for {@link dev.agentmesh.api.Saga#currentStep()}.
     */
    Object runStep(StepContext step, GovernedAction<?> action) throws Exception {
        GovernedAction<Object> bound = () -> AgentSaga.withStep(step, action);
        return agentId == null ? bound.run() : session.runAs(agentId, bound);
    }

    /**
     * Runs a compensation as the saga's agent, bound to its session if it has one but not admitted to it: an undo
     * must run even once the session has closed.
     */
    void runCompensation(StepContext step, Compensation<Object> compensation, Object result) throws Exception {
        GovernedAction<Object> undo = () -> {
            compensation.compensate(result);
            return null;
        };
        if (agentId == null) {
            AgentSaga.withStep(step, undo);
            return;
        }
        try (AgentContext.Scope ignored = AgentSaga.bind(agentId, session)) {
            AgentSaga.withStep(step, undo);
        }
    }
}
