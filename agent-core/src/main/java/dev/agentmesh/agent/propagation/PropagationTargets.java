package dev.agentmesh.agent.propagation;

import java.util.Set;

/**
 * The JDK classes {@link PropagationWeaver} weaves, by name. Apart from it, with no ByteBuddy and no logging, so the
 * agent can load them before the application's {@code main} at no cost.
 */
public final class PropagationTargets {

    private static final Set<String> NAMED = Set.of(
            "java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.ScheduledThreadPoolExecutor",
            "java.util.concurrent.ForkJoinPool", "java.util.concurrent.ForkJoinTask",
            "java.util.concurrent.ThreadPerTaskExecutor", "java.lang.VirtualThread");

    private PropagationTargets() {
    }

    /**
     * @param c a class
     * @return whether {@link PropagationWeaver} weaves it: {@code Thread} and its subclasses, and the executors
     */
    public static boolean isTarget(Class<?> c) {
        return Thread.class.isAssignableFrom(c) || NAMED.contains(c.getName());
    }

    /**
     * Loads the named classes that this JDK has, without initialising them: loaded before the weaving is built,
     * they are retransformed once it is, rather than loaded while it is being installed.
     */
    public static void preload() {
        for (String name : NAMED) {
            try {
                Class.forName(name, false, null);
            } catch (ClassNotFoundException notInThisJdk) {
                // ThreadPerTaskExecutor and VirtualThread arrived in Java 21.
            }
        }
    }
}
