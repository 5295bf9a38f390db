package dev.agentmesh.agent.frameworks;

import dev.agentmesh.agent.audit.CallScratch;
import dev.agentmesh.agent.policy.ToolRules;
import dev.agentmesh.agent.rings.AgentIdentity;
import dev.agentmesh.agent.rings.RingGovernor;
import dev.agentmesh.agent.rings.SessionGate;
import dev.agentmesh.agent.weave.MethodRegistry;
import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.AuditUnavailableException;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Governs the calls agent frameworks make to their tools, from the choke points {@link FrameworkWeaving} weaves.
 * The acting agent is the one the framework's own context names (a LangChain4j chat memory id, a Spring AI tool
 * context entry, an MCP session), falling back to the agent in {@link AgentContext} and then the policy's default
 * agent. The decision and its record are made as for a {@code @Ring} method, with the framework, the tool and the
 * framework's id for the call on the record. While the tool runs, its agent is the agent in context, so what the
 * tool calls is governed as that agent; if the tool's method is woven itself, its own advice lets this one call
 * through rather than record it twice.
 */
public final class FrameworkCalls {

    /** The longest invocation id a record carries, in UTF-8 bytes. */
    static final int MAX_INVOCATION_ID_BYTES = 256;

    /** The key of a framework context map (Spring AI's {@code ToolContext}) that names the acting agent. */
    public static final String AGENT_ID_KEY = "agentmesh.agentId";
    /** The fallback key: Spring AI's {@code ChatMemory.CONVERSATION_ID}, where an application put it in the map. */
    public static final String CONVERSATION_ID_KEY = "chat_memory_conversation_id";

    /** The framework name LangChain4j's advice uses; it hands over the call's {@code InvocationContext}. */
    static final String LANGCHAIN4J = "langchain4j";
    /** Past this many framework agents tracked on one thread (ends never reported), the oldest half goes. */
    static final int MAX_NESTED_AGENTS = 64;
    /** The framework name Spring AI's advice uses. */
    static final String SPRING_AI = "spring-ai";
    /** The framework name the MCP wrapper uses. */
    static final String MCP = "mcp";

    private static final Logger LOG = LoggerFactory.getLogger(FrameworkCalls.class);
    private static final byte[] NONE = new byte[0];
    /** Outcome of a tool its framework reported as failed without our seeing what it threw. */
    private static final byte[] UNKNOWN_FAILURE = dev.agentmesh.audit.format.Utf8.encode("java.lang.Throwable");

    private final RingGovernor governor;
    private final FrameworkToolDirectory tools;

    /**
     * @param governor decides and records the calls
     * @param rules the policy's {@code tools:} section
     * @param methods the woven methods, so a woven tool is not recorded twice
     */
    public FrameworkCalls(RingGovernor governor, ToolRules rules, MethodRegistry methods) {
        this.governor = governor;
        this.tools = new FrameworkToolDirectory(rules, methods);
    }

    /**
     * Decides and records a framework's tool call; see {@link dev.agentmesh.bootstrap.Governor#enterTool}.
     *
     * @return the ticket for {@link #exit}
     */
    public Object enter(String framework, String tool, String invocationId, Object agentKey, Method method,
            Object arguments) {
        CallScratch scratch = CallScratch.get();
        Admission admitted = admit(framework, tool, invocationId, agentKey, method, arguments, scratch);
        String agentId = admitted.agentId;
        AgentContext.Scope scope = null;
        try {
            scope = agentId != null && !agentId.equals(AgentContext.currentAgent().orElse(null))
                    ? AgentContext.enter(agentId) : null;
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            // Admitted and on the trail, but the tool cannot run as its agent: it does not run at all.
            governor.completeNamed(admitted.session, admitted.seq, System.nanoTime(),
                    RingGovernor.classNameUtf8(e.getClass()));
            LOG.error("could not make {} the agent in context for a {} tool call; denying it", agentId, framework, e);
            throw new AuditUnavailableException("AgentMesh could not govern this call: " + e, e);
        }
        int outer = scratch.preAdmitted;
        scratch.preAdmitted = admitted.wovenMethodId;
        return new AdmittedToolCall(admitted.seq, admitted.session, scope, outer, System.nanoTime());
    }

