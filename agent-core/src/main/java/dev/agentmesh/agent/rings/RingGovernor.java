package dev.agentmesh.agent.rings;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.CallScratch;
import dev.agentmesh.agent.frameworks.FrameworkCalls;
import dev.agentmesh.agent.killswitch.KillSwitch;
import dev.agentmesh.api.AgentKilledError;
import dev.agentmesh.api.RateLimitExceededException;
import dev.agentmesh.agent.liability.Liability;
import dev.agentmesh.agent.liability.Quarantines;
import dev.agentmesh.api.AgentQuarantinedException;
import dev.agentmesh.api.QuarantineMode;
import dev.agentmesh.api.QuarantineRecord;
import dev.agentmesh.api.Elevation;
import dev.agentmesh.api.KillRecord;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.weave.GovernedMethod;
import dev.agentmesh.agent.weave.MethodRegistry;
import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.AuditUnavailableException;
import dev.agentmesh.api.RingViolationException;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionClosedException;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.Utf8;
import dev.agentmesh.bootstrap.Governor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides governed calls by ring and records them write-ahead: the ALLOW or DENY record is on the trail before
 * the body runs or the denial is thrown. Fails closed: if the call cannot be recorded, or the agent itself fails,
 * the call is denied with {@link AuditUnavailableException}.
 */
public final class RingGovernor implements Governor {

    private static final Logger LOG = LoggerFactory.getLogger(RingGovernor.class);
    private static final byte[] NO_SESSION = new byte[0];
    private static final byte[] NOTHING_THROWN = new byte[0];
    private static final byte[] NONE = new byte[0];
    /** What {@link #enter} returns for a call a framework's tool call already admitted: its exit records nothing. */
    private static final long PRE_ADMITTED = Long.MIN_VALUE;
    /**
     * @param type a throwable's class
     * @return its binary name in UTF-8, encoded once per class; do not modify
     */
    public static byte[] classNameUtf8(Class<?> type) {
        return CLASS_NAMES.get(type);
    }

    /** Exception class names encoded once per class. */
    private static final ClassValue<byte[]> CLASS_NAMES = new ClassValue<>() {
        @Override
        protected byte[] computeValue(Class<?> type) {
            return Utf8.encode(type.getName());
        }
    };

    private final AgentDirectory agents;
    private final Policy policy;
    private final MethodRegistry methods;
    private final AuditTrail trail;
    private final boolean denyStackTrace;
    private final AtomicLong lostOutcomes = new AtomicLong();
    private final AtomicLong forgedCalls = new AtomicLong();
    private final KillSwitch killSwitch;
    private final Quarantines quarantines;
    private final Elevations elevations;
    private final Liability liability;
    private final FrameworkCalls frameworkCalls;
    /** Delegation chains encoded once each; bounded like the agent directory. */
    private final java.util.concurrent.ConcurrentHashMap<java.util.List<String>, byte[]> chains =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param policy who holds which ring
     * @param methods the woven methods
     * @param trail where calls are recorded
     * @param denyStackTrace whether denials carry stack traces
     */
    public RingGovernor(Policy policy, MethodRegistry methods, AuditTrail trail, boolean denyStackTrace) {
        this.policy = policy;
        this.methods = methods;
        this.trail = trail;
        this.denyStackTrace = denyStackTrace;
        this.killSwitch = new KillSwitch(trail);
        this.quarantines = new Quarantines(trail);
        this.elevations = new Elevations(trail);
        this.liability = new Liability(policy, trail, killSwitch, quarantines);
        this.agents = new AgentDirectory(policy, liability.ledger().orElse(null));
        this.frameworkCalls = new FrameworkCalls(this, policy.tools(), methods);
    }

    /** @return joint liability and breach response, as the policy sets them */
    public Liability liability() {
        return liability;
    }

    /** @return the elevations every call this governor decides is checked against */
    public Elevations elevations() {
        return elevations;
    }

    /** @return the policy */
    public Policy policy() {
        return policy;
    }

    /** @return the quarantines every call this governor decides is checked against */
    public Quarantines quarantines() {
        return quarantines;
    }

