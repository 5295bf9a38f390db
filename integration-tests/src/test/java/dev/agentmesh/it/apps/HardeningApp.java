package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Ring;
import java.util.ArrayList;
import java.util.List;

/**
 * Attempts from the hardening issue, one per run, chosen by {@code args[0]}; prints one line per attempt:
 * <ul>
 *   <li>{@code nested}: a ring-3 tool calls a ring-0 tool, as {@code agent-r3} and as {@code agent-r0}: the
 *       caller's ring decides the inner call too;</li>
 *   <li>{@code oom-thrown}: a tool body throws an {@code OutOfMemoryError} it makes itself;</li>
 *   <li>{@code oom-real}: a tool body runs the heap out (run with a small {@code -Xmx});</li>
 *   <li>{@code shapes}: {@code @Ring} methods on an inner class, a record (and its accessor) and an enum;</li>
 *   <li>{@code escalate}: a ring-3 agent enters a ring-0 identity, in a session and outside one;</li>
 *   <li>{@code delete-audit-dir <dir> [shipped]}: the audit directory is deleted under the running agent (with
 *       {@code shipped}, once fleet mode's forwarder has the first call's records in Kafka), then put back;</li>
 *   <li>{@code ids}: hostile agent ids (a look-alike of {@code agent-r0}, control characters, a line break, a
 *       right-to-left override, 100,000 characters) are refused by {@code AgentContext.enter}, each with a one-line
 *       message; each is then made an id with {@code Ids.toId} and calls a ring-0 tool;</li>
 *   <li>{@code clock-step} (test mode only): two calls, the clock stepped two hours back, two calls, the clock
 *       stepped forward again, one call.</li>
 * </ul>
 */
public final class HardeningApp {

    private HardeningApp() {
    }

    public static void main(String[] args) throws Exception {
        Nesting nesting = new Nesting(new Tools());
        switch (args[0]) {
            case "nested":
                for (String agent : new String[] {"agent-r3", "agent-r0"}) {
                    try (AgentContext.Scope scope = AgentContext.enter(agent)) {
                        Outcomes.attempt(agent, "outer", nesting::outer);
                    }
                }
                break;
            case "oom-thrown":
                try (AgentContext.Scope scope = AgentContext.enter("agent-r0")) {
                    Outcomes.attempt("agent-r0", "throwsOom", Failing::throwsOom);
                }
                break;
            case "oom-real":
                try (AgentContext.Scope scope = AgentContext.enter("agent-r0")) {
                    Outcomes.attempt("agent-r0", "exhaustsHeap", Failing::exhaustsHeap);
                    // The heap is free again: the JVM, and the agent in it, go on governing.
                    Outcomes.attempt("agent-r0", "after", () -> new Tools().ring0());
                }
                break;
            case "shapes":
                shapes();
                break;
            case "escalate":
                escalate();
                break;
            case "ids":
                hostileIds();
                break;
            case "clock-step":
                clockStep();
                break;
            case "delete-audit-dir":
                deleteAuditDirectory(java.nio.file.Path.of(args[1]), args.length > 2 && args[2].equals("shipped"));
                break;
            default:
                throw new IllegalArgumentException(args[0]);
        }
    }

    /** {@code @Ring} methods on an inner class, a record and an enum, called by a ring-3 and a ring-0 agent. */
    private static void shapes() {
        Outer.Inner inner = new Outer().new Inner();
        Report report = new Report("quarterly");
        for (String agent : new String[] {"agent-r3", "agent-r0"}) {
            try (AgentContext.Scope scope = AgentContext.enter(agent)) {
                Outcomes.attempt(agent, "inner", inner::purge);
                Outcomes.attempt(agent, "record", report::publish);
                Outcomes.attempt(agent, "record-accessor", report::text);
                Outcomes.attempt(agent, "enum", Operation.WIPE::run);
            }
        }
    }

    /** Holds a non-static inner class. */
    public static final class Outer {
        /** An inner class: its instances hold the outer one. */
        public final class Inner {
            @Ring(0)
            public String purge() {
                return "purged";
            }
        }
    }

    /**
     * A record with a governed method and a governed accessor.
     *
     * @param text the report
     */
    public record Report(String text) {
        @Ring(1)
        public String publish() {
            return "published " + text;
        }

        @Override
        @Ring(1)
        public String text() {
            return text;
        }
    }

    /** An enum whose constants share a governed method. */
    public enum Operation {
        WIPE;

        @Ring(0)
        public String run() {
            return name();
        }
    }

    /**
     * Code running as ring-3 {@code agent-r3} in a session tries to act as ring-0 {@code agent-r0}: by entering it
     * inside {@code Session.runAs}, inside a plain scope, and through {@code Session.execute}. Then the application
     * itself, with no agent in context, acts as {@code agent-r0}: that is allowed.
     */
    private static void escalate() throws Exception {
        Tools tools = new Tools();
        dev.agentmesh.api.Session session = dev.agentmesh.api.Hypervisor.get().createSession(
                dev.agentmesh.api.SessionConfig.builder().build());
        session.join("agent-r3");
        session.join("agent-r0");
        session.runAs("agent-r3", () -> {
            Outcomes.attempt("agent-r3", "ring0-in-session", () -> {
                try (AgentContext.Scope root = AgentContext.enter("agent-r0")) {
                    return tools.ring0();
                }
            });
            Outcomes.attempt("agent-r3", "execute-as-r0", () -> session.execute("agent-r0", "tool_call", "wipe", 0,
                    () -> "wiped"));
            return null;
        });
        try (AgentContext.Scope scope = AgentContext.enter("agent-r3")) {
            Outcomes.attempt("agent-r3", "ring0-nested", () -> AgentContext.runAs("agent-r0", tools::ring0));
        }
        Outcomes.attempt("-", "ring0-as-r0", () -> AgentContext.runAs("agent-r0", tools::ring0));
    }

