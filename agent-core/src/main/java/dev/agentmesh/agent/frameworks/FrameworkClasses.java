package dev.agentmesh.agent.frameworks;

import java.util.Set;

/**
 * The frameworks' classes that {@link FrameworkWeaving} weaves, by binary name. Apart from it, with no ByteBuddy, so
 * the start-up gate can hold them back before ByteBuddy is loaded.
 */
public final class FrameworkClasses {

    static final String LANGCHAIN4J_EXECUTOR = "dev.langchain4j.service.tool.DefaultToolExecutor";
    static final String LANGCHAIN4J_AGENT_NOTIFIER =
            "dev.langchain4j.agentic.observability.ListenerNotifierUtil";
    static final String SPRING_AI_METHOD_CALLBACK = "org.springframework.ai.tool.method.MethodToolCallback";
    static final String SPRING_AI_FUNCTION_CALLBACK =
            "org.springframework.ai.tool.function.FunctionToolCallback";
    static final String SPRING_AI_OBSERVATION_BUILDER =
            "org.springframework.ai.tool.observation.ToolCallingObservationContext$Builder";
    static final String MCP_SYNC_SPECIFICATION =
            "io.modelcontextprotocol.server.McpServerFeatures$SyncToolSpecification";
    static final String MCP_STATELESS_SYNC_SPECIFICATION =
            "io.modelcontextprotocol.server.McpStatelessServerFeatures$SyncToolSpecification";
    static final String MCP_ASYNC_SPECIFICATION =
            "io.modelcontextprotocol.server.McpServerFeatures$AsyncToolSpecification";
    static final String MCP_STATELESS_ASYNC_SPECIFICATION =
            "io.modelcontextprotocol.server.McpStatelessServerFeatures$AsyncToolSpecification";

    /** Every class above. */
    public static final Set<String> WOVEN = Set.of(LANGCHAIN4J_EXECUTOR, LANGCHAIN4J_AGENT_NOTIFIER,
            SPRING_AI_METHOD_CALLBACK, SPRING_AI_FUNCTION_CALLBACK, SPRING_AI_OBSERVATION_BUILDER,
            MCP_SYNC_SPECIFICATION, MCP_STATELESS_SYNC_SPECIFICATION, MCP_ASYNC_SPECIFICATION,
            MCP_STATELESS_ASYNC_SPECIFICATION);

    private FrameworkClasses() {
    }
}