    /** @return the kill switch every call this governor decides is checked against */
    public KillSwitch killSwitch() {
        return killSwitch;
    }

    /** @return a new limiter for one session, or {@code null} if the policy limits no session */
    public RateLimiter newSessionLimiter() {
        return policy.sessionLimit().map(RateLimiter::new).orElse(null);
    }

    /** @return the id of the agent calls with no agent in context are made as */
    public String defaultAgent() {
        return agents.defaultAgent().id;
    }

    /** @return the agents the policy names and those that have acted, sorted by id */
    public java.util.List<AgentIdentity> knownAgents() {
        return agents.known();
    }

    @Override
    public long enter(long methodToken, Object[] args) {
        return enter(methodToken, args, CallScratch.get());
    }

    @Override
    public long enter0(long methodToken) {
        return enter(methodToken, null, CallScratch.get());
    }

    @Override
    public long enter1(long methodToken, Object a0) {
        CallScratch scratch = CallScratch.get();
        Object[] args = scratch.borrowArguments(1);
        args[0] = a0;
        return enterBorrowed(methodToken, args, scratch);
    }

    @Override
    public long enter2(long methodToken, Object a0, Object a1) {
        CallScratch scratch = CallScratch.get();
        Object[] args = scratch.borrowArguments(2);
        args[0] = a0;
        args[1] = a1;
        return enterBorrowed(methodToken, args, scratch);
    }

    @Override
    public long enter3(long methodToken, Object a0, Object a1, Object a2) {
        CallScratch scratch = CallScratch.get();
        Object[] args = scratch.borrowArguments(3);
        args[0] = a0;
        args[1] = a1;
        args[2] = a2;
        return enterBorrowed(methodToken, args, scratch);
    }

    /** {@link #enter} with arguments in an array borrowed from {@code scratch}, given back however it ends. */
    private long enterBorrowed(long methodToken, Object[] args, CallScratch scratch) {
        try {
            return enter(methodToken, args, scratch);
        } finally {
            scratch.giveBack(args);
        }
    }

    private long enter(long methodToken, Object[] args, CallScratch scratch) {
        int methodId = methods.idOf(methodToken);
        if (methodId < 0) {
            throw forged("method token " + methodToken);
        }
        if (scratch.preAdmitted == methodId) {
            // The framework that called this tool decided and recorded the call already, as its agent.
            scratch.preAdmitted = -1;
            return PRE_ADMITTED;
        }
        GovernedMethod method;
        int requiredRing;
        AgentIdentity agent;
        SessionGate session;
        try {
            method = methods.get(methodId);
            requiredRing = method.requiredRing();
            agent = agents.current();
            session = boundSession();
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            LOG.error("internal error while governing a call; denying it", e);
            throw new AuditUnavailableException("AgentMesh could not govern this call: " + e, e);
        }
        return admit(agent, session, requiredRing, method.classNameUtf8(), method.methodNameUtf8(),
                method.descriptorUtf8(), method.displayName(), args, false, NONE, NONE, NONE, scratch);
    }

    /**
     * The bridge is public, since woven code in every module calls it: a call presenting a token the weaver never
     * baked in comes from code calling the bridge itself, to record a call that does not run. Nothing is recorded.
     */
    private SecurityException forged(String what) {
        if (forgedCalls.getAndIncrement() == 0) {
            LOG.warn("refused a call of the governance bridge with a {} no woven code holds; further refusals are "
                    + "not logged", what);
        }
        return new SecurityException(what + " was not woven by AgentMesh: only a governed call records itself");
    }

    /** @return the agent acting on this thread, or the policy's default agent if none is in context */
    public AgentIdentity currentIdentity() {
        return agents.current();
    }

    /**
     * @param agentId an agent id
     * @return that agent, with its ring from the policy
     */
    public AgentIdentity identity(String agentId) {
        return agents.of(agentId);
    }