    /**
     * Decides and records a call of a tool whose result comes later, on another thread (an MCP tool with a
     * {@code Mono} handler): nothing is bound to the calling thread, and the outcome is recorded by {@link #whenDone}
     * or {@link #exitDetached}, exactly once.
     *
     * @return the ticket
     */
    public Object enterDetached(String framework, String tool, Object agentKey, Object arguments) {
        CallScratch scratch = CallScratch.get();
        Admission admitted = admit(framework, tool, null, agentKey, null, arguments, scratch);
        scratch.inFlight.exit(); // no thread runs it that a kill could interrupt
        return new DetachedToolCall(admitted.seq, admitted.session, System.nanoTime());
    }

    /**
     * @param ticket what {@link #enterDetached} returned
     * @param result what the handler returned: a {@code Mono}, whose end records the outcome
     * @return {@code result}, made to record its outcome when it ends; or {@code result} itself, its outcome
     *     recorded now, if it is not a publisher this knows
     */
    public Object whenDone(Object ticket, Object result) {
        if (!(ticket instanceof DetachedToolCall call)) {
            return result;
        }
        Object decorated = null;
        try {
            decorated = ReactiveResults.whenDone(result, thrown -> exitDetached(call, thrown));
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("cannot follow the result of an asynchronous tool; its outcome is recorded as it was returned",
                    e);
        }
        if (decorated == null) {
            exitDetached(call, null);
            return result;
        }
        return decorated;
    }

    /** Records how a detached call ended, once; later calls for the same ticket do nothing. */
    public void exitDetached(Object ticket, Throwable thrown) {
        if (ticket instanceof DetachedToolCall call && call.end()) {
            governor.completeDetached(call.session, call.seq, call.startNanos,
                    thrown == null ? null : RingGovernor.classNameUtf8(thrown.getClass()));
        }
    }

    /** A decided and recorded framework tool call. */
    private record Admission(long seq, SessionGate session, String agentId, int wovenMethodId) {
    }

