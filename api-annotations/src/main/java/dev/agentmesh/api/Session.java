package dev.agentmesh.api;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A session that several agents share: a lifecycle (see {@link SessionState}), limits (see {@link SessionConfig}),
 * and governed actions that are checked against each agent's ring and recorded on the audit trail with the
 * session's id. Made by {@link Hypervisor#createSession}; the javaagent provides the implementation.
 *
 * <pre>{@code
 * Session session = Hypervisor.get().createSession(SessionConfig.builder().build());
 * String result = session.execute("researcher-1", "tool_call", "web_search", 2, () -> webSearch("governance"));
 * String head = session.terminate();
 * }</pre>
 *
 * <p>An agent's ring comes from the policy. An agent that is not yet a participant joins when it first acts, as
 * long as the session has room. All methods are thread-safe.
 */
public abstract class Session {

    /** For the javaagent's implementation. */
    protected Session() {
    }

    /** @return the session's id, unique in this JVM */
    public abstract String id();

    /** @return its configuration */
    public abstract SessionConfig config();

    /** @return where it is in its life: CREATED, ACTIVE, TERMINATING or ARCHIVED */
    public abstract SessionState lifecycle();

    /** @return the agents taking part now */
    public abstract Set<String> participants();

    /** @return the key-value state the participants share, with the guarantees of the session's consistency mode */
    public abstract SharedState state();

    /**
     * Adds an agent, recorded as JOINED with its ring. Joining twice is a no-op. The first join makes the session
     * ACTIVE.
     *
     * @param agentId the agent
     * @throws IllegalArgumentException if the id is malformed
     * @throws IllegalStateException if the session is full
     * @throws SessionClosedException if the session expired or is terminating or terminated
     */
    public abstract void join(String agentId);

    /**
     * Removes an agent, recorded as LEFT. Leaving when not a participant is a no-op.
     *
     * @param agentId the agent
     * @throws IllegalArgumentException if the id is malformed
     */
    public abstract void leave(String agentId);

    /**
     * Runs a governed action as {@code agentId} in this session: checks the agent's ring against {@code
     * requiredRing}, writes the ALLOW or DENY record (before the body runs), runs the body with the agent and the
     * session bound to the thread (so {@link Ring @Ring} methods it calls are attributed to both), and writes the
     * outcome. The body's own exception, checked or not, is rethrown unchanged.
     *
     * @param agentId the acting agent (joins the session if it is not a participant)
     * @param actionType what kind of action, e.g. {@code tool_call}
     * @param actionName which one, e.g. {@code web_search}
     * @param requiredRing the ring the action requires, 0..3: the agent's ring must be at least as privileged
     * @param action the body
     * @param <T> what it returns
     * @return what it returned
     * @throws RingViolationException if the agent's ring is not privileged enough; the body does not run
     * @throws SessionClosedException if the session expired or is terminating or terminated; recorded as a denial
     * @throws AuditUnavailableException if the call cannot be recorded; the body does not run
     * @throws IllegalArgumentException if an id or name is malformed or the ring is outside 0..3
     */
    public abstract <T> T execute(String agentId, String actionType, String actionName, int requiredRing,
            GovernedAction<T> action);

    /**
     * {@link #execute} on another thread (the common fork-join pool): the checks, the records and the body all
     * happen there.
     *
     * @param agentId the acting agent
     * @param actionType what kind of action
     * @param actionName which one
     * @param requiredRing the ring the action requires, 0..3
     * @param action the body
     * @param <T> what it returns
     * @return completes with the body's result, or exceptionally with what {@code execute} would have thrown
     * @throws IllegalArgumentException at once, if an id or name is malformed or the ring is outside 0..3
     */
    public abstract <T> CompletableFuture<T> executeAsync(String agentId, String actionType, String actionName,
            int requiredRing, GovernedAction<T> action);

    /**
     * Snapshots the shared state and the participants, recorded as a CHECKPOINT whose position the checkpoint keeps.
     *
     * @param name a name, following the id rule
     * @return the checkpoint
     * @throws IllegalArgumentException if the name is malformed
     * @throws SessionClosedException if the session expired or is terminating or terminated
     */
    public abstract SessionCheckpoint checkpoint(String name);

    /**
     * Rolls the shared state back to a checkpoint of this session, recorded as RESTORED; keys made since are gone.
     * Participants stay as they are.
     *
     * @param checkpoint a checkpoint this session made
     * @throws IllegalArgumentException if this session did not make it
     * @throws SessionClosedException if the session expired or is terminating or terminated
     */
    public abstract void restore(SessionCheckpoint checkpoint);

    /**
     * Defines a saga that runs in this session: steps that are undone, newest first, if a later one fails, and that
     * survive a crash through the audit trail (see {@link Saga}). Its steps run as the agent in context now, unless
     * {@link Saga#as} names another.
     *
     * @param name the saga's name, following the id rule of {@link Ids}; recovery after a restart finds
     *     compensations by it
     * @return the saga, not yet run
     * @throws IllegalArgumentException if the name is malformed
     * @throws SessionClosedException if the session expired or is terminating or terminated
     */
    public abstract Saga saga(String name);

    /**
     * Ends the session: no new action starts, those running finish, and TERMINATED is recorded.
     *
     * @return the audit head hash of the session: the chain hash (hex) of its TERMINATED record, which covers every
     *     record before it; the same on every later call
     */
    public abstract String terminate();

    /**
     * Binds {@code agentId} and this session to the current thread while {@code body} runs, so every {@link Ring
     * @Ring} method it calls is checked against the agent's ring and recorded with the session's id.
     *
     * @param agentId the agent (joins the session if it is not a participant)
     * @param body what to run
     * @param <T> what it returns
     * @return what it returned; its exception, checked or not, is rethrown unchanged
     * @throws SessionClosedException if the session expired or is terminating or terminated
     */
    public final <T> T runAs(String agentId, GovernedAction<T> body) {
        Objects.requireNonNull(body, "body");
        admit(agentId);
        try (AgentContext.Scope ignored = AgentContext.enter(agentId, this)) {
            return body.run();
        } catch (Exception e) {
            throw Sneaky.<RuntimeException>rethrow(e);
        }
    }

    /**
     * As {@link #runAs(String, GovernedAction)}, for a body with no result.
     *
     * @param agentId the agent
     * @param body what to run
     */
    public final void runAs(String agentId, Runnable body) {
        Objects.requireNonNull(body, "body");
        admit(agentId);
        try (AgentContext.Scope ignored = AgentContext.enter(agentId, this)) {
            body.run();
        }
    }

    /**
     * Lets {@code agentId} act in this session now: checks the id, that the session takes calls, and joins the
     * agent if it is not a participant.
     *
     * @param agentId the agent
     * @throws IllegalArgumentException if the id is malformed
     * @throws SessionClosedException if the session expired or is terminating or terminated
     * @throws IllegalStateException if the agent would join a full session
     */
    protected abstract void admit(String agentId);

    @Override
    public String toString() {
        return "Session[" + id() + ", " + lifecycle() + ", " + config() + "]";
    }
}