    /**
     * Decides one governed call and records the decision before anything else happens: the body runs only if this
     * returns. What {@code @Ring} methods and session actions share.
     *
     * @param agent the acting agent
     * @param session the session the call is bound to, or {@code null}
     * @param requiredRing the ring the call requires
     * @param classUtf8 what the record names as the class (for session actions, the action type)
     * @param methodUtf8 … as the method (the action name)
     * @param descriptorUtf8 … as the descriptor (empty for session actions)
     * @param displayName how a denial names the call
     * @param args the arguments to digest, or an empty array
     * @return the ALLOW record's seq, for {@link #complete}
     * @throws RingViolationException if the agent's ring is not privileged enough
     * @throws AgentKilledError if a kill stops the agent, its session or everything
     * @throws RateLimitExceededException if the call would exceed the agent's or the session's rate limit
     * @throws SessionClosedException if the session takes no calls
     * @throws AuditUnavailableException if the decision cannot be recorded
     */
    public long admit(AgentIdentity agent, SessionGate session, int requiredRing, byte[] classUtf8, byte[] methodUtf8,
            byte[] descriptorUtf8, String displayName, Object[] args) {
        return admit(agent, session, requiredRing, classUtf8, methodUtf8, descriptorUtf8, displayName, args, false,
                NONE, NONE, NONE, CallScratch.get());
    }

    /**
     * {@link #admit} for a call an agent framework makes to one of its tools: the record also names the framework,
     * the tool and the framework's id for the call.
     *
     * @param agent the acting agent
     * @param session the session the call is bound to, or {@code null}
     * @param requiredRing the ring the tool requires
     * @param classUtf8 the class implementing the tool, or the framework's name for a tool with no method
     * @param methodUtf8 the method implementing it, or the tool's name
     * @param descriptorUtf8 the method's descriptor, or empty
     * @param displayName how a denial names the call
     * @param args the arguments to digest
     * @param frameworkUtf8 the framework's short name
     * @param toolUtf8 the framework's name for the tool
     * @param invocationIdUtf8 the framework's id for the call, or empty
     * @return the ALLOW record's seq, for {@link #complete}
     */
    public long admitTool(AgentIdentity agent, SessionGate session, int requiredRing, byte[] classUtf8,
            byte[] methodUtf8, byte[] descriptorUtf8, String displayName, Object[] args, byte[] frameworkUtf8,
            byte[] toolUtf8, byte[] invocationIdUtf8) {
        return admit(agent, session, requiredRing, classUtf8, methodUtf8, descriptorUtf8, displayName, args, false,
                frameworkUtf8, toolUtf8, invocationIdUtf8, CallScratch.get());
    }

    /**
     * {@link #admit} for an operator's action (kill, revive): only a kill of the operator agent itself stops it, so
     * a ring-0 operator can still revive after everything, or its own session, was killed.
     *
     * @param agent the operator agent
     * @param requiredRing the ring the action requires
     * @param methodUtf8 the action's name
     * @param displayName how a denial names it
     * @param args the arguments to digest
     * @return the ALLOW record's seq
     */
    public long admitOperator(AgentIdentity agent, int requiredRing, byte[] classUtf8, byte[] methodUtf8,
            String displayName, Object[] args) {
        return admit(agent, null, requiredRing, classUtf8, methodUtf8, NONE, displayName, args, true, NONE, NONE, NONE,
                CallScratch.get());
    }

