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
        public long enter(long methodToken, Object[] args) {
            throw new AuditUnavailableException("the AgentMesh agent is not initialised", null);
        }

        @Override
        public void exit(long methodToken, long callSeq, long startNanos, Throwable thrown) {
        }

        @Override
        public Object enterTool(long frameworkToken, String framework, String tool, String invocationId,
                Object agentKey, java.lang.reflect.Method method, Object arguments) {
            throw new AuditUnavailableException("the AgentMesh agent is not initialised", null);
        }

        @Override
        public void exitTool(Object ticket, Throwable thrown, boolean failed) {
        }

        @Override
        public void toolFailed(Throwable cause) {
        }

        @Override
        public void toolInvocation(String invocationId) {
        }

        @Override
        public void agentEntered(String framework, String agentName, String type, Object instance) {
        }

        @Override
        public void agentExited(Object instance) {
        }

        @Override
        public Object enterDetachedTool(String framework, String tool, Object agentKey, Object arguments) {
            throw new AuditUnavailableException("the AgentMesh agent is not initialised", null);
        }

        @Override
        public Object whenToolDone(Object ticket, Object result) {
            return result;
        }

        @Override
        public void exitDetachedTool(Object ticket, Throwable thrown) {
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
     * @param methodToken the method's token, as the weaver baked it in
     * @param args its arguments
     * @return the ALLOW record's sequence number
     */
    public static long enter(long methodToken, Object[] args) {
        return governor.enter(methodToken, args);
    }

    /**
     * Woven at the start of every governed method of no parameters.
     *
     * @param methodToken the method's token, as the weaver baked it in
     * @return the ALLOW record's sequence number
     */
    public static long enter0(long methodToken) {
        return governor.enter0(methodToken);
    }

    /**
     * Woven at the start of every governed method of one parameter: no argument array per call.
     *
     * @param methodToken the method's token, as the weaver baked it in
     * @param a0 its argument
     * @return the ALLOW record's sequence number
     */
    public static long enter1(long methodToken, Object a0) {
        return governor.enter1(methodToken, a0);
    }

    /**
     * Woven at the start of every governed method of two parameters.
     *
     * @param methodToken the method's token, as the weaver baked it in
     * @param a0 its first argument
     * @param a1 its second argument
     * @return the ALLOW record's sequence number
     */
    public static long enter2(long methodToken, Object a0, Object a1) {
        return governor.enter2(methodToken, a0, a1);
    }

    /**
     * Woven at the start of every governed method of three parameters.
     *
     * @param methodToken the method's token, as the weaver baked it in
     * @param a0 its first argument
     * @param a1 its second argument
     * @param a2 its third argument
     * @return the ALLOW record's sequence number
     */
    public static long enter3(long methodToken, Object a0, Object a1, Object a2) {
        return governor.enter3(methodToken, a0, a1, a2);
    }

    /**
     * Woven at every exit of a governed method.
     *
     * @param methodToken the method's token, as the weaver baked it in
     * @param callSeq what {@link #enter} returned
     * @param startNanos when the body started
     * @param thrown what the body threw, or {@code null}
     */
    public static void exit(long methodToken, long callSeq, long startNanos, Throwable thrown) {
        governor.exit(methodToken, callSeq, startNanos, thrown);
    }

    /**
     * Woven where an agent framework calls one of its tools (LangChain4j, Spring AI, MCP); see
     * {@link Governor#enterTool}.
     *
     * @param frameworkToken the token woven into the choke point, or any value if {@code method} is {@code null}
     * @param framework the framework's short name
     * @param tool the framework's name for the tool
     * @param invocationId the framework's id for this call, or {@code null}
     * @param agentKey what in the framework's context names the agent, or {@code null}
     * @param method the Java method implementing the tool, or {@code null}
     * @param arguments the arguments as the model sent them
     * @return a ticket for {@link #exitTool}
     */
    public static Object enterTool(long frameworkToken, String framework, String tool, String invocationId,
            Object agentKey, java.lang.reflect.Method method, Object arguments) {
        return governor.enterTool(frameworkToken, framework, tool, invocationId, agentKey, method, arguments);
    }

    /**
     * Woven at every exit of a framework's tool call; see {@link Governor#exitTool}.
     *
     * @param ticket what {@link #enterTool} returned
     * @param thrown what the call threw, or {@code null}
     * @param failed whether the framework turned a failure of the tool into an error result
     */
    public static void exitTool(Object ticket, Throwable thrown, boolean failed) {
        governor.exitTool(ticket, thrown, failed);
    }

    /**
     * Woven where a framework catches what its tool threw; see {@link Governor#toolFailed}.
     *
     * @param cause what the tool threw
     */
    public static void toolFailed(Throwable cause) {
        governor.toolFailed(cause);
    }

    /**
     * Woven where a framework names a tool call before calling the tool; see {@link Governor#toolInvocation}.
     *
     * @param invocationId the framework's id for the call
     */
    public static void toolInvocation(String invocationId) {
        governor.toolInvocation(invocationId);
    }

    /** Woven where a framework's agent starts running; see {@link Governor#agentEntered}. */
    public static void agentEntered(String framework, String agentName, String type, Object instance) {
        governor.agentEntered(framework, agentName, type, instance);
    }

    /** Woven where a framework's agent stops running; see {@link Governor#agentExited}. */
    public static void agentExited(Object instance) {
        governor.agentExited(instance);
    }

    /** See {@link Governor#enterDetachedTool}. */
    public static Object enterDetachedTool(String framework, String tool, Object agentKey, Object arguments) {
        return governor.enterDetachedTool(framework, tool, agentKey, arguments);
    }

    /** See {@link Governor#whenToolDone}. */
    public static Object whenToolDone(Object ticket, Object result) {
        return governor.whenToolDone(ticket, result);
    }

    /** See {@link Governor#exitDetachedTool}. */
    public static void exitDetachedTool(Object ticket, Throwable thrown) {
        governor.exitDetachedTool(ticket, thrown);
    }
}
