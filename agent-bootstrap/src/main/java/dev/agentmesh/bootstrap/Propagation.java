package dev.agentmesh.bootstrap;

import dev.agentmesh.api.AgentContext;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * What the woven {@code java.util.concurrent} and {@code Thread} code calls to carry the agent's identity to the
 * thread that does the work. Lives in the bootstrap loader, like everything woven JDK code may reference.
 *
 * <p>Tasks handed to an executor are wrapped with the submitter's {@link AgentContext#capture() snapshot}; a
 * thread started in a scope gets the starter's snapshot when its body starts. Threads an executor starts for
 * itself (pool workers) get nothing: their identity would otherwise stick to every later task. Nothing is wrapped
 * when no agent is in context, so applications that never name an agent pay nothing.
 *
 * <p>Every method is fail-safe: woven JDK code must not fail because of the agent.
 */
public final class Propagation {

    /** How deep the current thread is inside executor code that may start pool threads. */
    private static final ThreadLocal<int[]> IN_EXECUTOR = ThreadLocal.withInitial(() -> new int[1]);

    /** Threads started in a scope, with what they should run as; weak, so a thread never run is not kept. */
    private static final Map<Thread, AgentContext.Snapshot> PENDING =
            Collections.synchronizedMap(new WeakHashMap<>());

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
}