    private long admit(AgentIdentity agent, SessionGate session, int requiredRing, byte[] classUtf8,
            byte[] methodUtf8, byte[] descriptorUtf8, String displayName, Object[] args, boolean operator,
            byte[] frameworkUtf8, byte[] toolUtf8, byte[] invocationIdUtf8, CallScratch scratch) {
        String refusal;
        KillRecord kill;
        RateLimiter limited = null;
        QuarantineRecord quarantined;
        int ring;
        boolean allowed;
        String answerable;
        long seq;
        try {
            // Read once: whom the call acts for decides its ring and goes on its record.
            String current = ThreadContext.agentId();
            java.util.List<String> chain = AgentContext.onBehalfOf();
            refusal = session == null ? null : session.refusal();
            kill = operator ? killSwitch.agentKill(agent.id)
                    : killSwitch.refusal(agent.id, session == null ? null : session.id());
            quarantined = quarantines.active(agent.id);
            boolean blocked = quarantined != null && quarantined.mode() == QuarantineMode.BLOCK;
            // A quarantine outranks an elevation: a demoted agent acts as ring 3 whatever it was granted.
            Elevation elevation = quarantined == null ? elevations.active(agent.id) : null;
            ring = quarantined != null && quarantined.mode() == QuarantineMode.DEMOTE ? Policy.MAX_RING
                    : elevation != null ? Math.min(agent.ring(), elevation.ring()) : agent.ring();
            // A delegate never holds a better ring than the agents it acts for: entering "root" inside a ring-3
            // agent's scope (or a session it runs) gains nothing.
            int ownRing = ring;
            ring = Math.max(ring, principalsRing(agent.id, current, chain, scratch));
            // Denied only for the ring of an agent it acts for: that agent answers for the attempt, not the delegate.
            answerable = ownRing <= requiredRing && ring > requiredRing ? scratch.worstPrincipal : agent.id;
            allowed = refusal == null && kill == null && !blocked && ring <= requiredRing;
            if (allowed && !operator) {
                // Only a call that would run takes a token: a refused call costs the agent nothing.
                if (agent.limiter != null && !agent.limiter.tryAcquire()) {
                    allowed = false;
                    limited = agent.limiter;
                } else if (session != null && session.limiter() != null && !session.limiter().tryAcquire()) {
                    allowed = false;
                    limited = session.limiter();
                }
            }
            if (allowed && elevation != null && agent.ring() > requiredRing) {
                elevations.used(elevation, displayName); // audited at use, before the call's own record
            }
            scratch.argumentDigest.digest(args, scratch.argsDigest);
            // Seq and time are 0 here: the trail stamps both when the record takes its place in the chain.
            RecordEncoder record = scratch.encoder.decision(
                    allowed ? RecordType.CALL_ALLOWED : RecordType.CALL_DENIED, 0, 0,
                    ring, requiredRing, agent.idUtf8, session == null ? NO_SESSION : session.idUtf8(),
                    classUtf8, methodUtf8, descriptorUtf8, scratch.argsDigest, onBehalfOf(agent.id, current, chain),
                    liability.vouchedByUtf8(agent.id), frameworkUtf8, toolUtf8, invocationIdUtf8);
            seq = trail.append(record);
        } catch (AuditUnavailableException e) {
            throw e;
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            // A fault of the agent's own: log it, and do not let the call run unrecorded.
            LOG.error("internal error while governing a call; denying it", e);
            throw new AuditUnavailableException("AgentMesh could not govern this call: " + e, e);
        }
        if (kill != null) {
            throw new AgentKilledError(agent.id, kill.target(), kill.reason(), kill.operatorId());
        }
        if (refusal != null) {
            throw new SessionClosedException(session.id(), refusal);
        }
        if (!allowed) {
            // The agent's own conduct: slashes and breach scores follow, after the DENY is on the record.
            boolean blocked = quarantined != null && quarantined.mode() == QuarantineMode.BLOCK;
            liability.denied(answerable, blocked ? Liability.Denial.BLOCKED : limited != null
                    ? Liability.Denial.RATE_LIMITED : Liability.Denial.RING_VIOLATION, displayName, requiredRing);
        }
        if (quarantined != null && quarantined.mode() == QuarantineMode.BLOCK) {
            throw new AgentQuarantinedException(quarantined);
        }
        if (limited != null) {
            throw new RateLimitExceededException(agent.id, limited == agent.limiter ? "agent " + agent.id
                    : "session " + session.id(), limited.limit().toString(), displayName);
        }
        if (!allowed) {
            throw new RingViolationException(agent.id, ring, displayName, requiredRing, denyStackTrace);
        }
        scratch.inFlight.enter(agent.id, session == null ? null : session.id(), seq);
        return seq;
    }

