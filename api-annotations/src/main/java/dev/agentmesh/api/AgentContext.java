package dev.agentmesh.api;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Names the agent acting on the current thread.
 *
 * <p>Every governed call is attributed to the agent in context. A governed call with no agent in context is
 * attributed to the default agent the policy configures.
 *
 * <pre>{@code
 * String hits = AgentContext.runAs("researcher-1", () -> tools.webSearch("agent governance"));
 *
 * try (AgentContext.Scope s = AgentContext.enter("ops-bot")) {
 *     tools.writeFile("report.md", hits);
 * }
 * }</pre>
 *
 * <p>Scopes nest: closing one restores the identity that was in context when it was entered. Identity is per
 * thread. With the javaagent attached it follows work handed to executors, {@code CompletableFuture}'s async
 * methods, fork-join pools and threads started in a scope; {@link #capture()} carries it anywhere else.
 *
 * <p>{@link Session#runAs} binds a session as well; a scope entered inside it keeps that session, so the calls it
 * makes are still recorded with the session's id.
 *
 * <p><b>Delegation.</b> A scope entered for one agent inside the scope of another acts <em>on behalf of</em> it:
 * the orchestrator that hands a task to a worker stays answerable for it. Every governed call's record carries this
 * chain ({@link #onBehalfOf()}), and an agent that acts on behalf of another counts as spawned by it when a kill or
 * quarantine's blast radius is worked out. The chain follows work to other threads like the identity does.
 * A delegate never holds a better ring than the agents it acts for: with the javaagent, its calls (tools, session
 * actions, operator actions) are decided at the worst ring along the chain, and a denial for that reason counts
 * against the agent whose ring decided it. So code running as a ring-3 agent gains nothing by entering
 * {@code "root"}; the application, with no agent in context, still may.
 *
 * <p>Agent ids are letters, digits and {@code . _ : -}, at most 256 characters.
 */
public final class AgentContext {

    /** The innermost scope on this thread, or {@code null}; each scope links to the one it replaced. */
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private AgentContext() {
    }

    /**
     * Returns the agent acting on the current thread.
     *
     * @return the agent id, or empty if no agent is in context
     */
    public static Optional<String> currentAgent() {
        Scope scope = CURRENT.get();
        return scope == null || scope.agentId == null ? Optional.empty() : Optional.of(scope.agentId);
    }

    /**
     * Returns the agents the acting agent acts on behalf of: the agent whose scope it was entered in first, then
     * that agent's own principal, and so on (at most {@value #MAX_CHAIN}). Empty when it acts for itself, as
     * an agent entered outside any other agent's scope does.
     *
     * @return the delegation chain, immediate principal first; unmodifiable
     */
    public static java.util.List<String> onBehalfOf() {
        Scope scope = CURRENT.get();
        return scope == null ? java.util.List.of() : scope.onBehalfOf;
    }

    /** The longest delegation chain kept: beyond it, the most distant principals are dropped. */
    public static final int MAX_CHAIN = 8;

    /**
     * Returns the session bound to the current thread by {@link Session#runAs} or {@link Session#execute}.
     *
     * @return the session, or empty outside one
     */
    public static Optional<Session> currentSession() {
        Scope scope = CURRENT.get();
        return scope == null || scope.session == null ? Optional.empty() : Optional.of(scope.session);
    }

    /**
     * The agent in context, or {@code null}. Not API: the javaagent asks on every governed call, through a method
     * handle, and must not allocate an {@code Optional} to do so.
     */
    static String agentIdOrNull() {
        Scope scope = CURRENT.get();
        return scope == null ? null : scope.agentId;
    }

    /** The session bound to this thread, or {@code null}; not API, as {@link #agentIdOrNull()}. */
    static Session sessionOrNull() {
        Scope scope = CURRENT.get();
        return scope == null ? null : scope.session;
    }

    /**
     * Makes {@code agentId} the acting agent on this thread until the returned scope is closed. A session bound by
     * an enclosing scope stays bound. While the javaagent is still starting (it finishes in the background after
     * the application's {@code main} begins), this waits until it is done, so the identity follows work from the
     * first scope on.
     *
     * @param agentId the agent id
     * @return the scope to close, which restores the previous identity
     * @throws IllegalArgumentException if {@code agentId} is null, blank or malformed
     */
    public static Scope enter(String agentId) {
        String id = requireAgentId(agentId);
        AgentStartup.awaitStarted();
        Scope outer = CURRENT.get();
        return push(new Scope(id, outer == null ? null : outer.session, chain(id, outer), outer,
                Thread.currentThread()));
    }

    /**
     * Binds {@code agentId} and {@code session}: what {@link Session#runAs} does after admitting the agent.
     *
     * @param agentId the agent id
     * @param session the session
     * @return the scope to close
     */
    static Scope enter(String agentId, Session session) {
        String id = requireAgentId(agentId);
        AgentStartup.awaitStarted();
        Scope outer = CURRENT.get();
        return push(new Scope(id, Objects.requireNonNull(session, "session"), chain(id, outer), outer,
                Thread.currentThread()));
    }

    /**
     * @return the chain of an agent entered inside {@code outer}: the outer agent and its chain if it is another
     *     agent, the outer chain if it is the same one, none outside any agent's scope
     */
    private static java.util.List<String> chain(String agentId, Scope outer) {
        if (outer == null || outer.agentId == null) {
            return java.util.List.of();
        }
        if (outer.agentId.equals(agentId)) {
            return outer.onBehalfOf;
        }
        java.util.List<String> chain = new java.util.ArrayList<>(MAX_CHAIN);
        chain.add(outer.agentId);
        for (String principal : outer.onBehalfOf) {
            if (chain.size() == MAX_CHAIN) {
                break;
            }
            chain.add(principal);
        }
        return java.util.List.copyOf(chain);
    }

    private static Scope push(Scope scope) {
        CURRENT.set(scope);
        return scope;
    }

    /**
     * Runs {@code action} as {@code agentId} and returns its result.
     *
     * @param agentId the agent id; not blank
     * @param action what the agent does
     * @param <T> the result type
     * @return what {@code action} returned
     * @throws Exception whatever {@code action} threw
     */
    public static <T> T runAs(String agentId, Callable<T> action) throws Exception {
        Objects.requireNonNull(action, "action");
        try (Scope ignored = enter(agentId)) {
            return action.call();
        }
    }

    /**
     * Runs {@code action} as {@code agentId}.
     *
     * @param agentId the agent id; not blank
     * @param action what the agent does
     */
    public static void runAs(String agentId, Runnable action) {
        Objects.requireNonNull(action, "action");
        try (Scope ignored = enter(agentId)) {
            action.run();
        }
    }

    /**
     * Captures the identity in force on this thread, to carry it to work another thread does. The javaagent does
     * this by itself for executors, {@code CompletableFuture}'s async methods, fork-join pools and new threads; call
     * it for hand-offs it cannot see.
     *
     * <pre>{@code
     * AgentContext.Snapshot who = AgentContext.capture();
     * queue.put(who.wrap(() -> tools.webSearch(q)));   // runs as the capturing agent, in its session
     * }</pre>
     *
     * @return the agent and session in force, or {@link Snapshot#isEmpty() an empty snapshot} if none is
     */
    public static Snapshot capture() {
        Scope scope = CURRENT.get();
        return scope == null || scope.agentId == null ? Snapshot.EMPTY
                : new Snapshot(scope.agentId, scope.session, scope.onBehalfOf);
    }

    private static String requireAgentId(String agentId) {
        return Ids.require("agentId", agentId);
    }

    /**
     * An identity captured on one thread, to put in force on another. Immutable. Attaching it puts exactly it in
     * force, an empty one included (no agent), so work never runs as whoever the pooled thread ran as before; closing
     * the returned scope restores that.
     */
    public static final class Snapshot {

        static final Snapshot EMPTY = new Snapshot(null, null, java.util.List.of());

        private final String agentId;
        private final Session session;
        private final java.util.List<String> onBehalfOf;

        private Snapshot(String agentId, Session session, java.util.List<String> onBehalfOf) {
            this.agentId = agentId;
            this.session = session;
            this.onBehalfOf = onBehalfOf;
        }

        /** @return whether no agent was in context */
        public boolean isEmpty() {
            return agentId == null;
        }

        /** @return the captured agent */
        public Optional<String> agent() {
            return Optional.ofNullable(agentId);
        }

        /** @return the captured session */
        public Optional<Session> session() {
            return Optional.ofNullable(session);
        }

        /**
         * Puts this identity in force on the current thread until the scope is closed.
         *
         * @return the scope to close, which restores what was in force before
         */
        public Scope attach() {
            return push(new Scope(agentId, session, onBehalfOf, CURRENT.get(), Thread.currentThread()));
        }

        /**
         * @param task work to hand to another thread
         * @return the same work, run with this identity attached
         */
        public Runnable wrap(Runnable task) {
            Objects.requireNonNull(task, "task");
            return new Runnable() {
                @Override
                public void run() {
                    try (Scope ignored = attach()) {
                        task.run();
                    }
                }

                @Override
                public String toString() {
                    return task + " (as " + Snapshot.this + ")";
                }
            };
        }

        /**
         * @param task work to hand to another thread
         * @param <T> its result
         * @return the same work, run with this identity attached
         */
        public <T> Callable<T> wrap(Callable<T> task) {
            Objects.requireNonNull(task, "task");
            return new Callable<T>() {
                @Override
                public T call() throws Exception {
                    try (Scope ignored = attach()) {
                        return task.call();
                    }
                }

                @Override
                public String toString() {
                    return task + " (as " + Snapshot.this + ")";
                }
            };
        }

        @Override
        public String toString() {
            return agentId == null ? "no agent" : agentId + (session == null ? "" : " in session " + session.id());
        }
    }

    /**
     * An identity in force on one thread. Close it on the thread that entered it, in reverse order of entry
     * (try-with-resources does both).
     */
    public static final class Scope implements AutoCloseable {

        private final String agentId;
        private final Session session;
        private final java.util.List<String> onBehalfOf;
        private final Scope outer;
        private final Thread owner;
        private boolean closed;

        private Scope(String agentId, Session session, java.util.List<String> onBehalfOf, Scope outer,
                Thread owner) {
            this.agentId = agentId;
            this.session = session;
            this.onBehalfOf = onBehalfOf;
            this.outer = outer;
            this.owner = owner;
        }

        /** @return the agent this scope names, or {@code null} for an attached empty snapshot */
        public String agentId() {
            return agentId;
        }

        /**
         * Restores the identity that was in context when this scope was entered. Closing twice does nothing.
         *
         * @throws IllegalStateException if closed on another thread, or while an inner scope is still open
         */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("AgentContext scope for '" + agentId
                        + "' must be closed on the thread that entered it");
            }
            if (CURRENT.get() != this) {
                throw new IllegalStateException("AgentContext scope for '" + agentId
                        + "' closed while an inner scope is still open");
            }
            closed = true;
            CURRENT.set(outer);
        }
    }
}
