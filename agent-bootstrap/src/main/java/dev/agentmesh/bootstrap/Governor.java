package dev.agentmesh.bootstrap;

/**
 * What woven code calls, implemented inside the agent's isolated class loader. Lives on the bootstrap class path
 * so that a method in any class loader can reach it.
 *
 * <p>Contract: {@link #enter} either returns, with the call allowed and its ALLOW record written, or throws a
 * {@link SecurityException} (a denial or an audit failure), which the woven method lets propagate.
 * {@link #exit} never throws.
 *
 * <p>Woven code names its method by a token: the method's id sealed with a secret the weaver draws per JVM and bakes
 * into woven code only. The bridge is public, so any code can call it; a token it did not get from the weaver is
 * refused with a {@link SecurityException}, so no code can record a call of a method it did not run.
 */
public interface Governor {

    /**
     * Decides and records a governed call, before its body runs.
     *
     * @param methodToken the token the weaver gave the method
     * @param args the argument values, or {@code null}
     * @return the sequence number of the ALLOW record, for {@link #exit}
     * @throws SecurityException if the call is denied or cannot be audited, or the token is not one the weaver gave
     */
    long enter(long methodToken, Object[] args);

    /**
     * {@link #enter} for a method of no parameters.
     *
     * @param methodToken the token the weaver gave the method
     * @return the sequence number of the ALLOW record, for {@link #exit}
     * @throws SecurityException if the call is denied or cannot be audited
     */
    default long enter0(long methodToken) {
        return enter(methodToken, null);
    }

    /**
     * {@link #enter} for a method of one parameter, passed on its own so that no array is allocated per call.
     *
     * @param methodToken the token the weaver gave the method
     * @param a0 the argument, boxed if primitive
     * @return the sequence number of the ALLOW record, for {@link #exit}
     * @throws SecurityException if the call is denied or cannot be audited
     */
    default long enter1(long methodToken, Object a0) {
        return enter(methodToken, new Object[] {a0});
    }

    /**
     * {@link #enter} for a method of two parameters; see {@link #enter1}.
     *
     * @param methodToken the token the weaver gave the method
     * @param a0 the first argument
     * @param a1 the second argument
     * @return the sequence number of the ALLOW record, for {@link #exit}
     * @throws SecurityException if the call is denied or cannot be audited
     */
    default long enter2(long methodToken, Object a0, Object a1) {
        return enter(methodToken, new Object[] {a0, a1});
    }

    /**
     * {@link #enter} for a method of three parameters; see {@link #enter1}.
     *
     * @param methodToken the token the weaver gave the method
     * @param a0 the first argument
     * @param a1 the second argument
     * @param a2 the third argument
     * @return the sequence number of the ALLOW record, for {@link #exit}
     * @throws SecurityException if the call is denied or cannot be audited
     */
    default long enter3(long methodToken, Object a0, Object a1, Object a2) {
        return enter(methodToken, new Object[] {a0, a1, a2});
    }

    /**
     * Records the outcome of an allowed call.
     *
     * @param methodToken the token the weaver gave the method
     * @param callSeq what {@link #enter} returned
     * @param startNanos {@link System#nanoTime()} when the body started
     * @param thrown what the body threw, or {@code null}
     */
    void exit(long methodToken, long callSeq, long startNanos, Throwable thrown);

    /**
     * Decides and records a call an agent framework makes to one of its tools, before the tool runs. The acting agent
     * is the one the framework's own context names ({@code agentKey}), not the one in {@code AgentContext}; it stays
     * the agent in context while the tool runs, so what the tool itself calls is governed as that agent too.
     *
     * @param frameworkToken the token the weaver bakes into the frameworks' choke points; needed only to name a
     *     {@code method}, since a call naming none records no more than any code can make the framework do
     * @param framework the framework's short name, a constant: {@code langchain4j}, {@code spring-ai}, {@code mcp}
     * @param tool the framework's name for the tool
     * @param invocationId the framework's id for this call, or {@code null}
     * @param agentKey what in the framework's context names the agent (a chat memory id, a tool context, an MCP
     *     exchange), or {@code null}
     * @param method the Java method that implements the tool, or {@code null} if there is none (a lambda handler)
     * @param arguments the arguments as the model sent them, for the digest
     * @return a ticket for {@link #exitTool}
     * @throws SecurityException if the call is denied or cannot be audited, or it names a method without the
     *     weaver's token
     */
    Object enterTool(long frameworkToken, String framework, String tool, String invocationId, Object agentKey,
            java.lang.reflect.Method method, Object arguments);

    /**
     * Records how a framework tool call ended. Never throws.
     *
     * @param ticket what {@link #enterTool} returned
     * @param thrown what the call threw, or {@code null}
     * @param failed whether the framework reported the tool as failed without throwing (it caught the tool's
     *     exception and turned it into an error result for the model)
     */
    void exitTool(Object ticket, Throwable thrown, boolean failed);

    /**
     * Notes what a framework tool threw before the framework turned it into an error result, so the outcome record
     * can name it. Never throws.
     *
     * @param cause what the tool threw
     */
    void toolFailed(Throwable cause);

    /**
     * Notes the framework's id for the tool call about to be made on this thread, where the framework knows it
     * before the choke point does (Spring AI), so the next {@link #enterTool} on this thread that has none records
     * it. Never throws.
     *
     * @param invocationId the framework's id for the call
     */
    void toolInvocation(String invocationId);

    /**
     * A framework's agent starts running on this thread (a {@code langchain4j-agentic} agent): until
     * {@link #agentExited}, that framework's tool calls on this thread are made as it. Agents nest. Never throws.
     *
     * @param framework the framework's short name
     * @param agentName the agent's name
     * @param type the binary name of the agent's type, as the framework's tool calls name the service they come
     *     from: a tool call is attributed to the innermost running agent of its service's type
     * @param instance what identifies this run of it, for {@link #agentExited}
     */
    void agentEntered(String framework, String agentName, String type, Object instance);

    /**
     * The run {@code instance} of a framework's agent ended on this thread, with any runs it left open. Never throws.
     *
     * @param instance what {@link #agentEntered} was given
     */
    void agentExited(Object instance);

    /**
     * {@link #enterTool} for a tool whose result comes later, on another thread (an MCP tool with a {@code Mono}
     * handler): decided and recorded now, nothing bound to this thread; the outcome is recorded by
     * {@link #whenToolDone} or {@link #exitDetachedTool}, once.
     *
     * @param framework the framework's short name
     * @param tool the tool's name
     * @param agentKey what in the framework's context names the agent, or {@code null}
     * @param arguments the request, for the digest
     * @return a ticket
     * @throws SecurityException if the call is denied or cannot be audited
     */
    Object enterDetachedTool(String framework, String tool, Object agentKey, Object arguments);

    /**
     * @param ticket what {@link #enterDetachedTool} returned
     * @param result what the tool's handler returned
     * @return {@code result}, made to record the call's outcome when it ends. Never throws.
     */
    Object whenToolDone(Object ticket, Object result);

    /**
     * Records how a detached tool call ended, if nothing has yet. Never throws.
     *
     * @param ticket what {@link #enterDetachedTool} returned
     * @param thrown what it failed with, or {@code null}
     */
    void exitDetachedTool(Object ticket, Throwable thrown);
}
