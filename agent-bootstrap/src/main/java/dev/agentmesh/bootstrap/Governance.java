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

    private static volatile Governor governor = NOT_READY;

    private Governance() {
    }

    /**
     * Installs the governor. Called once by the agent, before any class is woven.
     *
     * @param g the governor
     * @throws IllegalStateException if one is installed already
     */
    public static synchronized void install(Governor g) {
        if (g == null) {
            throw new NullPointerException("governor");
        }
        if (governor != NOT_READY) {
            throw new IllegalStateException("a governor is installed already");
        }
        governor = g;
    }

    /** @return whether the agent has installed its governor */
    public static boolean isInstalled() {
        return governor != NOT_READY;
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
