package dev.agentmesh.agent.rings;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Session;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;

/**
 * The agent and the session in context on this thread, as every governed call reads them. It goes through
 * {@code AgentContext}'s package-private accessors rather than its public ones, which return an {@code Optional}:
 * a governed call would allocate one until the JIT removes it. The handles are constants, so the JIT inlines them.
 */
public final class ThreadContext {

    private static final MethodHandle AGENT_ID = accessor("agentIdOrNull");
    private static final MethodHandle SESSION = accessor("sessionOrNull");

    private ThreadContext() {
    }

    /** @return the agent in context on this thread, or {@code null} */
    public static String agentId() {
        try {
            return (String) AGENT_ID.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the session bound to this thread, or {@code null} */
    public static Session session() {
        try {
            return (Session) SESSION.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    private static MethodHandle accessor(String name) {
        try {
            Method method = AgentContext.class.getDeclaredMethod(name);
            method.setAccessible(true);
            return MethodHandles.lookup().unreflect(method);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach AgentContext." + name + ": " + e, e);
        }
    }
}
