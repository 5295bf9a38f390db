package dev.agentmesh.agent.session;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.rings.RingGovernor;
import dev.agentmesh.agent.rings.AgentIdentity;
import dev.agentmesh.agent.killswitch.KillSwitch;
import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.AgentStatus;
import dev.agentmesh.api.KillRecord;
import dev.agentmesh.api.KillTarget;
import dev.agentmesh.api.QuarantineMode;
import dev.agentmesh.api.QuarantineRecord;
import dev.agentmesh.api.Elevation;
import dev.agentmesh.api.TrustStatus;
import dev.agentmesh.api.Vouch;
import dev.agentmesh.agent.liability.TrustLedger;
import dev.agentmesh.api.ElevationRefusedException;
import dev.agentmesh.agent.policy.ElevationLimit;
import dev.agentmesh.agent.saga.Sagas;
import dev.agentmesh.api.SagaRecovery;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.Ids;
import dev.agentmesh.api.MergeResolver;
import dev.agentmesh.api.MergeResult;
import dev.agentmesh.api.SessionCheckpoint;
import dev.agentmesh.audit.format.SessionEvent;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import java.lang.reflect.Field;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The javaagent's {@link Hypervisor}: makes sessions, and knows the ones not yet archived. */
public final class AgentHypervisor extends Hypervisor {

    private final RingGovernor governor;
    private final SessionRecorder recorder;
    private final Sagas sagas;
    private final ConcurrentHashMap<String, AgentSession> live = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService sync = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agentmesh-state-sync");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param governor decides and records the sessions' actions
     * @param trail where the sessions' lifecycles are recorded
     */
    public AgentHypervisor(RingGovernor governor, AuditTrail trail) {
        this.governor = governor;
        this.recorder = new SessionRecorder(trail);
        this.sagas = new Sagas(trail);
        governor.killSwitch().onKill(sagas::kill);
    }

    /**
     * Makes {@code hypervisor} what {@link Hypervisor#get()} returns. The API keeps it in a private field rather
     * than offer a public setter, so application code has no supported way to replace it.
     *
     * @param hypervisor the hypervisor
     * @throws IllegalStateException if one is installed already
     */
    public static synchronized void install(Hypervisor hypervisor) {
        try {
            // Leave it in Hypervisor.pending, then initialise Hypervisor.Installed, which takes it into a final field.
            Field pending = Hypervisor.class.getDeclaredField("pending");
            pending.setAccessible(true);
            synchronized (Hypervisor.class) {
                pending.set(null, hypervisor);
            }
            // An application thread may already wait inside Installed's initialisation: let it take the hypervisor
            // first, or initialising Installed here would wait for that thread, and it for this one.
            ApiStartup.wakeWaiters();
            Class<?> holder = Class.forName(Hypervisor.class.getName() + "$Installed", true,
                    Hypervisor.class.getClassLoader());
            Field installed = holder.getDeclaredField("HYPERVISOR");
            installed.setAccessible(true);
            if (installed.get(null) != hypervisor) {
                pending.set(null, null);
                throw new IllegalStateException("a hypervisor is installed already, or Hypervisor.get() was called "
                        + "before the agent installed one");
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot install the hypervisor: " + e, e);
        }
    }

    @Override
    public Session createSession(SessionConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("config must not be null; use SessionConfig.defaults()");
        }
        return open(config, null, "");
    }

    @Override
    public Session fork(Session session, SessionCheckpoint checkpoint) {
        AgentSession parent = ours(session, "session");
        parent.requireIssued(checkpoint);
        AgentSession fork = open(parent.config(), checkpoint, ", forked from " + parent.id() + " at checkpoint "
                + checkpoint.name());
        parent.record(SessionEvent.FORKED, "forked into " + fork.id() + " at checkpoint " + checkpoint.name());
        fork.store().replaceAll(checkpoint.state());
        for (String agent : checkpoint.participants()) {
            fork.join(agent);
        }
        return fork;
    }

    @Override
    public MergeResult merge(Session fork, Session into) {
        return merge(fork, into, MergeResolver.KEEP_OURS);
    }

    @Override
    public MergeResult merge(Session fork, Session into, MergeResolver resolver) {
        AgentSession theirs = ours(fork, "fork");
        AgentSession target = ours(into, "into");
        if (resolver == null) {
            throw new IllegalArgumentException("resolver must not be null");
        }
        SessionCheckpoint base = theirs.forkedFrom();
        if (base == null || !base.sessionId().equals(target.id())) {
            throw new IllegalArgumentException("session " + theirs.id() + " was not forked from " + target.id());
        }
        return ThreeWayMerge.merge(base, theirs, target, resolver);
    }

