package dev.agentmesh.agent.weave;

import dev.agentmesh.agent.policy.ToolRules;

/** The weaver's parts as a policy with no {@code tools:} section makes them, for tests. */
final class NoPolicy {

    private NoPolicy() {
    }

    /** @param inherited whether rings are inherited @return lambda bodies as such a policy finds them */
    static LambdaBodies lambdas(boolean inherited) {
        return new LambdaBodies(interfaces(inherited));
    }

    /** @param inherited whether rings are inherited @return the interfaces' rings as such a policy reads them */
    static GovernedInterfaces interfaces(boolean inherited) {
        return GovernedInterfaces.of(new ToolRules(java.util.List.of(), ToolRules.DEFAULT_TOOL_RING, inherited));
    }

    /** @return policy tools with no rules, rings inherited */
    static PolicyTools tools() {
        return new PolicyTools(ToolRules.none(), new RingInheritance(true), lambdas(true), new ReferenceTargets());
    }
}
