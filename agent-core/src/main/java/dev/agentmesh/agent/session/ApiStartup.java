package dev.agentmesh.agent.session;

import dev.agentmesh.api.Hypervisor;
import java.lang.reflect.Field;

/**
 * Drives the API's start-up wait ({@code dev.agentmesh.api.AgentStartup}, package-private, reached by reflection:
 * it is not part of the API). While the agent starts in the background, {@code AgentContext.enter} waits until it
 * is done and {@code Hypervisor.get()} until the hypervisor is handed over.
 */
public final class ApiStartup {

    private static final String CLASS = "dev.agentmesh.api.AgentStartup";

    private ApiStartup() {
    }

    /** Makes the API wait: call before the application's {@code main} runs. */
    public static void begin() {
        set(true);
    }

    /** Lets the API go on: the agent is started. */
    public static void end() {
        set(false);
    }

    /** Wakes waiters to look again at what they wait for (say, a hypervisor just handed over). */
    static void wakeWaiters() {
        try {
            Object lock = field("LOCK").get(null);
            synchronized (lock) {
                lock.notifyAll();
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the API's start-up wait: " + e, e);
        }
    }

    private static void set(boolean starting) {
        try {
            Object lock = field("LOCK").get(null);
            synchronized (lock) {
                field("starting").setBoolean(null, starting);
                lock.notifyAll();
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the API's start-up wait: " + e, e);
        }
    }

    private static Field field(String name) throws ReflectiveOperationException {
        Field f = Class.forName(CLASS, false, Hypervisor.class.getClassLoader()).getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