    @Override
    public Session session(String sessionId) {
        Ids.require("sessionId", sessionId);
        AgentSession s = live.get(sessionId);
        if (s == null) {
            throw new IllegalArgumentException("no live session '" + sessionId + "' in this JVM (it never existed "
                    + "here, or it was terminated)");
        }
        return s;
    }

    @Override
    public Collection<Session> sessions() {
        return List.copyOf(live.values());
    }

    private AgentSession open(SessionConfig config, SessionCheckpoint forkedFrom, String origin) {
        while (true) {
            String id = "s-" + Long.toHexString(random.nextLong() >>> 1);
            AgentSession session = new AgentSession(this, governor, recorder, id, config, sync, forkedFrom);
            if (live.putIfAbsent(id, session) == null) {
                try {
                    session.recordCreated(origin);
                } catch (RuntimeException e) {
                    live.remove(id);
                    throw e;
                }
                return session;
            }
        }
    }

    private static AgentSession ours(Session session, String what) {
        if (!(session instanceof AgentSession)) {
            throw new IllegalArgumentException(what + " " + session + " is not a session of this hypervisor");
        }
        return (AgentSession) session;
    }

    void archived(AgentSession session) {
        live.remove(session.id(), session);
    }

    @Override
    public SagaRecovery sagaRecovery() {
        return sagas.recovery();
    }

    /** @return the sagas of this JVM */
    public Sagas sagas() {
        return sagas;
    }

    @Override
    public KillRecord kill(KillTarget target, String reason, String operatorId) {
        return asRingZero("kill", target, reason,
                () -> governor.killSwitch().kill(target, reason, operatorId, "api"));
    }

    @Override
    public boolean revive(KillTarget target, String reason, String operatorId) {
        return asRingZero("revive", target, reason,
                () -> governor.killSwitch().revive(target, reason, operatorId, "api"));
    }

    @Override
    public QuarantineRecord quarantine(String agentId, java.time.Duration duration, QuarantineMode mode,
            String reason, String operatorId) {
        Ids.require("agentId", agentId);
        return asRingZero("quarantine", KillTarget.agent(agentId), reason,
                () -> governor.quarantines().quarantine(agentId, duration, mode, reason, operatorId, "api"));
    }

    @Override
    public boolean release(String agentId, String reason, String operatorId) {
        Ids.require("agentId", agentId);
        return asRingZero("release", KillTarget.agent(agentId), reason,
                () -> governor.quarantines().release(agentId, reason, operatorId, "api"));
    }

    @Override
    public List<QuarantineRecord> quarantines() {
        return governor.quarantines().all();
    }

    @Override
    public Elevation elevate(int ring, java.time.Duration duration, String justification) {
        AgentIdentity caller = governor.identity(AgentContext.currentAgent().orElse(governor.defaultAgent()));
        java.util.Objects.requireNonNull(duration, "duration");
        return operatorCall(caller, caller.ring(), "elevate", new Object[] {ring, duration.toString(), justification},
                () -> {
                    ElevationLimit limit = governor.policy().elevationOf(caller.id()).orElseThrow(
                            () -> new ElevationRefusedException("the policy lets agent " + caller.id()
                                    + " elevate to no ring"));
                    if (ring < limit.ring() || ring >= caller.ring()) {
                        throw new ElevationRefusedException("agent " + caller.id() + " (ring " + caller.ring()
                                + ") may elevate to ring " + limit.ring() + " at most, and only to a more privileged"
                                + " ring than its own; asked for ring " + ring);
                    }
                    if (duration.isNegative() || duration.isZero()
                            || duration.compareTo(java.time.Duration.ofMinutes(limit.maxMinutes())) > 0) {
                        throw new ElevationRefusedException("agent " + caller.id() + " may elevate for at most "
                                + limit.maxMinutes() + " minutes; asked for " + duration);
                    }
                    if (justification == null || justification.isBlank()) {
                        throw new ElevationRefusedException("an elevation needs a justification; it is recorded");
                    }
                    java.time.Instant from = java.time.Instant.now();
                    return governor.elevations().grant(new Elevation(caller.id(), ring, justification, from,
                            from.plus(duration)));
                });
    }

    @Override
    public Elevation elevate(int ring, String justification) {
        AgentIdentity caller = governor.identity(AgentContext.currentAgent().orElse(governor.defaultAgent()));
        java.time.Duration limit = governor.policy().elevationOf(caller.id())
                .map(l -> java.time.Duration.ofMinutes(l.maxMinutes())).orElse(DEFAULT_ELEVATION);
        return elevate(ring, limit.compareTo(DEFAULT_ELEVATION) < 0 ? limit : DEFAULT_ELEVATION, justification);
    }

