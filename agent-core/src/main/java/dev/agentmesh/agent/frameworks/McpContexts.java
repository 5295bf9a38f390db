package dev.agentmesh.agent.frameworks;

import java.lang.reflect.Method;
import java.util.Optional;

/**
 * Reads who is calling an MCP server's tool from the handler's first argument, through the MCP SDK's public API,
 * by reflection: the agent does not link against the SDK, so any copy of it in any loader works. Lookups are cached
 * per class.
 *
 * <p>The agent is, first, the transport context's {@value FrameworkCalls#AGENT_ID_KEY} entry: what the server's own
 * authentication (an HTTP filter, say) put there, so it can be trusted as far as that authentication. Otherwise it is
 * the client's name from its {@code initialize} request, which any client may claim: it is namespaced as
 * {@value #CLIENT_PREFIX}{@code <name>}, so a remote client can never take the id of an agent the policy names
 * plainly, only an id the policy grants to self-named MCP clients on purpose. Characters an agent id may not hold
 * become {@code _}.
 */
final class McpContexts {

    private static final ClassValue<Optional<Method>> SESSION_ID = PublicApi.getter("sessionId");
    private static final ClassValue<Optional<Method>> CLIENT_INFO = PublicApi.getter("getClientInfo");
    private static final ClassValue<Optional<Method>> TRANSPORT_CONTEXT = PublicApi.getter("transportContext");
    private static final ClassValue<Optional<Method>> NAME = PublicApi.getter("name");
    private static final ClassValue<Optional<Method>> PROGRESS_TOKEN = PublicApi.getter("progressToken");
    private static final ClassValue<Optional<Method>> GET = new ClassValue<>() {
        @Override
        protected Optional<Method> computeValue(Class<?> type) {
            return PublicApi.method(type, "get", String.class);
        }
    };

    /** What a self-named MCP client's agent id starts with. */
    static final String CLIENT_PREFIX = "mcp-client:";

    private McpContexts() {
    }

    /**
     * @param context the handler's first argument: an exchange, or a stateless server's transport context
     * @return the agent id it names, or {@code null} if it names none
     */
    static String agentId(Object context) {
        if (context == null) {
            return null;
        }
        Object transport = PublicApi.call(TRANSPORT_CONTEXT, context);
        Object authenticated = PublicApi.call(GET, transport != null ? transport : context, FrameworkCalls.AGENT_ID_KEY);
        if (authenticated != null) {
            return authenticated.toString();
        }
        Object name = PublicApi.call(NAME, PublicApi.call(CLIENT_INFO, context));
        return name == null || name.toString().isBlank() ? null : dev.agentmesh.api.Ids.toId(CLIENT_PREFIX + name);
    }

    /**
     * @param context the handler's first argument
     * @param request the tool request
     * @return the MCP session id, with the request's progress token after {@code #} if it has one; or {@code null}
     */
    static String invocationId(Object context, Object request) {
        Object session = PublicApi.call(SESSION_ID, context);
        Object token = PublicApi.call(PROGRESS_TOKEN, request);
        if (session == null) {
            return token == null ? null : token.toString();
        }
        return token == null ? session.toString() : session + "#" + token;
    }
}
