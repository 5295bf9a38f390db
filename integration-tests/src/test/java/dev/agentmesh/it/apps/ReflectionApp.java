package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.function.Supplier;

/** Calls a ring-0 tool through reflection, a MethodHandle and a method reference, as the given agent. */
public final class ReflectionApp {

    private ReflectionApp() {
    }

    public static void main(String[] args) throws Exception {
        String agent = args[0];
        Tools tools = new Tools();
        try (AgentContext.Scope s = AgentContext.enter(agent)) {
            Method m = Tools.class.getMethod("ring0");
            m.setAccessible(true);
            Outcomes.attempt(agent, "reflection", () -> m.invoke(tools));
            MethodHandle h = MethodHandles.publicLookup()
                    .findVirtual(Tools.class, "ring0", MethodType.methodType(String.class));
            Outcomes.attempt(agent, "methodhandle", () -> {
                try {
                    return (String) h.invokeExact(tools);
                } catch (Throwable t) {
                    throw t instanceof Exception ? (Exception) t : new RuntimeException(t);
                }
            });
            Supplier<String> ref = tools::ring0;
            Outcomes.attempt(agent, "methodref", ref::get);
        }
    }
}