    @Override
    public Vouch vouch(String voucheeId, double share, String reason) {
        AgentIdentity caller = governor.identity(AgentContext.currentAgent().orElse(governor.defaultAgent()));
        return operatorCall(caller, 1, "vouch", new Object[] {voucheeId, share, reason},
                () -> ledger().vouch(caller.id(), voucheeId, share, reason));
    }

    @Override
    public boolean withdrawVouch(String voucheeId, String reason) {
        AgentIdentity caller = governor.identity(AgentContext.currentAgent().orElse(governor.defaultAgent()));
        return operatorCall(caller, 1, "withdrawVouch", new Object[] {voucheeId, reason},
                () -> ledger().withdraw(caller.id(), voucheeId, reason));
    }

    @Override
    public TrustStatus trust(String agentId) {
        Ids.require("agentId", agentId);
        AgentIdentity agent = governor.identity(agentId);
        return governor.liability().ledger().map(l -> l.status(agentId, agent.ring()))
                .orElseGet(() -> new TrustStatus(agentId, 0, 0, agent.ring(), false, List.of(), List.of()));
    }

    private TrustLedger ledger() {
        return governor.liability().ledger().orElseThrow(() -> new IllegalStateException("the policy ("
                + governor.policy().source() + ") has no liability section, so agents cannot vouch; add one "
                + "(liability: {} takes the defaults)"));
    }

    @Override
    public boolean dropElevation() {
        AgentIdentity caller = governor.identity(AgentContext.currentAgent().orElse(governor.defaultAgent()));
        return governor.elevations().drop(caller.id());
    }

    @Override
    public List<Elevation> elevations() {
        return governor.elevations().all();
    }

    @Override
    public List<KillRecord> kills() {
        return governor.killSwitch().kills();
    }

    @Override
    public List<AgentStatus> agents() {
        KillSwitch killSwitch = governor.killSwitch();
        List<AgentStatus> all = new java.util.ArrayList<>();
        for (AgentIdentity agent : governor.knownAgents()) {
            all.add(new AgentStatus(agent.id(), agent.ring(),
                    java.util.Optional.ofNullable(killSwitch.find(agent.id(), null)),
                    killSwitch.callsInFlight(agent.id()),
                    java.util.Optional.ofNullable(governor.quarantines().active(agent.id()))));
        }
        return all;
    }

    /**
     * The rule for the kill switch's MBean called from inside the JVM: with an agent in context on this thread, only
     * a ring-0 agent may use it, checked and recorded as a governed call of
     * {@code dev.agentmesh:type=KillSwitch#<action>}. With none (JMX's own threads, application code outside any
     * agent), reaching the MBean server is the authority.
     *
     * @param action the MBean operation
     * @param args its arguments, digested into the record
     * @throws dev.agentmesh.api.RingViolationException if the agent in context does not hold ring 0
     */
    public void checkInProcessOperator(String action, Object[] args) {
        String agentId = AgentContext.currentAgent().orElse(null);
        if (agentId == null) {
            return;
        }
        long seq = governor.admitOperator(governor.identity(agentId), 0, MBEAN_CLASS,
                dev.agentmesh.audit.format.Utf8.encode(action), "KillSwitch MBean " + action, args);
        governor.complete(null, seq, System.nanoTime(), null);
    }

    private static final byte[] MBEAN_CLASS = dev.agentmesh.audit.format.Utf8.encode("dev.agentmesh:type=KillSwitch");

    /**
     * Runs an operator action only for a ring-0 caller (the agent in context), as a governed call of
     * {@code dev.agentmesh.api.Hypervisor#<action>}: allowed or denied on the trail like any other.
     */
    private <T> T asRingZero(String action, KillTarget target, String reason, java.util.function.Supplier<T> body) {
        java.util.Objects.requireNonNull(target, "target");
        AgentIdentity caller = governor.identity(AgentContext.currentAgent().orElse(governor.defaultAgent()));
        return operatorCall(caller, 0, action, new Object[] {target.toString(), reason}, body);
    }

    /** Runs a Hypervisor action as a governed call of {@code Hypervisor#<action>} requiring {@code requiredRing}. */
    private <T> T operatorCall(AgentIdentity caller, int requiredRing, String action, Object[] args,
            java.util.function.Supplier<T> body) {
        long seq = governor.admitOperator(caller, requiredRing, HYPERVISOR_CLASS,
                dev.agentmesh.audit.format.Utf8.encode(action), "Hypervisor." + action, args);
        long start = System.nanoTime();
        try {
            T result = body.get();
            governor.complete(null, seq, start, null);
            return result;
        } catch (RuntimeException | Error e) {
            governor.complete(null, seq, start, e);
            throw e;
        }
    }

    private static final byte[] HYPERVISOR_CLASS = dev.agentmesh.audit.format.Utf8.encode(Hypervisor.class.getName());
}
