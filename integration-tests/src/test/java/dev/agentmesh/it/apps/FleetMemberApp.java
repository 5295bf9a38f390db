package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.AgentKilledError;
import dev.agentmesh.api.Ring;

/**
 * A member of a fleet: a ring-3 tool as {@code agent-r3} every 5 ms, whatever happens, until the file
 * {@code args[1]} exists (or {@code args[0]} seconds pass, counted from when the tool's class is ready: the agent may
 * hold it back while it starts).
 * Prints {@code READY} after its first allowed call, {@code KILLED <epoch millis>} when a call is first refused by a
 * kill, and {@code CALLS <allowed> <killed>} at the end.
 */
public final class FleetMemberApp {

    private FleetMemberApp() {
    }

    public static void main(String[] args) throws Exception {
        java.nio.file.Path stop = java.nio.file.Path.of(args[1]);
        Lookup tools = new Lookup();
        long end = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
        long allowed = 0;
        long killed = 0;
        try (AgentContext.Scope scope = AgentContext.enter("agent-r3")) {
            while (System.nanoTime() < end && !java.nio.file.Files.exists(stop)) {
                try {
                    tools.find(allowed);
                    if (allowed++ == 0) {
                        System.out.println("READY");
                    }
                } catch (AgentKilledError e) {
                    if (killed++ == 0) {
                        System.out.println("KILLED " + System.currentTimeMillis());
                    }
                }
                Thread.sleep(5);
            }
        }
        System.out.println("CALLS " + allowed + " " + killed);
    }

    /** A quiet ring-3 tool. */
    static final class Lookup {
        @Ring(3)
        long find(long key) {
            return key * 31;
        }
    }
}
