package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.RateLimitExceededException;
import dev.agentmesh.api.Ring;

/** Five quick calls of a {@code @Ring(2)} tool by one agent; prints how each ended. */
public final class RateLimitApp {

    /** The tool. */
    public static final class Tools {
        @Ring(2)
        public String search(String q) {
            return "results for " + q;
        }
    }

    private RateLimitApp() {
    }

    public static void main(String[] args) throws Exception {
        Tools tools = new Tools();
        for (int i = 1; i <= 5; i++) {
            int n = i;
            try {
                System.out.println("CALL " + n + " " + AgentContext.runAs("researcher-1", () -> tools.search("q" + n)));
            } catch (RateLimitExceededException e) {
                System.out.println("CALL " + n + " LIMITED " + e.getMessage());
            }
        }
    }
}
