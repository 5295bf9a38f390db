package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands work to other threads in every way the agent carries identity through, inside a scope, and prints what
 * each task saw: {@code <case> <agent or none> <session or none> <whether a @Ring(2) call was allowed>}. Then it
 * checks that pooled threads are back to "no agent" for work submitted outside any scope.
 */
public final class PropagationApp {

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
        pool.shutdown();
        scheduler.shutdown();
        forkJoin.shutdown();
        System.out.println("DONE");
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
