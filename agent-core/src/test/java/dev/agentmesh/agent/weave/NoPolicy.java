package dev.agentmesh.agent.weave;

import dev.agentmesh.agent.policy.ToolRules;

/** The weaver's parts as a policy with no {@code tools:} section makes them, for tests. */
final class NoPolicy {

    private NoPolicy() {
    }

    /** @param inherited whether rings are inherited @return lambda bodies as such a policy finds them */
    static LambdaBodies lambdas(boolean inherited) {
        return new LambdaBodies(new GovernedInterfaces(new WeavingCandidates(ToolRules.none()),
                new RingInheritance(inherited)), inherited);
    }

    /** @return policy tools with no rules, rings inherited */
    static PolicyTools tools() {
        return new PolicyTools(ToolRules.none(), new RingInheritance(true), lambdas(true));
    }
}
