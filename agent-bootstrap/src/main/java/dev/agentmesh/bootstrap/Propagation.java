package dev.agentmesh.bootstrap;

import dev.agentmesh.api.AgentContext;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the woven {@code java.util.concurrent} and {@code Thread} code calls to carry the agent's identity to the
 * thread that does the work. Lives in the bootstrap loader, like everything woven JDK code may reference.
 *
 * <p>Tasks handed to an executor are wrapped with the submitter's {@link AgentContext#capture() snapshot}; a
 * thread started in a scope gets the starter's snapshot when its body starts. Threads an executor starts for
 * itself (pool workers) get nothing: their identity would otherwise stick to every later task. Nothing is wrapped
 * when no agent is in context, so applications that never name an agent pay nothing.
 *
 * <p>Fork-join tasks cannot be wrapped: callers join the very task they handed over. As the OpenTelemetry agent does,
 * but with no field added to {@code ForkJoinTask} (retransformation forbids it), a task handed to a pool or forked in
 * a scope is remembered with the snapshot in a weak, identity-keyed store, and takes it out when it runs.
 *
 * <p>Every method is fail-safe: woven JDK code must not fail because of the agent.
 */
public final class Propagation {

    /** How deep the current thread is inside executor code that may start pool threads. */
    private static final ThreadLocal<int[]> IN_EXECUTOR = ThreadLocal.withInitial(() -> new int[1]);

    /** Threads started in a scope, with what they should run as; weak, so a thread never run is not kept. */
    private static final Map<Thread, AgentContext.Snapshot> PENDING =
            Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * Fork-join tasks handed over in a scope and not yet run, with what they should run as. Keys are weak, so a task
     * never run (cancelled, dropped with its pool) is not kept; an entry is removed when its task runs.
     */
    private static final ConcurrentHashMap<Object, AgentContext.Snapshot> TASKS = new ConcurrentHashMap<>();

    /** Where the keys of tasks collected before they ran turn up, to drop their entries. */
    private static final ReferenceQueue<ForkJoinTask<?>> TASKS_COLLECTED = new ReferenceQueue<>();

    /**
     * Entries in {@link #TASKS}, counted up before an entry is added and down after it is removed, so it is never
     * below the true count when a task can run. While it is zero, running a task costs one volatile read.
     */
    private static final AtomicInteger TASKS_PENDING = new AtomicInteger();

    private Propagation() {
    }

    /**
     * @param task a task handed to an executor
     * @return it, run as the submitter if an agent is in context
     */
    public static Runnable wrap(Runnable task) {
        if (task == null) {
            return null;
        }
        try {
            AgentContext.Snapshot snapshot = AgentContext.capture();
            return snapshot.isEmpty() ? task : snapshot.wrap(task);
        } catch (Throwable e) {
            return task;
        }
    }

    /**
     * @param task a task handed to an executor
     * @param <T> its result
     * @return it, run as the submitter if an agent is in context
     */
    public static <T> Callable<T> wrap(Callable<T> task) {
        if (task == null) {
            return null;
        }
        try {
            AgentContext.Snapshot snapshot = AgentContext.capture();
            return snapshot.isEmpty() ? task : snapshot.wrap(task);
        } catch (Throwable e) {
            return task;
        }
    }

    /** Entering executor code: threads it starts are pool threads, which must not inherit anything. */
    public static void enterExecutor() {
        IN_EXECUTOR.get()[0]++;
    }

    /** Leaving executor code. */
    public static void exitExecutor() {
        IN_EXECUTOR.get()[0]--;
    }

    /**
     * Called as {@code thread.start()} begins: remembers who started it, unless it is a pool thread.
     *
     * @param thread the thread being started
     */
    public static void starting(Thread thread) {
        if (IN_EXECUTOR.get()[0] > 0 || thread instanceof ForkJoinWorkerThread) {
            return;
        }
        AgentContext.Snapshot snapshot = AgentContext.capture();
        if (!snapshot.isEmpty()) {
            PENDING.put(thread, snapshot);
        }
    }

