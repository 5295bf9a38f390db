package dev.agentmesh.agent.session;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.rings.RingGovernor;
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
            Field installed = Hypervisor.class.getDeclaredField("installed");
            installed.setAccessible(true);
            if (installed.get(null) != null) {
                throw new IllegalStateException("a hypervisor is installed already");
            }
            installed.set(null, hypervisor);
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
}
