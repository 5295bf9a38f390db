package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.RingViolationException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code <threads> <callsPerThread> <denyEvery> [<firstNumber>]}: each thread, as agent {@code agent-r2} (ring 2),
 * makes {@code callsPerThread} governed calls numbered {@code first + thread * callsPerThread + i}. A call whose
 * number {@code n} has {@code n % denyEvery == denyEvery - 1} goes to the ring-1 tool and is denied; every other
 * call is allowed ({@code denyEvery} 0: none denied). With one thread the trail's order is the numbers' order.
 * Prints {@code BODIES <b> DENIED <d> ERRORS <e>}.
 */
public final class NumberedCallsApp {

    private NumberedCallsApp() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        long calls = Long.parseLong(args[1]);
        long denyEvery = Long.parseLong(args[2]);
        long first = args.length > 3 ? Long.parseLong(args[3]) : 0;
        NumberedTools tools = new NumberedTools();
        AtomicLong denied = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long base = first + t * calls;
            Thread worker = new Thread(() -> {
                try (AgentContext.Scope scope = AgentContext.enter("agent-r2")) {
                    start.await();
                    for (long i = 0; i < calls; i++) {
                        long n = base + i;
                        try {
                            if (denyEvery > 0 && n % denyEvery == denyEvery - 1) {
                                tools.privileged(n);
                            } else {
                                tools.work(n);
                            }
                        } catch (RingViolationException e) {
                            denied.incrementAndGet();
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                            System.err.println("call " + n + ": " + e);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "caller-" + t);
            worker.start();
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        System.out.println("BODIES " + tools.bodies() + " DENIED " + denied.get() + " ERRORS " + errors.get());
    }
}
