package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;

/**
 * Every given agent calls every tool. An agent named {@code -} calls with no agent in context.
 */
public final class RingMatrixApp {

    private RingMatrixApp() {
    }

    public static void main(String[] args) throws Exception {
        Tools tools = new Tools();
        TypeLevelTools typed = new TypeLevelTools();
        for (String agent : args) {
            AgentContext.Scope scope = agent.equals("-") ? null : AgentContext.enter(agent);
            try {
                Outcomes.attempt(agent, "ring0", tools::ring0);
                Outcomes.attempt(agent, "ring1", tools::ring1);
                Outcomes.attempt(agent, "ring2", tools::ring2);
                Outcomes.attempt(agent, "ring3", tools::ring3);
                Outcomes.attempt(agent, "free", tools::free);
                Outcomes.attempt(agent, "fails", tools::fails);
                Outcomes.attempt(agent, "type-inherited", typed::inherited);
                Outcomes.attempt(agent, "type-own", typed::own);
                Outcomes.attempt(agent, "type-package-private", typed::packagePrivate);
            } finally {
                if (scope != null) {
                    scope.close();
                }
            }
        }
    }
}
