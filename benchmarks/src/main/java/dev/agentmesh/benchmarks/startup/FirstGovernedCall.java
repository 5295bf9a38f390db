package dev.agentmesh.benchmarks.startup;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Ring;

/**
 * A hello world with one governed tool: prints {@code main} as {@code main} begins, then calls the tool (ring 3, so
 * that the agent's built-in defaults allow it too) as {@code bench-agent} and prints {@code governed: <result>} once
 * it returned. Without the agent the tool runs ungoverned: the floor.
 */
public final class FirstGovernedCall {

    private FirstGovernedCall() {
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("main");
        try (AgentContext.Scope ignored = AgentContext.enter("bench-agent")) {
            System.out.println("governed: " + new Tool().search("start-up"));
        }
    }

    /** The governed tool. */
    public static final class Tool {
        /**
         * @param query what to search for
         * @return a result
         */
        @Ring(3)
        public String search(String query) {
            return "results for " + query;
        }
    }
}
