package dev.agentmesh.bootstrap;

import dev.agentmesh.api.AuditUnavailableException;

/**
 * The static bridge woven into every governed method. Its methods are tiny so the JIT inlines them into the
 * governed method, leaving one interface call to the installed {@link Governor}.
 */
public final class Governance {

    /** Denies everything until the agent has installed the real governor: never run ungoverned. */
    private static final Governor NOT_READY = new Governor() {
        @Override
        public long enter(int methodId, Object[] args) {
            throw new AuditUnavailableException("the AgentMesh agent is not initialised", null);
        }

        @Override
        public void exit(int methodId, long callSeq, long startNanos, Throwable thrown) {
        }
    };

    /**
     * Set once, as the class initialises, from {@link Handoff#installGovernor}: {@code final}, so not even code that
     * {@code setAccessible}s it can replace it. {@link #NOT_READY} if the class was initialised without one.
     */
    private static final Governor governor;

    static {
        Governor g = Handoff.takeGovernor();
        governor = g == null ? NOT_READY : g;
    }

    private Governance() {
    }

    /** @return whether the agent has installed its governor */
    public static boolean isInstalled() {
        return governor != NOT_READY;
    }

    /** @return whether {@code g} is the governor installed */
    static boolean isInstalled(Governor g) {
        return governor == g;
    }

    /**
     * Woven at the start of every governed method.
     *
     * @param methodId the method's id
     * @param args its arguments
     * @return the ALLOW record's sequence number
     */
    public static long enter(int methodId, Object[] args) {
        return governor.enter(methodId, args);
    }

    /**
     * Woven at every exit of a governed method.
     *
     * @param methodId the method's id
     * @param callSeq what {@link #enter} returned
     * @param startNanos when the body started
     * @param thrown what the body threw, or {@code null}
     */
    public static void exit(int methodId, long callSeq, long startNanos, Throwable thrown) {
        governor.exit(methodId, callSeq, startNanos, thrown);
    }
}
