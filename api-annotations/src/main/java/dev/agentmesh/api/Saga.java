package dev.agentmesh.api;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A multi-step workflow whose completed steps are undone, newest first, if a later step fails: book a flight, then
 * a hotel, then charge a card; if the charge fails, cancel the hotel, then the flight.
 *
 * <pre>{@code
 * Saga saga = session.saga("trip");
 * saga.step("flight", () -> flights.book("LHR-JFK"), booking -> flights.cancel(booking));
 * saga.step("hotel",  () -> hotels.book("NYC"),      booking -> hotels.cancel(booking));
 * saga.step("charge", () -> cards.charge(1200),      receipt -> cards.refund(receipt));
 * SagaState end = saga.run();
 * // COMPLETED; or COMPENSATED after undoing in reverse order; or COMPENSATION_FAILED
 * }</pre>
 *
 * <p><b>Durable.</b> Every transition is on the audit trail, write-ahead: a step's STARTED record (with its
 * compensation's name and its idempotency key) before its action runs, its result after. If the application dies
 * in the middle, the next run finishes the saga with {@link SagaRecovery}, never running a compensation the trail
 * shows as done.
 *
 * <p><b>Defining.</b> {@code step}, {@code parallel} and the settings may be called until {@link #run()}; the saga
 * runs once. Steps run in the order added, each as the saga's agent in its session (see {@link Session#runAs}), so
 * the {@link Ring @Ring} tools they call are governed and recorded with the session's id.
 *
 * <p><b>Failing.</b> When a step fails (after its retries), the saga compensates every completed step, newest first,
 * one at a time (or at once, with {@link #compensateInParallel()}). A step that threw is not compensated: it is taken
 * to have had no effect. A step that timed out is, with a {@code null} result. A failed compensation is retried, then
 * the others still run, and the saga ends {@link SagaState#COMPENSATION_FAILED}. No failure is swallowed:
 * {@link #failure()} is the step's exception with every compensation failure attached as suppressed.
 *
 * <p>Results must be values the saga value codec can write to the trail (strings, numbers, booleans, enums, byte
 * arrays, UUIDs, instants, records of these, lists and maps of these; see the README), so recovery can hand them to
 * compensations after a restart; a step whose result cannot be written counts as failed, and is compensated with
 * the result in memory. Not thread-safe while being defined; {@link #state()} may be read from any thread.
 */
public abstract class Saga {

    /** The step whose action or compensation runs on this thread. */
    private static final ThreadLocal<StepContext> CURRENT_STEP = new ThreadLocal<>();

    /** For the javaagent's implementation. */
    protected Saga() {
    }

    /**
     * @return the saga step whose action or compensation is running on this thread, with its idempotency key; empty
     *     elsewhere
     */
    public static Optional<StepContext> currentStep() {
        return Optional.ofNullable(CURRENT_STEP.get());
    }

    /**
     * Binds a step to this thread, for the javaagent's implementation.
     *
     * @param step the step, or {@code null} for none
     * @return the step bound before, to restore with this method when the action or compensation ends
     */
    protected static StepContext bindStep(StepContext step) {
        StepContext previous = CURRENT_STEP.get();
        if (step == null) {
            CURRENT_STEP.remove();
        } else {
            CURRENT_STEP.set(step);
        }
        return previous;
    }

    /**
     * Binds an agent and a session to this thread without admitting the agent to the session, for the javaagent's
     * implementation: compensations must run even after the session has closed, and they grant no ring (the
     * agent's ring still comes from the policy).
     *
     * @param agentId the agent
     * @param session the session, or {@code null}
     * @return the scope to close when the compensation ends
     */
    protected static AgentContext.Scope bindContext(String agentId, Session session) {
        return session == null ? AgentContext.enter(agentId) : AgentContext.enter(agentId, session);
    }

    /** @return the saga's id: its name, a dash and 12 hex digits; unique across runs of the application */
    public abstract String id();

    /** @return the saga's name, as given to {@link Session#saga}: recovery finds compensations by it */
    public abstract String name();

    /** @return the session it runs in */
    public abstract Session session();

    /** @return the agent its steps run as, if any */
    public abstract Optional<String> agentId();

    /** @return where it is now */
    public abstract SagaState state();

    /**
     * Adds a step with the default {@link StepOptions}: one attempt, no timeout.
     *
     * @param name the step's name, unique in the saga, following the id rule of {@link Ids}
     * @param action what the step does
     * @param compensation how to undo it, given the action's result
     * @param <T> what the action returns
     * @return this saga
     * @throws IllegalArgumentException if the name is malformed or taken
     * @throws IllegalStateException if the saga has been run
     */
    public final <T> Saga step(String name, GovernedAction<T> action, Compensation<? super T> compensation) {
        return step(name, action, compensation, StepOptions.defaults());
    }

    /**
     * Adds a step.
     *
     * @param name the step's name, unique in the saga, following the id rule of {@link Ids}
     * @param action what the step does
     * @param compensation how to undo it, given the action's result; {@code null} if nothing needs undoing
     * @param options retries, timeout, idempotency key, pivot
     * @param <T> what the action returns
     * @return this saga
     * @throws IllegalArgumentException if the name is malformed or taken, or a second pivot is added
     * @throws IllegalStateException if the saga has been run
     */
    public abstract <T> Saga step(String name, GovernedAction<T> action, Compensation<? super T> compensation,
            StepOptions options);

    /**
     * Adds a group of steps that run at the same time, on pool threads, after the steps added before it and before
     * those added after it.
     *
     * @param group adds the group's steps
     * @return this saga
     * @throws IllegalArgumentException if the group is empty, or a step name is malformed or taken
     * @throws IllegalStateException if the saga has been run
     */
    public abstract Saga parallel(Consumer<ParallelSteps> group);

    /**
     * Limits the whole run: a step that would start after the deadline, or is running when it passes, fails with
     * {@link SagaTimeoutException}, and the saga compensates. Compensation itself is not limited by the deadline.
     *
     * @param limit how long after {@link #run()} starts the steps must be done, more than zero
     * @return this saga
     */
    public abstract Saga deadline(Duration limit);

    /**
     * Runs compensations all at once instead of newest first, one at a time.
     *
     * @return this saga
     */
    public abstract Saga compensateInParallel();

    /**
     * Declares which failures are compensated. By default every failure is. A step failure of another type ends the
     * saga {@link SagaState#FAILED} with nothing undone.
     *
     * @param types the compensable exception types
     * @return this saga
     */
    @SuppressWarnings("unchecked")
    public abstract Saga compensateOn(Class<? extends Throwable>... types);

    /**
     * Sets the agent the steps and compensations run as; by default the agent in context when the saga was made.
     *
     * @param agentId the agent
     * @return this saga
     */
    public abstract Saga as(String agentId);

    /**
     * Runs the steps, and the compensations if one fails, on this thread (and on pool threads for parallel groups,
     * timeouts and parallel compensation).
     *
     * @return the end state: COMPLETED, COMPENSATED, FAILED or COMPENSATION_FAILED
     * @throws IllegalStateException if the saga has no steps or has been run
     * @throws SessionClosedException if its session takes no calls
     * @throws AuditUnavailableException if the saga cannot be recorded; if that happens after steps ran, the saga
     *     is left unfinished on the trail for {@link SagaRecovery}
     */
    public abstract SagaState run();

    /**
     * @return the failure that ended the saga other than COMPLETED, with every compensation failure attached as
     *     suppressed; empty while running or if it completed
     */
    public abstract Optional<Throwable> failure();

    /**
     * @param step a step's name
     * @return what its action returned (possibly {@code null})
     * @throws IllegalArgumentException if the saga has no such step, or it did not complete
     */
    public abstract Object result(String step);

    @Override
    public String toString() {
        return "Saga[" + id() + ", " + state() + "]";
    }
}
