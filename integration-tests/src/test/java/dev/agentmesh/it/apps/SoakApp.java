package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Ring;
import dev.agentmesh.api.RingViolationException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * Governed calls from {@code args[0]} threads for {@code args[1]} seconds: each thread alternates a call its agent
 * may make ({@code agent-r0} and {@code agent-r3} call a ring-3 tool) and one it may not ({@code agent-r3} calls a
 * ring-0 tool). Once a second the main thread collects garbage and prints {@code HEAP <second> <bytes used>}; at
 * the end it prints {@code CALLS <allowed> <denied> <other failures>}. With {@code leak} as {@code args[2]}, 8 MiB
 * more is kept for ever each second: the control that shows the heap check catches a leak, however fast the calls.
 */
public final class SoakApp {

    private SoakApp() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        boolean leak = args.length > 2 && args[2].equals("leak");
        java.util.Queue<byte[]> kept = new java.util.concurrent.ConcurrentLinkedQueue<>();
        LongAdder allowed = new LongAdder();
        LongAdder denied = new LongAdder();
        LongAdder failed = new LongAdder();
        QuietTools tools = new QuietTools();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            String agent = t % 2 == 0 ? "agent-r0" : "agent-r3";
            Thread worker = new Thread(() -> {
                try (AgentContext.Scope scope = AgentContext.enter(agent)) {
                    while (System.nanoTime() < end) {
                        tools.open();
                        allowed.increment();
                        try {
                            tools.closed();
                            if (agent.equals("agent-r0")) {
                                allowed.increment();
                            } else {
                                failed.increment();
                            }
                        } catch (RingViolationException expected) {
                            denied.increment();
                        }
                    }
                } catch (Throwable e) {
                    failed.increment();
                    e.printStackTrace();
                } finally {
                    done.countDown();
                }
            }, "soak-" + t);
            worker.start();
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int second = 1; !done.await(1, java.util.concurrent.TimeUnit.SECONDS); second++) {
            if (leak) {
                kept.add(new byte[8 << 20]);
            }
            System.gc();
            System.out.println("HEAP " + second + " " + memory.getHeapMemoryUsage().getUsed());
        }
        System.out.println("CALLS " + allowed.sum() + " " + denied.sum() + " " + failed.sum()
                + (leak ? " kept " + kept.size() : ""));
    }

    /** Governed tools that print nothing. */
    public static final class QuietTools {
        @Ring(3)
        public int open() {
            return 1;
        }

        @Ring(0)
        public int closed() {
            return 0;
        }
    }
}