    private Admission admit(String framework, String tool, String invocationId, Object agentKey, Method method,
            Object arguments, CallScratch scratch) {
        FrameworkTool resolved;
        String agentId;
        AgentIdentity agent;
        SessionGate session;
        byte[] invocation;
        try {
            resolved = tools.resolve(framework, tool == null ? "" : tool, method);
            if (LANGCHAIN4J.equals(framework)) {
                String running = runningAgent(scratch, LangChain4jContexts.serviceName(agentKey));
                agentKey = running != null ? running : LangChain4jContexts.agentKey(agentKey, method);
            } else if (MCP.equals(framework)) {
                // The MCP wrapper hands over the SDK's own objects: the exchange (or context) and the request.
                invocationId = McpContexts.invocationId(agentKey, arguments);
                agentKey = McpContexts.agentId(agentKey);
            }
            agentId = agentKey == null ? null : agentId(framework, agentKey);
            agent = agentId == null ? governor.currentIdentity() : governor.identity(agentId);
            session = RingGovernor.boundSession();
            // Spring AI names a call before its choke point sees it; no other framework's call may take that name.
            String id = invocationId != null || !SPRING_AI.equals(framework) ? invocationId
                    : scratch.pendingInvocationId;
            scratch.pendingInvocationId = null;
            invocation = id == null ? NONE : Utf8Caps.encode(id, MAX_INVOCATION_ID_BYTES);
        } catch (IllegalArgumentException e) {
            throw new AuditUnavailableException("AgentMesh cannot govern " + framework + " tool " + tool + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            LOG.error("internal error while governing a {} tool call; denying it", framework, e);
            throw new AuditUnavailableException("AgentMesh could not govern this call: " + e, e);
        }
        scratch.toolFailure = null;
        long seq = governor.admitTool(agent, session, resolved.requiredRing, resolved.classUtf8,
                resolved.methodUtf8, resolved.descriptorUtf8, resolved.displayName, new Object[] {arguments},
                resolved.frameworkUtf8, resolved.toolUtf8, invocation);
        return new Admission(seq, session, agentId, resolved.wovenMethodId);
    }

    /** Records how a framework's tool call ended; see {@link dev.agentmesh.bootstrap.Governor#exitTool}. */
    public void exit(Object ticket, Throwable thrown, boolean failed) {
        if (!(ticket instanceof AdmittedToolCall call)) {
            return;
        }
        byte[] outcome = failed ? UNKNOWN_FAILURE : null;
        try {
            CallScratch scratch = CallScratch.get();
            scratch.preAdmitted = call.outerPreAdmitted;
            scratch.pendingInvocationId = null;
            // What the tool itself threw, when the framework noted it, rather than the wrapper the framework threw
            // or the error result it made of it.
            Throwable cause = thrown == null && !failed ? null
                    : scratch.toolFailure != null ? scratch.toolFailure : thrown;
            scratch.toolFailure = null;
            outcome = cause != null ? RingGovernor.classNameUtf8(cause.getClass()) : outcome;
        } catch (Throwable e) {
            LOG.error("could not restore the thread after a tool call", e);
        } finally {
            closeScope(call);
        }
        governor.completeNamed(call.session, call.seq, call.startNanos, outcome);
    }

    private static void closeScope(AdmittedToolCall call) {
        try {
            if (call.scope != null) {
                call.scope.close();
            }
        } catch (Throwable e) {
            LOG.error("could not restore the agent context after a tool call as {}", call.scope.agentId(), e);
        }
    }

    /** Notes what a tool threw before its framework caught it; see {@link dev.agentmesh.bootstrap.Governor}. */
    public void failed(Throwable cause) {
        try {
            CallScratch.get().toolFailure = cause;
        } catch (Throwable ignored) {
            // the outcome then names no class; the call's record is unaffected
        }
    }

    /** Notes the framework's id for the next tool call on this thread; see the bridge's {@code toolInvocation}. */
    public void named(String invocationId) {
        try {
            CallScratch.get().pendingInvocationId = invocationId;
        } catch (Throwable ignored) {
            // the call's record then carries no invocation id
        }
    }

    /**
     * Notes that a framework's agent runs on this thread; see the bridge's {@code agentEntered}. A framework may
     * fail to say that an agent ended (an agent that returns nothing, an {@code Error}), so an entry can go stale:
     * {@link #runningAgent} only trusts the innermost entry of the calling service's type, which is the newest, and
     * drops the stale ones above it; past {@value #MAX_NESTED_AGENTS} entries the oldest half goes.
     */
    public void agentEntered(String framework, String agentName, String type, Object instance) {
        try {
            java.util.List<Object> running = CallScratch.get().frameworkAgents;
            if (running.size() >= 3 * MAX_NESTED_AGENTS) {
                running.subList(0, 3 * (MAX_NESTED_AGENTS / 2)).clear();
            }
            running.add(instance);
            running.add(type);
            running.add(agentName == null ? null : dev.agentmesh.api.Ids.toId(agentName));
        } catch (Throwable e) {
            LOG.warn("could not note {} agent {}; its tool calls fall back to the chat memory id", framework,
                    agentName, e);
        }
    }

    /** Notes that a framework's agent stopped on this thread, with any it left open. */
    public void agentExited(Object instance) {
        try {
            java.util.List<Object> running = CallScratch.get().frameworkAgents;
            for (int i = running.size() - 3; i >= 0; i -= 3) {
                if (running.get(i) == instance) {
                    running.subList(i, running.size()).clear();
                    return;
                }
            }
        } catch (Throwable ignored) {
            // nothing was noted for it
        }
    }

    /**
     * @param service the binary name of the service the tool call comes from, or {@code null}
     * @return the innermost framework agent of that type running on this thread, or {@code null}
     */
    private static String runningAgent(CallScratch scratch, String service) {
        java.util.List<Object> running = scratch.frameworkAgents;
        if (service == null) {
            return null;
        }
        for (int i = running.size() - 3; i >= 0; i -= 3) {
            if (service.equals(running.get(i + 1))) {
                // Agents above it on the stack ended without saying so: this one is calling.
                String agent = (String) running.get(i + 2);
                running.subList(i + 3, running.size()).clear();
                return agent;
            }
        }
        return null;
    }

    /**
     * @return the agent id the framework's context names
     *     (characters an agent id may not hold made {@code _}), or {@code null} if it names none
     */
    private static String agentId(String framework, Object agentKey) {
        Object key = agentKey;
        if (key instanceof java.util.Map<?, ?> context) {
            // A framework's context map (Spring AI's ToolContext): the documented key, else the conversation id.
            key = context.get(AGENT_ID_KEY);
            if (key == null) {
                key = context.get(CONVERSATION_ID_KEY);
            }
            if (key == null) {
                return null;
            }
        }
        // Characters an agent id may not hold become '_' (as in an e-mail address used as a memory id), so a
        // record can never carry a control character or a forged separator; a blank id names no agent.
        String raw = String.valueOf(key);
        return raw.isBlank() ? null : dev.agentmesh.api.Ids.toId(raw);
    }
}
