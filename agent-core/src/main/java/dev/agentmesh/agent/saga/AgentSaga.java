package dev.agentmesh.agent.saga;

import dev.agentmesh.agent.rings.SessionGate;
import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.AgentKilledError;
import dev.agentmesh.api.Compensation;
import dev.agentmesh.api.GovernedAction;
import dev.agentmesh.api.Ids;
import dev.agentmesh.api.ParallelSteps;
import dev.agentmesh.api.Saga;
import dev.agentmesh.api.SagaState;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionClosedException;
import dev.agentmesh.api.StepContext;
import dev.agentmesh.api.StepOptions;
import dev.agentmesh.audit.format.SagaEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The javaagent's {@link Saga}: its definition, and its run: steps in order (groups at once), and on a compensable
 * failure the completed steps undone newest first, every transition on the trail before or after it happens.
 */
final class AgentSaga extends Saga {

    private final Sagas sagas;
    private final Session session;
    private final SessionGate gate;
    private final String id;
    private final String name;
    private final List<List<StepSpec>> units = new ArrayList<>();
    private final Set<String> stepNames = new HashSet<>();
    private final Map<String, Optional<Object>> results = new ConcurrentHashMap<>();
    private String agentId;
    private Duration deadline;
    private boolean parallelCompensation;
    private List<Class<? extends Throwable>> compensable;
    private int groups;
    private boolean hasPivot;
    private volatile SagaState state = SagaState.CREATED;
    private volatile Throwable failure;

    AgentSaga(Sagas sagas, Session session, SessionGate gate, String id, String name, String agentId) {
        this.sagas = sagas;
        this.session = session;
        this.gate = gate;
        this.id = id;
        this.name = name;
        this.agentId = agentId;
    }

    /** Runs {@code body} with {@code step} bound for {@link Saga#currentStep()}. */
    static <T> T withStep(StepContext step, GovernedAction<T> body) throws Exception {
        StepContext previous = bindStep(step);
        try {
            return body.run();
        } finally {
            bindStep(previous);
        }
    }

    /**
     * Binds a step to this thread for {@link Saga#currentStep()}, for steps whose body runs between two woven hooks.
     *
     * @return the step bound before, to bind again when the step ends
     */
    static StepContext bindStepContext(StepContext step) {
        return bindStep(step);
    }

