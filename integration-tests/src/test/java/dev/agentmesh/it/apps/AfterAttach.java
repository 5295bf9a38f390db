package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;

/** The part of {@link LateAttachApp} that uses the API, in its own class so it loads only after the attach. */
final class AfterAttach {

    private AfterAttach() {
    }

    static void run(Tools tools) {
        try (AgentContext.Scope s = AgentContext.enter("agent-r3")) {
            Outcomes.attempt("after-attach", "ring0", tools::ring0);
            Outcomes.attempt("after-attach", "ring3", tools::ring3);
        }
    }
}
