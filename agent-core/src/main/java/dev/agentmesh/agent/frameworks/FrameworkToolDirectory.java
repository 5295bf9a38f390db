package dev.agentmesh.agent.frameworks;

import dev.agentmesh.agent.policy.ToolRules;
import dev.agentmesh.agent.weave.MethodRegistry;
import dev.agentmesh.agent.weave.RingAnnotation;
import dev.agentmesh.audit.format.Utf8;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.description.method.MethodDescription;

/**
 * Resolves the tools frameworks call to {@link FrameworkTool}s, caching each so that a framework's tool call costs
 * one map lookup here. The ring follows the same order as for woven methods: the method's own {@code @Ring}, then
 * the policy's {@code tools:} rules with the framework's tool name, then the default tool ring. Bounded like the
 * agent directory: past {@value #MAX_CACHED} tools, tools are resolved per call.
 */
final class FrameworkToolDirectory {

    static final int MAX_CACHED = 10_000;
    /** The longest tool name a record carries, in UTF-8 bytes; a longer one is cut, the decision uses it whole. */
    static final int MAX_TOOL_BYTES = 256;

    private final ToolRules rules;
    private final MethodRegistry methods;
    private final ConcurrentHashMap<Key, FrameworkTool> cache = new ConcurrentHashMap<>();

    FrameworkToolDirectory(ToolRules rules, MethodRegistry methods) {
        this.rules = rules;
        this.methods = methods;
    }

    /**
     * @param framework the framework's short name
     * @param tool the framework's name for the tool
     * @param method the method implementing it, or {@code null} for a tool with no method of its own
     * @return the tool
     */
    FrameworkTool resolve(String framework, String tool, Method method) {
        Key key = new Key(framework, tool, method);
        FrameworkTool known = cache.get(key);
        if (known != null) {
            return known;
        }
        FrameworkTool fresh = describe(framework, tool, method);
        if (cache.size() < MAX_CACHED) {
            cache.putIfAbsent(key, fresh);
        }
        return fresh;
    }

    private FrameworkTool describe(String framework, String tool, Method method) {
        byte[] frameworkUtf8 = Utf8.encode(framework);
        byte[] toolUtf8 = Utf8Caps.encode(tool, MAX_TOOL_BYTES);
        if (method == null) {
            int ring = rules.ringOf(tool, framework, tool, java.util.Set.of());
            return new FrameworkTool(ring, -1, frameworkUtf8, toolUtf8, frameworkUtf8, toolUtf8, new byte[0],
                    framework + " tool " + tool);
        }
        String className = method.getDeclaringClass().getName();
        String descriptor = new MethodDescription.ForLoadedMethod(method).getDescriptor();
        int own = RingAnnotation.declaredRing(method, rules.ringInherited());
        int woven = methods.find(className, method.getName(), descriptor);
        int ring = own >= 0 ? own
                : rules.ringOf(tool, className, method.getName(), RingAnnotation.annotationNames(method));
        if (woven >= 0) {
            // The method's own check is skipped for this call (pre-admitted): never admit what it would deny, as
            // when a pattern rule wove it with a stricter ring than the tool-name rule that decides here.
            ring = Math.min(ring, methods.get(woven).requiredRing());
        }
        return new FrameworkTool(ring, woven, frameworkUtf8,
                toolUtf8, Utf8.encode(className), Utf8.encode(method.getName()), Utf8.encode(descriptor),
                framework + " tool " + tool + " (" + className + '#' + method.getName() + ')');
    }

    private record Key(String framework, String tool, Method method) {
        Key {
            Objects.requireNonNull(framework, "framework");
            Objects.requireNonNull(tool, "tool");
        }
    }
}
