package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Ring;

/**
 * Governed calls at a steady pace for a while, as a service does: a ring-3 tool as {@code agent-r3} every
 * {@code args[1]} milliseconds for {@code args[0]} seconds, or until the file {@code args[2]} (if given) exists (an
 * ALLOW and a RETURNED each). Prints {@code CALLS <n>} at the end.
 */
public final class PacedCallsApp {

    private PacedCallsApp() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = Long.parseLong(args[0]);
        long everyMillis = Long.parseLong(args[1]);
        Lookup tools = new Lookup();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        java.nio.file.Path stop = args.length > 2 ? java.nio.file.Path.of(args[2]) : null;
        long calls = 0;
        try (AgentContext.Scope scope = AgentContext.enter("agent-r3")) {
            while (System.nanoTime() < end && (stop == null || !java.nio.file.Files.exists(stop))) {
                tools.find(calls);
                calls++;
                Thread.sleep(everyMillis);
            }
        }
        System.out.println("CALLS " + calls);
    }

    /** A quiet ring-3 tool. */
    static final class Lookup {
        @Ring(3)
        long find(long key) {
            return key * 31;
        }
    }
}