    /**
     * The worst ring among the agents {@code agentId} acts on behalf of (the agent in context, when the call is made
     * for another agent, and its delegation chain), or -1 when it acts for itself; the agent holding it goes to
     * {@code scratch.worstPrincipal}. Allocation-free.
     */
    private int principalsRing(String agentId, String current, java.util.List<String> chain, CallScratch scratch) {
        int worst = -1;
        scratch.worstPrincipal = null;
        if (current != null && !current.equals(agentId)) {
            worst = agents.of(current).ring();
            scratch.worstPrincipal = current;
        }
        for (int i = 0; i < chain.size(); i++) {
            int ring = agents.of(chain.get(i)).ring();
            if (ring > worst) {
                worst = ring;
                scratch.worstPrincipal = chain.get(i);
            }
        }
        return worst;
    }

    /**
     * The chain of agents {@code agentId} acts on behalf of, as its record carries it. The agent in context and its
     * chain; for an action taken for another agent (a session's {@code execute}), the agent in context heads the
     * chain. Allocation-free once a chain has been seen.
     */
    private byte[] onBehalfOf(String agentId, String current, java.util.List<String> chain) {
        if (current != null && !current.equals(agentId)) {
            java.util.List<String> longer = new java.util.ArrayList<>(chain.size() + 1);
            longer.add(current);
            longer.addAll(chain);
            chain = longer;
        }
        if (chain.isEmpty()) {
            return NO_SESSION;
        }
        liability.delegated(chain.get(0), agentId);
        byte[] utf8 = chains.get(chain);
        if (utf8 == null) {
            utf8 = Utf8.encode(String.join(">", chain));
            if (chains.size() < AgentDirectory.MAX_CACHED) {
                chains.putIfAbsent(java.util.List.copyOf(chain), utf8);
            }
        }
        return utf8;
    }

    /**
     * @return the session bound to this thread, or {@code null}; a session object the hypervisor did not make
     *     refuses every call, so no code can attribute calls to a session by making its own
     */
    public static SessionGate boundSession() {
        Session bound = ThreadContext.session();
        if (bound == null || bound instanceof SessionGate) {
            return (SessionGate) bound;
        }
        return ForeignSession.of(bound);
    }

    @Override
    public void exit(long methodToken, long callSeq, long startNanos, Throwable thrown) {
        if (callSeq != PRE_ADMITTED) {
            if (!CallScratch.get().inFlight.isInnermost(callSeq)) {
                // The bridge is public (woven code in any module calls it): code calling it directly must not write
                // an outcome for another call, which would also leave the trail failing to verify.
                throw new SecurityException("call " + callSeq + " is not the governed call running innermost on this "
                        + "thread: only a call writes its own outcome");
            }
            complete(callSeq, startNanos, thrown);
        }
    }

    @Override
    public Object enterTool(long frameworkToken, String framework, String tool, String invocationId,
            Object agentKey, java.lang.reflect.Method method, Object arguments) {
        if (method != null && frameworkToken != methods.frameworkToken()) {
            // Naming a method records a run of it: only the woven choke points, which call it, may.
            throw forged("framework token " + frameworkToken);
        }
        return frameworkCalls.enter(framework, tool, invocationId, agentKey, method, arguments);
    }

    @Override
    public void exitTool(Object ticket, Throwable thrown, boolean failed) {
        frameworkCalls.exit(ticket, thrown, failed);
    }

    @Override
    public void toolFailed(Throwable cause) {
        frameworkCalls.failed(cause);
    }

    @Override
    public void toolInvocation(String invocationId) {
        frameworkCalls.named(invocationId);
    }

    @Override
    public Object enterDetachedTool(String framework, String tool, Object agentKey, Object arguments) {
        return frameworkCalls.enterDetached(framework, tool, agentKey, arguments);
    }

    @Override
    public Object whenToolDone(Object ticket, Object result) {
        return frameworkCalls.whenDone(ticket, result);
    }

    @Override
    public void exitDetachedTool(Object ticket, Throwable thrown) {
        frameworkCalls.exitDetached(ticket, thrown);
    }

    @Override
    public void agentEntered(String framework, String agentName, String type, Object instance) {
        frameworkCalls.agentEntered(framework, agentName, type, instance);
    }

    @Override
    public void agentExited(Object instance) {
        frameworkCalls.agentExited(instance);
    }