    /** Steps the trail's clock back and forward again through the test-mode bridge, as NTP would step the system's. */
    private static void clockStep() throws Exception {
        java.lang.reflect.Method shift = Class.forName("dev.agentmesh.bootstrap.Testing")
                .getMethod("shiftClock", long.class);
        Tools tools = new Tools();
        try (AgentContext.Scope scope = AgentContext.enter("agent-r0")) {
            tools.ring3();
            tools.ring3();
            shift.invoke(null, -2 * 3_600_000L);
            tools.ring3();
            tools.ring3();
            shift.invoke(null, 2 * 3_600_000L);
            tools.ring3();
        }
    }

    /** Hostile ids: refused as they are, governed once made ids. */
    private static void hostileIds() {
        Tools tools = new Tools();
        String[] hostile = {"agent-r\u041e", "agent\u0000r0", "agent-r0\n2026-11-25 ALLOW root", "agent-\u202e0r",
            "a".repeat(100_000)};
        for (String id : hostile) {
            try (AgentContext.Scope scope = AgentContext.enter(id)) {
                System.out.println("ENTERED " + id.length());
            } catch (IllegalArgumentException refused) {
                String message = refused.getMessage();
                System.out.println("REFUSED " + (message.contains("\n") ? "multi-line" : "one-line")
                        + (message.length() <= 400 ? " short" : " long " + message.length()));
            }
        }
        for (String id : hostile) {
            String safe = dev.agentmesh.api.Ids.toId(id);
            Outcomes.attempt(safe.length() > 40 ? safe.substring(0, 40) + "..." : safe, "ring0",
                    () -> AgentContext.runAs(safe, tools::ring0));
        }
    }

    /**
     * Calls a tool, deletes the audit directory under the running agent, calls until a call is refused (prints
     * {@code REFUSED <message>}), puts the directory back, calls until one is allowed again ({@code RECOVERED}),
     * then makes three more calls.
     */
    private static void deleteAuditDirectory(java.nio.file.Path audit, boolean shipped) throws Exception {
        Tools tools = new Tools();
        try (AgentContext.Scope scope = AgentContext.enter("agent-r0")) {
            tools.ring3();
            if (shipped) {
                awaitAcknowledged(2); // GENESIS, ALLOW, RETURNED
            }
            deleteTree(audit);
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (true) {
                try {
                    tools.ring3();
                } catch (dev.agentmesh.api.AuditUnavailableException refused) {
                    System.out.println("REFUSED " + refused.getMessage());
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("calls were still allowed 10 s after the directory went");
                }
            }
            java.nio.file.Files.createDirectories(audit);
            while (true) {
                try {
                    tools.ring3();
                    System.out.println("RECOVERED");
                    break;
                } catch (dev.agentmesh.api.AuditUnavailableException refused) {
                    if (System.nanoTime() > deadline + 10_000_000_000L) {
                        throw new IllegalStateException("calls were still refused 10 s after the directory came back");
                    }
                    Thread.onSpinWait();
                }
            }
            for (int i = 0; i < 3; i++) {
                tools.ring3();
            }
        }
    }

    /** Waits until the fleet MBean says Kafka acknowledged the trail up to {@code seq}. */
    private static void awaitAcknowledged(long seq) throws Exception {
        javax.management.MBeanServer mbs = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName fleet = new javax.management.ObjectName("dev.agentmesh:type=Fleet");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!mbs.isRegistered(fleet) || (long) mbs.getAttribute(fleet, "AcknowledgedSeq") < seq) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka did not acknowledge record " + seq + " within 60 s");
            }
            Thread.sleep(20);
        }
    }

    private static void deleteTree(java.nio.file.Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(dir)) {
            for (java.nio.file.Path p : files.sorted(java.util.Comparator.reverseOrder())
                    .collect(java.util.stream.Collectors.toList())) {
                java.nio.file.Files.delete(p);
            }
        }
    }

    /** A ring-3 tool whose body calls a ring-0 tool. */
    public static final class Nesting {
        private final Tools tools;

        Nesting(Tools tools) {
            this.tools = tools;
        }

        @Ring(3)
        public String outer() {
            return "outer:" + tools.ring0();
        }
    }

    /** Tools whose bodies fail with an {@code Error}. */
    public static final class Failing {
        private Failing() {
        }

        @Ring(3)
        public static String throwsOom() {
            throw new OutOfMemoryError("made by the tool");
        }

        @Ring(3)
        public static int exhaustsHeap() {
            List<long[]> hog = new ArrayList<>();
            while (true) {
                hog.add(new long[1 << 20]);
            }
        }
    }
}