    /** Binds the agent and the session without admitting the agent, for compensations. */
    static AgentContext.Scope bind(String agentId, Session session) {
        return bindContext(agentId, session);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Session session() {
        return session;
    }

    @Override
    public Optional<String> agentId() {
        return Optional.ofNullable(agentId);
    }

    @Override
    public SagaState state() {
        return state;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Saga step(String name, GovernedAction<T> action, Compensation<? super T> compensation,
            StepOptions options) {
        requireDefining();
        StepSpec step = spec(name, action, (Compensation<Object>) compensation, options, 0);
        if (step.options().pivot()) {
            if (hasPivot) {
                throw new IllegalArgumentException("saga " + this.name + " has a pivot already; a saga has at most one");
            }
            hasPivot = true;
        }
        units.add(List.of(step));
        return this;
    }

    @Override
    public Saga parallel(Consumer<ParallelSteps> group) {
        requireDefining();
        Objects.requireNonNull(group, "group");
        int number = groups + 1;
        List<StepSpec> steps = new ArrayList<>();
        group.accept(new ParallelSteps() {
            @Override
            public <T> ParallelSteps step(String name, GovernedAction<T> action, Compensation<? super T> compensation) {
                return step(name, action, compensation, StepOptions.defaults());
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> ParallelSteps step(String name, GovernedAction<T> action,
                    Compensation<? super T> compensation, StepOptions options) {
                StepSpec step = spec(name, action, (Compensation<Object>) compensation, options, number);
                if (step.options().pivot()) {
                    stepNames.remove(name);
                    throw new IllegalArgumentException("step " + name + " is in a parallel group, which cannot hold "
                            + "the pivot: the pivot must complete alone before anything after it");
                }
                steps.add(step);
                return this;
            }
        });
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a parallel group needs at least one step");
        }
        groups = number;
        units.add(List.copyOf(steps));
        return this;
    }

    @Override
    public Saga deadline(Duration limit) {
        requireDefining();
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("deadline must be more than zero, got " + limit);
        }
        this.deadline = limit;
        return this;
    }

    @Override
    public Saga compensateInParallel() {
        requireDefining();
        this.parallelCompensation = true;
        return this;
    }

    @Override
    @SafeVarargs
    public final Saga compensateOn(Class<? extends Throwable>... types) {
        requireDefining();
        Objects.requireNonNull(types, "types");
        if (types.length == 0) {
            throw new IllegalArgumentException("compensateOn needs at least one type");
        }
        this.compensable = List.of(types);
        return this;
    }

    @Override
    public Saga as(String agentId) {
        requireDefining();
        this.agentId = Ids.require("agentId", agentId);
        return this;
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public Object result(String step) {
        Optional<Object> result = results.get(step);
        if (result == null) {
            throw new IllegalArgumentException("saga " + id + " has no completed step " + step);
        }
        return result.orElse(null);
    }

    @Override
    public SagaState run() {
        synchronized (this) {
            if (state != SagaState.CREATED) {
                throw new IllegalStateException("saga " + id + " has been run; a saga runs once");
            }
            if (units.isEmpty()) {
                throw new IllegalStateException("saga " + id + " has no steps");
            }
            String refusal = gate.refusal();
            if (refusal != null) {
                throw new SessionClosedException(session.id(), refusal);
            }
            state = SagaState.RUNNING;
        }
        SagaContext context = sagas.context(id, name, agentId, session, session.id(), deadline);
        sagas.started(context);
        try {
            context.journal().saga(SagaEvent.SAGA_STARTED, describe(), name + "\n" + String.join(",", stepNames()));
            return runSteps(context, new StepRunner(context, System.nanoTime()));
        } finally {
            sagas.ended(id);
        }
    }

    private SagaState runSteps(SagaContext context, StepRunner runner) {
        List<StepOutcome> done = new ArrayList<>();
        String pivot = null;
        for (List<StepSpec> unit : units) {
            if (context.killed() != null) {
                return fail(context, context.killed(), done, pivot);
            }
            List<StepOutcome> outcomes = unit.size() == 1 ? List.of(runner.run(unit.get(0))) : runner.runAll(unit);
            done.addAll(outcomes);
            Throwable failed = null;
            for (StepOutcome outcome : outcomes) {
                if (outcome.completed()) {
                    results.put(outcome.step().name(), Optional.ofNullable(outcome.result()));
                } else if (failed == null) {
                    failed = outcome.failure();
                } else {
                    failed.addSuppressed(outcome.failure());
                }
            }
            if (failed != null) {
                return fail(context, failed, done, pivot);
            }
            if (unit.get(0).options().pivot()) {
                pivot = unit.get(0).name();
            }
        }
        context.journal().saga(SagaEvent.SAGA_COMPLETED, done.size() + " steps", "");
        return end(SagaState.COMPLETED, null);
    }

    private SagaState fail(SagaContext context, Throwable cause, List<StepOutcome> done, String pivot) {
        AgentKilledError killed = context.killed();
        if (killed != null && !(cause instanceof AgentKilledError)) {
            cause.addSuppressed(killed); // the step failed because the saga was killed: say so
        }
        if (pivot != null) {
            context.journal().saga(SagaEvent.SAGA_FAILED, "failed after the pivot " + pivot
                    + " completed, so nothing is compensated: " + SagaJournal.describe(cause), "");
            return end(SagaState.FAILED, cause);
        }
        if (killed == null && !isCompensable(cause)) {
            context.journal().saga(SagaEvent.SAGA_FAILED, "not a compensable failure (compensateOn "
                    + compensable.stream().map(Class::getName).toList() + "): " + SagaJournal.describe(cause), "");
            return end(SagaState.FAILED, cause);
        }
        state = SagaState.COMPENSATING;
        context.journal().saga(SagaEvent.SAGA_COMPENSATING, SagaJournal.describe(cause), "");
        List<Compensator.Undo> undos = new ArrayList<>();
        for (int i = done.size() - 1; i >= 0; i--) {
            StepOutcome outcome = done.get(i);
            StepSpec step = outcome.step();
            if (outcome.needsUndo() && step.compensation() != null) {
                undos.add(new Compensator.Undo(step.name(), step.idempotencyKey(id), step.compensation(),
                        outcome.result(), step.options(), 0));
            }
        }
        List<Throwable> undoFailures = new Compensator(context).compensate(undos, parallelCompensation);
        if (undoFailures.isEmpty()) {
            context.journal().saga(SagaEvent.SAGA_COMPENSATED, undos.size() + " steps undone", "");
            return end(SagaState.COMPENSATED, cause);
        }
        undoFailures.forEach(cause::addSuppressed);
        context.journal().saga(SagaEvent.SAGA_COMPENSATION_FAILED, undoFailures.size() + " of " + undos.size()
                + " compensations failed: an operator is needed", "");
        return end(SagaState.COMPENSATION_FAILED, cause);
    }

    private boolean isCompensable(Throwable cause) {
        if (compensable == null) {
            return true;
        }
        for (Class<? extends Throwable> type : compensable) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private SagaState end(SagaState end, Throwable cause) {
        failure = cause;
        state = end;
        return end;
    }

    private List<String> stepNames() {
        List<String> names = new ArrayList<>();
        for (List<StepSpec> unit : units) {
            for (StepSpec step : unit) {
                names.add(step.name());
            }
        }
        return names;
    }

    private String describe() {
        int steps = 0;
        for (List<StepSpec> unit : units) {
            steps += unit.size();
        }
        return "saga " + name + ", " + steps + " steps" + (agentId == null ? "" : ", agent " + agentId)
                + (session == null ? "" : ", session " + session.id())
                + (deadline == null ? "" : ", deadline " + deadline)
                + ", compensation " + (parallelCompensation ? "parallel" : "sequential")
                + (compensable == null ? "" : ", compensateOn " + compensable.stream().map(Class::getName).toList());
    }

    private StepSpec spec(String stepName, GovernedAction<?> action, Compensation<Object> compensation,
            StepOptions options, int group) {
        Ids.require("step", stepName);
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(options, "options");
        if (!stepNames.add(stepName)) {
            throw new IllegalArgumentException("saga " + name + " has a step " + stepName + " already");
        }
        return new StepSpec(stepName, action, compensation, options, group);
    }

    private void requireDefining() {
        if (state != SagaState.CREATED) {
            throw new IllegalStateException("saga " + id + " has been run; it can no longer be changed");
        }
    }
}
