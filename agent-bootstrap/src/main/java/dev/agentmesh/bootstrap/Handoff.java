package dev.agentmesh.bootstrap;

import java.util.Objects;

/**
 * Hands the agent's governor and saga hooks to the bridge classes, which keep them in {@code static final} fields
 * set while the class initialises. The bridge lives in the bootstrap loader's unnamed module, which is open to
 * everyone, so application code could {@code setAccessible} any field of it; a {@code static final} field cannot be
 * set through reflection, a {@code MethodHandle} or a {@code VarHandle} even then (only {@code sun.misc.Unsafe},
 * JNI or {@code Instrumentation} could change it).
 *
 * <p>The value waits here only between the agent's call and the bridge class's initialisation, which the same call
 * forces; at JVM start no application code runs in between.
 */
public final class Handoff {

    private static Governor governor;
    private static SagaWeaving.Hooks sagaHooks;

    private Handoff() {
    }

    /**
     * Installs the governor, once: initialises {@link Governance} with it.
     *
     * @param g the governor
     * @throws IllegalStateException if the bridge was initialised already, with another governor or none
     */
    public static synchronized void installGovernor(Governor g) {
        governor = Objects.requireNonNull(g, "governor");
        try {
            initialise(Governance.class.getName());
            if (!Governance.isInstalled(g)) {
                throw new IllegalStateException("a governor is installed already, or the bridge was initialised "
                        + "without one");
            }
        } finally {
            governor = null;
        }
    }

    /**
     * Installs the saga hooks, once: initialises {@link SagaWeaving} with them.
     *
     * @param h the hooks
     * @throws IllegalStateException if the bridge was initialised already
     */
    public static synchronized void installSagaHooks(SagaWeaving.Hooks h) {
        sagaHooks = Objects.requireNonNull(h, "hooks");
        try {
            initialise(SagaWeaving.class.getName());
            if (!SagaWeaving.isInstalled(h)) {
                throw new IllegalStateException("saga hooks are installed already, or the bridge was initialised "
                        + "without them");
            }
        } finally {
            sagaHooks = null;
        }
    }

    /** @return the governor waiting for {@link Governance}'s initialisation, taken once */
    static synchronized Governor takeGovernor() {
        Governor g = governor;
        governor = null;
        return g;
    }

    /** @return the saga hooks waiting for {@link SagaWeaving}'s initialisation, taken once */
    static synchronized SagaWeaving.Hooks takeSagaHooks() {
        SagaWeaving.Hooks h = sagaHooks;
        sagaHooks = null;
        return h;
    }

    private static void initialise(String className) {
        try {
            Class.forName(className, true, Handoff.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
