package dev.agentmesh.agent.frameworks;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.function.BiFunction;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Weaves the agent frameworks' tool choke points, so their tools are governed with no change to the application:
 * LangChain4j's {@code DefaultToolExecutor}, Spring AI's {@code MethodToolCallback} and {@code FunctionToolCallback},
 * and the MCP Java SDK's tool specifications. The advice is named, not loaded: its class files are read from the
 * agent's loader and linked against the host's own copy of the framework, whichever loader holds it.
 */
public final class FrameworkWeaving {

    // Names, not class literals: a literal would load the advice into the agent, where the framework is absent.
    static final String LANGCHAIN4J_ADVICE = "dev.agentmesh.agent.frameworks.LangChain4jToolAdvice";
    static final String LANGCHAIN4J_FAILURE_ADVICE = "dev.agentmesh.agent.frameworks.LangChain4jToolFailureAdvice";

    static final String LANGCHAIN4J_AGENT_ADVICE = "dev.agentmesh.agent.frameworks.LangChain4jAgentAdvice";
    static final String LANGCHAIN4J_AGENT_ENDED_ADVICE = "dev.agentmesh.agent.frameworks.LangChain4jAgentAdvice$Ended";
    static final String SPRING_AI_ADVICE = "dev.agentmesh.agent.frameworks.SpringAiToolAdvice";
    static final String SPRING_AI_FUNCTION_ADVICE = "dev.agentmesh.agent.frameworks.SpringAiFunctionToolAdvice";
    static final String SPRING_AI_CALL_ID_ADVICE = "dev.agentmesh.agent.frameworks.SpringAiToolCallIdAdvice";
    static final String MCP_ADVICE = "dev.agentmesh.agent.frameworks.McpToolSpecificationAdvice";
    static final String MCP_ASYNC_ADVICE = "dev.agentmesh.agent.frameworks.McpAsyncToolSpecificationAdvice";
    private static final String TOOL_CONTEXT = "org.springframework.ai.chat.model.ToolContext";

    private FrameworkWeaving() {
    }

    /**
     * @param builder the agent builder to extend
     * @param agentLoader the loader that holds the advice's class files
     * @param frameworkToken the token baked into the choke points ({@link FrameworkToken})
     * @return the builder, also weaving every framework's choke point
     */
    public static AgentBuilder addTo(AgentBuilder builder, ClassLoader agentLoader, long frameworkToken) {
        return builder
                .type(named(FrameworkClasses.LANGCHAIN4J_EXECUTOR))
                .transform(advice(agentLoader, frameworkToken)
                        .advice(named("executeWithContext").and(takesArguments(2)),
                                LANGCHAIN4J_ADVICE)
                        .advice(named("execute").and(isPrivate()).and(takesArguments(1))
                                .and(takesArgument(0, Object[].class)),
                                LANGCHAIN4J_FAILURE_ADVICE))
                .type(named(FrameworkClasses.LANGCHAIN4J_AGENT_NOTIFIER))
                .transform(advice(agentLoader, frameworkToken)
                        .advice(named("beforeAgentInvocation").and(takesArguments(4)), LANGCHAIN4J_AGENT_ADVICE)
                        .advice(named("afterAgentInvocation").and(takesArguments(7))
                                .or(named("agentError").and(takesArguments(5))), LANGCHAIN4J_AGENT_ENDED_ADVICE))
                .type(named(FrameworkClasses.SPRING_AI_METHOD_CALLBACK))
                .transform(advice(agentLoader, frameworkToken).advice(springAiCall(), SPRING_AI_ADVICE))
                .type(named(FrameworkClasses.SPRING_AI_FUNCTION_CALLBACK))
                .transform(advice(agentLoader, frameworkToken).advice(springAiCall(), SPRING_AI_FUNCTION_ADVICE))
                .type(named(FrameworkClasses.SPRING_AI_OBSERVATION_BUILDER))
                .transform(advice(agentLoader, frameworkToken).advice(named("toolCallId").and(takesArguments(String.class)),
                        SPRING_AI_CALL_ID_ADVICE))
                .type(namedOneOf(FrameworkClasses.MCP_SYNC_SPECIFICATION,
                        FrameworkClasses.MCP_STATELESS_SYNC_SPECIFICATION))
                .transform(advice(agentLoader, frameworkToken).advice(isConstructor().and(takesArguments(2))
                        .and(takesArgument(1, BiFunction.class)), MCP_ADVICE))
                .type(namedOneOf(FrameworkClasses.MCP_ASYNC_SPECIFICATION,
                        FrameworkClasses.MCP_STATELESS_ASYNC_SPECIFICATION))
                .transform(advice(agentLoader, frameworkToken).advice(isConstructor().and(takesArguments(2))
                        .and(takesArgument(1, BiFunction.class)), MCP_ASYNC_ADVICE));
    }

    /** @return a transformer inlining advice whose class files the agent's loader holds */
    private static AgentBuilder.Transformer.ForAdvice advice(ClassLoader agentLoader, long frameworkToken) {
        return new AgentBuilder.Transformer.ForAdvice(Advice.withCustomMapping().bind(FrameworkToken.class,
                frameworkToken)).include(agentLoader);
    }

    private static ElementMatcher.Junction<MethodDescription> springAiCall() {
        return named("call").and(takesArguments(2)).and(takesArgument(0, String.class))
                .and(takesArgument(1, named(TOOL_CONTEXT)));
    }
}
