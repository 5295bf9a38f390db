package dev.agentmesh.agent.frameworks;

import dev.agentmesh.bootstrap.GovernedToolHandler;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.function.BiFunction;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined at the start of the MCP Java SDK's synchronous tool specifications' constructors (stateful and stateless
 * servers), which every way of registering a synchronous tool passes through: builders, {@code toolCall},
 * {@code tools(...)} and {@code addTool} at run time. The handler is wrapped in a {@link GovernedToolHandler}, so
 * each call is decided and recorded before it runs, on the thread that runs it. Never loaded by the agent, like
 * {@link LangChain4jToolAdvice}.
 *
 * <p>A denial or a kill thrown by the wrapper reaches the MCP client as a JSON-RPC error carrying its message.
 */
public final class McpToolSpecificationAdvice {

    private McpToolSpecificationAdvice() {
    }

    /**
     * @param tool the tool
     * @param handler the handler as registered; replaced by its governed wrapper
     */
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) McpSchema.Tool tool,
            @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) BiFunction<?, ?, ?> handler) {
        if (tool != null && handler != null && !GovernedToolHandler.isGoverned(handler)) {
            handler = new GovernedToolHandler("mcp", tool.name(), handler);
        }
    }
}