    /**
     * Called as a thread's {@code run()} begins.
     *
     * @param thread the thread whose {@code run()} this is
     * @return the scope to close when it ends, or {@code null}: none if {@code run()} is not the thread's own body
     *     running on it, or if it was not started in a scope
     */
    public static AgentContext.Scope running(Thread thread) {
        if (Thread.currentThread() != thread) {
            return null;
        }
        AgentContext.Snapshot snapshot = PENDING.remove(thread);
        return snapshot == null ? null : snapshot.attach();
    }

    /**
     * Called as a thread's {@code run()} ends, normally or not.
     *
     * @param scope what {@link #running} returned
     */
    public static void ran(AgentContext.Scope scope) {
        if (scope != null) {
            try {
                scope.close();
            } catch (RuntimeException e) {
                // A body that left an inner scope open: the thread is ending anyway.
            }
        }
    }

    /**
     * Called as a fork-join task is handed over ({@code ForkJoinPool.invoke/submit/execute}, {@code fork()}):
     * remembers who handed it over, if an agent is in context, for {@link #executing} to put in force.
     *
     * @param task the task
     */
    public static void handingOver(ForkJoinTask<?> task) {
        if (task == null) {
            return;
        }
        try {
            AgentContext.Snapshot snapshot = AgentContext.capture();
            if (snapshot.isEmpty()) {
                return;
            }
            dropCollectedTasks();
            TASKS_PENDING.incrementAndGet();
            if (TASKS.put(new TaskKey(task, TASKS_COLLECTED), snapshot) != null) {
                // Handed over again before it ran: the entry was replaced, not added.
                TASKS_PENDING.decrementAndGet();
            }
        } catch (Throwable e) {
            // The task runs as no one rather than the hand-off failing.
        }
    }

    /**
     * Called as a fork-join task starts running ({@code ForkJoinTask.doExec()}), on the thread running it.
     *
     * @param task the task
     * @return the scope to close when it ends, or {@code null} if it was not handed over in a scope (or was taken
     *     already: a task runs its body once)
     */
    public static AgentContext.Scope executing(ForkJoinTask<?> task) {
        if (TASKS_PENDING.get() == 0) {
            return null;
        }
        try {
            dropCollectedTasks();
            AgentContext.Snapshot snapshot = TASKS.remove(new TaskLookup(task));
            if (snapshot == null) {
                return null;
            }
            TASKS_PENDING.decrementAndGet();
            return snapshot.attach();
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * Called as a fork-join task's run ends, normally or not: restores what was in force before.
     *
     * @param scope what {@link #executing} returned
     */
    public static void executed(AgentContext.Scope scope) {
        if (scope != null) {
            try {
                scope.close();
            } catch (Throwable e) {
                // The task left an inner scope open; nothing of ours may fail the pool.
            }
        }
    }

    /** @return how many fork-join tasks handed over in a scope have neither run nor been collected */
    public static int pendingTasks() {
        dropCollectedTasks();
        return TASKS_PENDING.get();
    }

    /** Drops the entries of tasks collected before they ran. Lock-free when there are none. */
    private static void dropCollectedTasks() {
        Reference<?> collected;
        while ((collected = TASKS_COLLECTED.poll()) != null) {
            if (TASKS.remove(collected) != null) {
                TASKS_PENDING.decrementAndGet();
            }
        }
    }

    /** A task held weakly, by identity: a task's own {@code equals} and {@code hashCode} play no part. */
    private static final class TaskKey extends WeakReference<ForkJoinTask<?>> {

        private final int hash;

        TaskKey(ForkJoinTask<?> task, ReferenceQueue<ForkJoinTask<?>> queue) {
            super(task, queue);
            hash = System.identityHashCode(task);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            // A cleared key equals only itself, so that dropping it never drops another task's entry.
            Object task = get();
            return task != null && o instanceof TaskKey && ((TaskKey) o).get() == task;
        }
    }

    /** Finds a task's entry without making a weak reference: the map compares it with its keys. */
    private static final class TaskLookup {

        private final ForkJoinTask<?> task;
        private final int hash;

        TaskLookup(ForkJoinTask<?> task) {
            this.task = task;
            hash = System.identityHashCode(task);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TaskKey && ((TaskKey) o).get() == task;
        }
    }
}
