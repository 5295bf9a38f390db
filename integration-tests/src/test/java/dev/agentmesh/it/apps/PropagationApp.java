package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands work to other threads in every way the agent carries identity through, inside a scope, and prints what
 * each task saw: {@code <case> <agent or none> <session or none> <whether a @Ring(2) call was allowed>}. Then it
 * checks that pooled threads are back to "no agent" for work submitted outside any scope.
 *
 * <p>Fork-join tasks split into {@link #LEAVES} leaves, forked and stolen across the pool's workers; each leaf prints
 * a line. {@code forkJoin-invoke-workers <n>} says how many threads ran leaves; {@code forkJoin-pending <n>} how many
 * fork-join hand-offs the agent still remembers once every task has run.
 */
public final class PropagationApp {

    /** How many leaves each fork-join case splits into. */
    public static final int LEAVES = 16;

    /** The fork-join cases run in the scope; each prints {@link #LEAVES} lines. */
    public static final java.util.List<String> FORK_JOIN_CASES = java.util.List.of("forkJoin-invoke",
            "commonPool-invoke", "forkJoin-submit", "forkJoin-execute-task", "forkJoin-submit-runnable",
            "commonPool-fork");

    /** The fork-join cases run after it, outside any scope; each prints {@link #LEAVES} lines. */
    public static final java.util.List<String> AFTER_FORK_JOIN_CASES = java.util.List.of("after-forkJoin-invoke",
            "after-commonPool-invoke", "after-forkJoin-submit", "after-commonPool-fork");

    private static final Tools TOOLS = new Tools();

    private PropagationApp() {
    }

    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        ForkJoinPool forkJoin = new ForkJoinPool(4);
        try (AgentContext.Scope ignored = AgentContext.enter("researcher-1")) {
            print("submit", pool.submit(PropagationApp::seen).get());
            AtomicReference<String> executed = new AtomicReference<>();
            java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
            pool.execute(() -> {
                executed.set(seen());
                ran.countDown();
            });
            ran.await();
            print("execute", executed.get());
            java.util.List<Callable<String>> all = java.util.List.of(PropagationApp::seen);
            print("invokeAll", pool.invokeAll(all).get(0).get());
            print("schedule", scheduler.schedule(PropagationApp::seen, 1, TimeUnit.MILLISECONDS).get());
            print("supplyAsync", CompletableFuture.supplyAsync(PropagationApp::seen).get());
            print("supplyAsync-pool", CompletableFuture.supplyAsync(PropagationApp::seen, pool).get());
            print("thenApplyAsync", CompletableFuture.completedFuture("x")
                    .thenApplyAsync(x -> seen()).get());
            print("commonPool-submit", ForkJoinPool.commonPool().submit((Callable<String>) PropagationApp::seen)
                    .get());
            AtomicReference<String> fj = new AtomicReference<>();
            java.util.concurrent.CountDownLatch fjRan = new java.util.concurrent.CountDownLatch(1);
            forkJoin.execute(() -> {
                fj.set(seen());
                fjRan.countDown();
            });
            fjRan.await();
            print("forkJoin-execute", fj.get());
            forkJoinTasks(forkJoin, "");
            print("thread", onThread(false));
            print("thread-subclass", onThread(true));
            virtualThreads();
        }
        Session session = Hypervisor.get().createSession(SessionConfig.defaults());
        print("session-submit", session.runAs("researcher-1", () -> pool.submit(PropagationApp::seen).get()));

        // Outside any scope, the same pooled threads must run as no one.
        for (int i = 0; i < 4; i++) {
            print("after-pool", pool.submit(PropagationApp::seen).get());
            print("after-forkJoin", forkJoin.submit((Callable<String>) PropagationApp::seen).get());
            print("after-common", CompletableFuture.supplyAsync(PropagationApp::seen).get());
            print("after-scheduler", scheduler.schedule(PropagationApp::seen, 1, TimeUnit.MILLISECONDS).get());
        }
        print("after-thread", onThread(false));
        forkJoinTasks(forkJoin, "after-");
        System.out.println("forkJoin-pending " + pendingForkJoinTasks());
        pool.shutdown();
        scheduler.shutdown();
        forkJoin.shutdown();
        System.out.println("DONE");
    }

    /** Every way a fork-join task is handed over; in the scope, or after it with {@code prefix} "after-". */
    private static void forkJoinTasks(ForkJoinPool forkJoin, String prefix) {
        Set<String> workers = ConcurrentHashMap.newKeySet();
        printLeaves(prefix + "forkJoin-invoke", forkJoin.invoke(new Leaves(0, LEAVES, workers)));
        if (prefix.isEmpty()) {
            System.out.println("forkJoin-invoke-workers " + workers.size());
        }
        printLeaves(prefix + "commonPool-invoke", ForkJoinPool.commonPool().invoke(new Leaves(0, LEAVES, workers)));
        printLeaves(prefix + "forkJoin-submit", forkJoin.submit(new Leaves(0, LEAVES, workers)).join());
        if (prefix.isEmpty()) {
            Leaves executed = new Leaves(0, LEAVES, workers);
            forkJoin.execute(executed);
            printLeaves("forkJoin-execute-task", executed.join());
            RunnableLeaves submitted = new RunnableLeaves(workers);
            forkJoin.submit((Runnable) submitted);
            printLeaves("forkJoin-submit-runnable", submitted.join());
        }
        // Forked from a thread that is not a worker: it goes to the common pool.
        printLeaves(prefix + "commonPool-fork", new Leaves(0, LEAVES, workers).fork().join());
    }

    private static void printLeaves(String what, java.util.List<String> seen) {
        for (String s : seen) {
            print(what, s);
        }
    }

    /** A fork-join task that is also a {@link Runnable}, as CompletableFuture's are: submitted as a Runnable. */
    private static final class RunnableLeaves extends Leaves implements Runnable {

        RunnableLeaves(Set<String> workers) {
            super(0, LEAVES, workers);
        }

        @Override
        public void run() {
            invoke();
        }
    }

    /** Splits in halves down to single leaves, forking one half and computing the other, as RecursiveTasks do. */
    private static class Leaves extends RecursiveTask<java.util.List<String>> {

        private final int from;
        private final int to;
        private final Set<String> workers;

        Leaves(int from, int to, Set<String> workers) {
            this.from = from;
            this.to = to;
            this.workers = workers;
        }

        @Override
        protected java.util.List<String> compute() {
            if (to - from == 1) {
                workers.add(Thread.currentThread().getName());
                try {
                    Thread.sleep(2); // long enough for idle workers to steal the forked halves
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return java.util.List.of(seen());
            }
            int mid = (from + to) >>> 1;
            ForkJoinTask<java.util.List<String>> left = new Leaves(from, mid, workers).fork();
            java.util.List<String> right = new Leaves(mid, to, workers).compute();
            java.util.List<String> all = new java.util.ArrayList<>(left.join());
            all.addAll(right);
            return all;
        }
    }

    /** What the agent's bootstrap bridge still remembers (it is in the boot loader), or -1 without the agent. */
    private static int pendingForkJoinTasks() {
        try {
            return (Integer) Class.forName("dev.agentmesh.bootstrap.Propagation", true, null)
                    .getMethod("pendingTasks").invoke(null);
        } catch (ReflectiveOperationException e) {
            return -1;
        }
    }

    private static String onThread(boolean subclass) throws InterruptedException {
        AtomicReference<String> seen = new AtomicReference<>();
        Thread t = subclass ? new Thread() {
            @Override
            public void run() {
                seen.set(seen());
            }
        } : new Thread(() -> seen.set(seen()));
        t.start();
        t.join();
        return seen.get();
    }

    /** Through reflection: the test classes compile for Java 17. */
    private static void virtualThreads() throws Exception {
        if (Runtime.version().feature() < 21) {
            return;
        }
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        AtomicReference<String> seen = new AtomicReference<>();
        Thread t = (Thread) Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class)
                .invoke(builder, (Runnable) () -> seen.set(seen()));
        t.join();
        print("virtual-thread", seen.get());
        ExecutorService virtual = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
                .invoke(null);
        try {
            print("virtual-executor", virtual.submit(PropagationApp::seen).get());
        } finally {
            virtual.shutdown();
        }
    }

    private static String seen() {
        String agent = AgentContext.currentAgent().orElse("none");
        String session = AgentContext.currentSession().map(s -> "session").orElse("no-session");
        String ring2;
        try {
            TOOLS.ring2();
            ring2 = "ring2-allowed";
        } catch (dev.agentmesh.api.RingViolationException e) {
            ring2 = "ring2-denied";
        }
        return agent + " " + session + " " + ring2;
    }

    private static void print(String what, String seen) {
        System.out.println(what + " " + seen);
    }
}
