package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;

/** The part of {@link LateAttachApp} that uses the API, in its own class so it loads only after the attach. */
final class AfterAttach {

    private AfterAttach() {
    }

    static void run(Tools tools, OverridesApp.Payments reference, OverridesApp.Payments lambda) {
        try (AgentContext.Scope s = AgentContext.enter("agent-r3")) {
            Outcomes.attempt("after-attach", "ring0", tools::ring0);
            Outcomes.attempt("after-attach", "ring3", tools::ring3);
            // Made before the attach: no bridge can be added now, so the method the reference calls is woven itself,
            // and its direct callers are governed with it.
            Outcomes.attempt("after-attach", "method-reference", () -> reference.pay("ada"));
            Outcomes.attempt("after-attach", "its-target-called-directly", () -> new OverridesApp.Teller().send("ada"));
            Outcomes.attempt("after-attach", "lambda", () -> lambda.pay("ada"));
        }
        try (AgentContext.Scope s = AgentContext.enter("agent-r1")) {
            Outcomes.attempt("after-attach-r1", "method-reference", () -> reference.pay("bob"));
            Outcomes.attempt("after-attach-r1", "lambda", () -> lambda.pay("bob"));
        }
    }
}
