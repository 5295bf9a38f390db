package dev.agentmesh.agent.saga;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.rings.SessionGate;
import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Ids;
import dev.agentmesh.api.KillRecord;
import dev.agentmesh.api.KillTarget;
import java.util.ArrayList;
import java.util.List;
import dev.agentmesh.api.Saga;
import dev.agentmesh.api.SagaRecovery;
import dev.agentmesh.api.Session;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sagas of this JVM: makes them, knows which are running, and owns the threads their parallel groups, timeouts
 * and parallel compensations use, and the recovery of the ones earlier runs left unfinished.
 */
public final class Sagas {

    /** Room left in an id for the dash and the 12 hex digits that make it unique. */
    private static final int MAX_NAME_LENGTH = Ids.MAX_LENGTH - 13;

    private final AuditTrail trail;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, SagaContext> running = new ConcurrentHashMap<>();
    private final AgentSagaRecovery recovery;
    private final AtomicInteger threads = new AtomicInteger();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "agentmesh-saga-" + threads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** @param trail where sagas are journaled */
    public Sagas(AuditTrail trail) {
        this.trail = trail;
        this.recovery = new AgentSagaRecovery(this, trail);
    }

    /**
     * Defines a saga in a session, running as the agent in context now.
     *
     * @param session the session
     * @param gate says whether the session takes calls
     * @param name the saga's name
     * @return the saga, not yet run
     */
    public Saga define(Session session, SessionGate gate, String name) {
        return new AgentSaga(this, session, gate, newId(name), name, AgentContext.currentAgent().orElse(null));
    }

    /**
     * @param name a saga's name
     * @return a new id for a saga of that name: the name, a dash, 12 random hex digits
     * @throws IllegalArgumentException if the name is malformed or too long
     */
    String newId(String name) {
        Ids.require("name", name);
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a saga name is at most " + MAX_NAME_LENGTH + " characters, got "
                    + name.length());
        }
        byte[] unique = new byte[6];
        random.nextBytes(unique);
        return name + "-" + HexFormat.of().formatHex(unique);
    }

    /** @return the recovery of unfinished sagas */
    public SagaRecovery recovery() {
        return recovery;
    }

    SagaContext context(String id, String name, String agentId, Session session, String sessionId,
            Duration deadline) {
        return new SagaContext(id, name, agentId, session, new SagaJournal(trail, sessionId, id,
                agentId == null ? "" : agentId), pool, deadline);
    }

    /** A saga begins to run on the calling thread. */
    void started(SagaContext saga) {
        saga.runsOn(Thread.currentThread());
        running.put(saga.id(), saga);
    }

    void ended(String sagaId) {
        running.remove(sagaId);
    }

    /** @return the ids of the sagas running in this JVM now */
    Set<String> running() {
        return Set.copyOf(running.keySet());
    }

    /**
     * Stops the running sagas a kill targets: each is marked killed (no step or retry starts any more; the step
     * running fails) and its thread interrupted, so it compensates, exempt from the kill.
     *
     * @param target what was killed
     * @param kill the kill
     * @return the ids of the sagas stopped
     */
    public List<String> kill(KillTarget target, KillRecord kill) {
        List<String> stopped = new ArrayList<>();
        for (SagaContext saga : running.values()) {
            if (saga.killedBy(target, kill)) {
                stopped.add(saga.id());
            }
        }
        return stopped;
    }
}
