package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The forwarder at its limit: {@code args[0]} threads make allowed governed calls (an ALLOW and a RETURNED each) as
 * fast as they can for {@code args[1]} seconds, then the JVM waits, up to {@code args[2]} seconds, until Kafka has
 * every record. Every 250 ms it prints what the fleet MBean says, {@code FLEET <millis> <written> <acknowledged>}
 * (millis from the first call); then {@code CALLS <n> <millis>} when the calls stop and {@code DRAINED <millis>}
 * once nothing is left to ship (or {@code BEHIND <lag>} if the wait ran out).
 */
public final class FleetScaleApp {

    private FleetScaleApp() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        long seconds = Long.parseLong(args[1]);
        long drainSeconds = Long.parseLong(args[2]);
        SoakApp.QuietTools tools = new SoakApp.QuietTools();
        tools.open(); // the class woven and the trail open before the clock starts
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        ObjectName fleet = new ObjectName("dev.agentmesh:type=Fleet");
        while (!mbs.isRegistered(fleet)) {
            Thread.sleep(10);
        }
        LongAdder calls = new LongAdder();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try (AgentContext.Scope scope = AgentContext.enter("agent-r0")) {
                    while (System.nanoTime() < end) {
                        tools.open();
                        calls.increment();
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + t);
            worker.start();
        }
        while (!done.await(250, TimeUnit.MILLISECONDS)) {
            sample(mbs, fleet, start);
        }
        System.out.println("CALLS " + calls.sum() + " " + millisSince(start));
        long drainEnd = System.nanoTime() + drainSeconds * 1_000_000_000L;
        while ((long) mbs.getAttribute(fleet, "Lag") > 0 && System.nanoTime() < drainEnd) {
            sample(mbs, fleet, start);
            Thread.sleep(250);
        }
        sample(mbs, fleet, start);
        long lag = (long) mbs.getAttribute(fleet, "Lag");
        System.out.println(lag == 0 ? "DRAINED " + millisSince(start) : "BEHIND " + lag);
    }

    private static void sample(MBeanServer mbs, ObjectName fleet, long start) throws Exception {
        long acknowledged = (long) mbs.getAttribute(fleet, "AcknowledgedSeq");
        long written = (long) mbs.getAttribute(fleet, "WrittenSeq");
        System.out.println("FLEET " + millisSince(start) + " " + (written + 1) + " " + (acknowledged + 1));
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
