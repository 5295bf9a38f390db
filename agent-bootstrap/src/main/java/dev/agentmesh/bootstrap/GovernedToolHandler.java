package dev.agentmesh.bootstrap;

import java.util.function.BiFunction;

/**
 * Wraps a tool handler that a framework registers as a function, where no method of the framework carries the call
 * and its identity together: the agent weaves the wrapping into the MCP Java SDK's tool specifications, so every
 * call of a tool an MCP server registers is decided and recorded before the handler runs. Lives on the bootstrap
 * class path so that a handler in any class loader can be wrapped.
 *
 * <p>The handler's first argument (an MCP exchange or transport context) names the agent, its second is the
 * request; the agent reads both through their public API.
 */
public final class GovernedToolHandler implements BiFunction<Object, Object, Object> {

    /** Where the MCP SDK adapts a synchronous tool to its asynchronous form: the tool inside is wrapped already. */
    private static final String[] ADAPTERS = {
        "io.modelcontextprotocol.server.McpServerFeatures$AsyncToolSpecification$$Lambda",
        "io.modelcontextprotocol.server.McpStatelessServerFeatures$AsyncToolSpecification$$Lambda",
        "io.modelcontextprotocol.server.McpAsyncServer$StructuredOutputCallToolHandler",
        "io.modelcontextprotocol.server.McpStatelessAsyncServer$StructuredOutputCallToolHandler",
    };

    private final String framework;
    private final String tool;
    private final BiFunction<Object, Object, Object> handler;
    private final boolean asynchronous;

    /**
     * @param framework the framework's short name
     * @param tool the tool's name
     * @param handler the handler the application registered
     */
    public GovernedToolHandler(String framework, String tool, BiFunction<?, ?, ?> handler) {
        this(framework, tool, handler, false);
    }

    /**
     * @param framework the framework's short name
     * @param tool the tool's name
     * @param handler the handler the application registered
     * @param asynchronous whether the handler returns a publisher of its result ({@code Mono}) rather than the
     *     result: the call is decided before the handler runs and its outcome recorded when the publisher ends
     */
    @SuppressWarnings("unchecked")
    public GovernedToolHandler(String framework, String tool, BiFunction<?, ?, ?> handler, boolean asynchronous) {
        this.framework = framework;
        this.tool = tool;
        this.handler = (BiFunction<Object, Object, Object>) handler;
        this.asynchronous = asynchronous;
    }

    /**
     * @param handler an asynchronous tool handler being registered
     * @return whether to wrap it: not if it is wrapped already, or is the SDK's adapter around a synchronous tool
     *     (wrapped already where that tool was registered) or around a wrapped handler
     */
    public static boolean needsWrapping(Object handler) {
        if (handler == null || handler instanceof GovernedToolHandler) {
            return false;
        }
        String name = handler.getClass().getName();
        for (String adapter : ADAPTERS) {
            if (name.startsWith(adapter)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param handler a handler
     * @return whether it is governed already, so it is not wrapped twice
     */
    public static boolean isGoverned(Object handler) {
        return handler instanceof GovernedToolHandler;
    }

    @Override
    public Object apply(Object context, Object request) {
        return asynchronous ? applyDetached(context, request) : applyInline(context, request);
    }

    private Object applyDetached(Object context, Object request) {
        Object ticket = Governance.enterDetachedTool(framework, tool, context, request);
        Object result;
        try {
            result = handler.apply(context, request);
        } catch (Throwable t) {
            Governance.exitDetachedTool(ticket, t);
            throw t;
        }
        return Governance.whenToolDone(ticket, result);
    }

    private Object applyInline(Object context, Object request) {
        // No token: a call naming no method records only what any code could make the framework do.
        Object ticket = Governance.enterTool(0L, framework, tool, null, context, null, request);
        Object result;
        try {
            result = handler.apply(context, request);
        } catch (Throwable t) {
            Governance.exitTool(ticket, t, false);
            throw t;
        }
        Governance.exitTool(ticket, null, false);
        return result;
    }

    @Override
    public String toString() {
        return "governed " + (asynchronous ? "asynchronous " : "") + framework + " tool " + tool + ": " + handler;
    }
}
