package dev.agentmesh.agent.frameworks;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads who is calling a LangChain4j tool from the call's {@code InvocationContext}, through LangChain4j's public
 * API, by reflection (as {@link McpContexts} does for MCP), when no {@code langchain4j-agentic} agent is known to be
 * running on the thread ({@link LangChain4jAgentAdvice} tracks those by the name they run under). The agent is, for
 * an AI-service method carrying {@code @Agent}, that annotation's name (its method's name if blank); otherwise the
 * AI service's {@code @MemoryId} value. LangChain4j's {@code "default"} memory id, used when a service has no {@code @MemoryId}, names no agent.
 */
final class LangChain4jContexts {

    /** The memory id LangChain4j uses for a service with no {@code @MemoryId}. */
    static final String DEFAULT_MEMORY_ID = "default";
    static final String AGENT_ANNOTATION = "dev.langchain4j.agentic.Agent";
    private static final int MAX_CACHED = 10_000;

    private static final ClassValue<Optional<Method>> CHAT_MEMORY_ID = PublicApi.getter("chatMemoryId");
    private static final ClassValue<Optional<Method>> INTERFACE_NAME = PublicApi.getter("interfaceName");
    private static final ClassValue<Optional<Method>> METHOD_NAME = PublicApi.getter("methodName");
    private static final ClassValue<Optional<Method>> NAME = PublicApi.getter("name");
    /** {@code interface#method} to the agent name its {@code @Agent} gives, or "" for a method without one. */
    private static final ConcurrentHashMap<String, String> AGENT_NAMES = new ConcurrentHashMap<>();

    private LangChain4jContexts() {
    }

    /**
     * @param context the call's {@code InvocationContext}, or {@code null}
     * @param tool the tool's method, whose loader sees the AI service's interface
     * @return the agent it names, or {@code null} if it names none
     */
    static Object agentKey(Object context, Method tool) {
        if (context == null) {
            return null;
        }
        Object service = PublicApi.call(INTERFACE_NAME, context);
        Object method = PublicApi.call(METHOD_NAME, context);
        if (service != null && method != null) {
            String agent = agentName(service.toString(), method.toString(), tool);
            if (!agent.isEmpty()) {
                return agent;
            }
        }
        Object memoryId = PublicApi.call(CHAT_MEMORY_ID, context);
        return DEFAULT_MEMORY_ID.equals(memoryId) ? null : memoryId;
    }

    /**
     * @param context the call's {@code InvocationContext}, or {@code null}
     * @return the binary name of the AI service the call comes from, or {@code null}
     */
    static String serviceName(Object context) {
        Object service = PublicApi.call(INTERFACE_NAME, context);
        return service == null ? null : service.toString();
    }

    private static String agentName(String service, String method, Method tool) {
        String key = service + '#' + method;
        String known = AGENT_NAMES.get(key);
        if (known != null) {
            return known;
        }
        String name = readAgentName(service, method, tool);
        if (AGENT_NAMES.size() < MAX_CACHED) {
            AGENT_NAMES.putIfAbsent(key, name);
        }
        return name;
    }

    /** @return the {@code @Agent} name of {@code service#method}, its method name if the name is blank, or "" */
    private static String readAgentName(String service, String method, Method tool) {
        Class<?> type;
        try {
            ClassLoader loader = tool != null ? tool.getDeclaringClass().getClassLoader()
                    : Thread.currentThread().getContextClassLoader();
            type = Class.forName(service, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return "";
        }
        for (Method m : type.getMethods()) {
            if (!m.getName().equals(method)) {
                continue;
            }
            for (Annotation a : m.getAnnotations()) {
                if (a.annotationType().getName().equals(AGENT_ANNOTATION)) {
                    Object name = PublicApi.call(NAME, a);
                    return name == null || name.toString().isBlank() ? method : name.toString();
                }
            }
        }
        return "";
    }
}