    /**
     * Records how an admitted call ended, in the session bound to this thread: for a call whose session is still
     * bound when it ends, as a woven {@code @Ring} method's is. Never throws: the call already ran, and nothing may
     * change its outcome.
     *
     * @param callSeq what {@link #admit} returned
     * @param startNanos {@link System#nanoTime()} when the body started
     * @param thrown what the body threw, or {@code null}
     */
    public void complete(long callSeq, long startNanos, Throwable thrown) {
        SessionGate session;
        try {
            session = boundSession();
        } catch (Throwable e) {
            leaveFlight();
            lost(callSeq, e);
            return;
        }
        complete(session, callSeq, startNanos, thrown);
    }

    /**
     * Records how an admitted call ended. Never throws: the call already ran, and nothing may change its outcome.
     *
     * @param session the session the call ran in, or {@code null}; its id goes on the outcome record
     * @param callSeq what {@link #admit} returned
     * @param startNanos {@link System#nanoTime()} when the body started
     * @param thrown what the body threw, or {@code null}
     */
    public void complete(SessionGate session, long callSeq, long startNanos, Throwable thrown) {
        byte[] thrownClass;
        try {
            thrownClass = thrown == null ? null : CLASS_NAMES.get(thrown.getClass());
        } catch (Throwable e) {
            leaveFlight();
            lost(callSeq, e);
            return;
        }
        completeNamed(session, callSeq, startNanos, thrownClass);
    }

    /**
     * Records how an admitted call ended. Never throws.
     *
     * @param session the session the call ran in, or {@code null}
     * @param callSeq what {@link #admit} returned
     * @param startNanos {@link System#nanoTime()} when the body started
     * @param thrownClassUtf8 the binary name of what the call threw, UTF-8, or {@code null} if it returned
     */
    public void completeNamed(SessionGate session, long callSeq, long startNanos, byte[] thrownClassUtf8) {
        record(session, callSeq, startNanos, thrownClassUtf8, true);
    }

    /**
     * Records how an admitted call ended on a thread other than the one that admitted it (an asynchronous tool's
     * result), which therefore was taken out of the in-flight calls when it was admitted. Never throws.
     *
     * @param session the session the call ran in, or {@code null}
     * @param callSeq what {@link #admit} returned
     * @param startNanos {@link System#nanoTime()} when the call started
     * @param thrownClassUtf8 the binary name of what the call threw, UTF-8, or {@code null} if it returned
     */
    public void completeDetached(SessionGate session, long callSeq, long startNanos, byte[] thrownClassUtf8) {
        record(session, callSeq, startNanos, thrownClassUtf8, false);
    }

    private void record(SessionGate session, long callSeq, long startNanos, byte[] thrownClassUtf8,
            boolean leaveFlight) {
        try {
            long duration = System.nanoTime() - startNanos;
            CallScratch scratch = CallScratch.get();
            if (leaveFlight) {
                scratch.inFlight.exit();
            }
            RecordEncoder encoder = scratch.encoder;
            byte[] sessionId = session == null ? NO_SESSION : session.idUtf8();
            if (thrownClassUtf8 == null) {
                encoder.outcome(RecordType.CALL_RETURNED, 0, 0, callSeq, duration, NOTHING_THROWN, sessionId);
            } else {
                encoder.outcome(RecordType.CALL_THREW, 0, 0, callSeq, duration, thrownClassUtf8, sessionId);
            }
            trail.append(encoder);
        } catch (Throwable e) {
            lost(callSeq, e);
        }
    }

    private static void leaveFlight() {
        try {
            CallScratch.get().inFlight.exit();
        } catch (Throwable ignored) {
            // the outcome is lost anyway; lost() reports it
        }
    }

    /** The call already ran; nothing may change its outcome. The trail shows an ALLOW with no outcome. */
    private void lost(long callSeq, Throwable e) {
        if (lostOutcomes.getAndIncrement() == 0) {
            try {
                LOG.error("could not record the outcome of call {}; further such failures are counted, not logged",
                        callSeq, e);
            } catch (Throwable ignored) {
                // logging failed too: the count still says an outcome was lost
            }
        }
    }
}
