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
 *   <li>{@code oom-real}: a tool body runs the heap out (run with a small {@code -Xmx}).</li>
 * </ul>
 */
public final class HardeningApp {

    private HardeningApp() {
    }

    public static void main(String[] args) {
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
            default:
                throw new IllegalArgumentException(args[0]);
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
