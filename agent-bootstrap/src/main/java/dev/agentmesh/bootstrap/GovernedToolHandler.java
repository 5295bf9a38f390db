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

    private final String framework;
    private final String tool;
    private final BiFunction<Object, Object, Object> handler;

    /**
     * @param framework the framework's short name
     * @param tool the tool's name
     * @param handler the handler the application registered
     */
    @SuppressWarnings("unchecked")
    public GovernedToolHandler(String framework, String tool, BiFunction<?, ?, ?> handler) {
        this.framework = framework;
        this.tool = tool;
        this.handler = (BiFunction<Object, Object, Object>) handler;
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
        Object ticket = Governance.enterTool(framework, tool, null, context, null, request);
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
        return "governed " + framework + " tool " + tool + ": " + handler;
    }
}
