package dev.agentmesh.agent.frameworks;

import dev.agentmesh.bootstrap.GovernedToolHandler;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.function.BiFunction;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@link McpToolSpecificationAdvice} for the asynchronous tool specifications (stateful and stateless), through
 * which every tool registration passes, synchronous ones adapted. A handler the application wrote to return a
 * {@code Mono} is wrapped to be decided when called and to record its outcome when the {@code Mono} ends; the SDK's
 * adapters around synchronous tools are left alone, those tools being wrapped where they were registered.
 */
public final class McpAsyncToolSpecificationAdvice {

    private McpAsyncToolSpecificationAdvice() {
    }

    /**
     * @param tool the tool
     * @param handler the handler as registered; replaced by its governed wrapper
     */
    @Advice.OnMethodEnter
    static void enter(@Advice.Argument(0) McpSchema.Tool tool,
            @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) BiFunction<?, ?, ?> handler) {
        if (tool != null && GovernedToolHandler.needsWrapping(handler)) {
            handler = new GovernedToolHandler("mcp", tool.name(), handler, true);
        }
    }
}
