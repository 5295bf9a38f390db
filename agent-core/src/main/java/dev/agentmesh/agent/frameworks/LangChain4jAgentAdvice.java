package dev.agentmesh.agent.frameworks;

import dev.agentmesh.bootstrap.Governance;
import dev.langchain4j.agentic.planner.AgentInstance;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code langchain4j-agentic}'s {@code ListenerNotifierUtil.beforeAgentInvocation}, which the library
 * calls as every agent (and workflow) starts, listener or not: the agent's name, as the agentic system knows it (a
 * builder's {@code name(...)} as well as {@code @Agent(name)}), becomes the agent of the LangChain4j tool calls made
 * on this thread until it ends. Never loaded by the agent, like {@link LangChain4jToolAdvice}.
 */
public final class LangChain4jAgentAdvice {

    private LangChain4jAgentAdvice() {
    }

    /** @param agent the agent starting */
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(2) AgentInstance agent) {
        if (agent != null) {
            Class<?> type = agent.type();
            Governance.agentEntered("langchain4j", agent.name(), type == null ? null : type.getName(), agent);
        }
    }

    /**
     * Inlined into {@code afterAgentInvocation} (the overload the others call) and {@code agentError}: the agent
     * ended.
     */
    public static final class Ended {

        private Ended() {
        }

        /** @param agent the agent that ended */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(2) AgentInstance agent) {
            if (agent != null) {
                Governance.agentExited(agent);
            }
        }
    }
}
