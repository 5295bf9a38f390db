package dev.agentmesh.agent.session;

import dev.agentmesh.agent.rings.AgentIdentity;
import dev.agentmesh.agent.rings.RingGovernor;
import dev.agentmesh.agent.rings.SessionGate;
import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.GovernedAction;
import dev.agentmesh.api.Ids;
import dev.agentmesh.api.Saga;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionClosedException;
import dev.agentmesh.api.SessionConfig;
import dev.agentmesh.api.SessionState;
import dev.agentmesh.api.SharedState;
import dev.agentmesh.agent.session.state.StateStore;
import dev.agentmesh.agent.session.state.StateStores;
import dev.agentmesh.api.SessionCheckpoint;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.SessionEvent;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.Utf8;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The hypervisor's session: lifecycle, participants and limits, with every change and every action on the trail.
 *
 * <p>Locking: {@code this} guards membership and state changes, and is never held while an action runs.
 * {@link #terminate()} serialises on its own lock and waits for running actions on {@link #inFlight}, so an action
 * that joins or leaves cannot deadlock with it.
 */
final class AgentSession extends Session implements SessionGate {

    private static final byte[] NO_DESCRIPTOR = new byte[0];
    private static final Object[] NO_ARGS = new Object[0];
    /** Actions' record fields, encoded once per action across all sessions. */
    private static final ActionNames ACTIONS = new ActionNames();

    private final AgentHypervisor hypervisor;
    private final RingGovernor governor;
    private final SessionRecorder recorder;
    private final String id;
    private final byte[] idUtf8;
    private final SessionConfig config;
    private final long deadlineNanos;
    private final Set<String> participants = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean expiryRecorded = new AtomicBoolean();
    private final Object terminateLock = new Object();
    private final Object inFlight = new Object();
    private final SessionSharedState state;
    private final StateStore stateStore;
    private final SessionCheckpoint forkedFrom;
    private final dev.agentmesh.agent.rings.RateLimiter limiter;
    private final Set<SessionCheckpoint> issued = java.util.Collections.newSetFromMap(
            new java.util.IdentityHashMap<>());
    private int running;
    private volatile SessionState lifecycle = SessionState.CREATED;
    private volatile String head;

    AgentSession(AgentHypervisor hypervisor, RingGovernor governor, SessionRecorder recorder, String id,
            SessionConfig config, ScheduledExecutorService sync, SessionCheckpoint forkedFrom) {
        this.hypervisor = hypervisor;
        this.governor = governor;
        this.recorder = recorder;
        this.id = id;
        this.idUtf8 = Utf8.encode(id);
        this.config = config;
        this.deadlineNanos = System.nanoTime() + config.maxDuration().toNanos();
        this.stateStore = StateStores.create(config, this::recordWrite, sync);
        this.state = new SessionSharedState(this, stateStore);
        this.forkedFrom = forkedFrom;
        this.limiter = governor.newSessionLimiter();
    }

    @Override
    public dev.agentmesh.agent.rings.RateLimiter limiter() {
        return limiter;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public byte[] idUtf8() {
        return idUtf8;
    }

    @Override
    public SessionConfig config() {
        return config;
    }

    @Override
    public SessionState lifecycle() {
        return lifecycle;
    }

    @Override
    public SharedState state() {
        return state;
    }

    @Override
    public Set<String> participants() {
        return Collections.unmodifiableSet(Set.copyOf(participants));
    }

    @Override
    public void join(String agentId) {
        Ids.require("agentId", agentId);
        requireOpen();
        joinIfAbsent(agentId);
    }

    @Override
    public synchronized void leave(String agentId) {
        Ids.require("agentId", agentId);
        if (participants.remove(agentId)) {
            AgentIdentity agent = governor.identity(agentId);
            recorder.append(idUtf8, SessionEvent.LEFT, agent.idUtf8(), agent.ring(), "");
        }
    }

    @Override
    public <T> T execute(String agentId, String actionType, String actionName, int requiredRing,
            GovernedAction<T> action) {
        checkAction(agentId, actionType, actionName, requiredRing, action);
        AgentIdentity agent = governor.identity(agentId);
        enterFlight();
        try {
            if (refusal() == null) {
                joinIfAbsent(agentId);
            }
            // Records ALLOW or DENY before the body runs; a closed session is recorded as a denial too.
            ActionNames.Action named = ACTIONS.of(actionType, actionName);
            long callSeq = governor.admit(agent, this, requiredRing, named.typeUtf8, named.nameUtf8,
                    NO_DESCRIPTOR, named.displayName, NO_ARGS);
            long start = System.nanoTime();
            try {
                T result = runAs(agentId, action);
                governor.complete(this, callSeq, start, null);
                return result;
            } catch (Throwable e) {
                // runAs rethrows the body's own exception unchanged, checked ones included; so does this (the
                // compiler's precise rethrow: the try block declares nothing checked).
                governor.complete(this, callSeq, start, e);
                throw e;
            }
        } finally {
            leaveFlight();
        }
    }

    @Override
    public <T> CompletableFuture<T> executeAsync(String agentId, String actionType, String actionName,
            int requiredRing, GovernedAction<T> action) {
        checkAction(agentId, actionType, actionName, requiredRing, action);
        return CompletableFuture.supplyAsync(() -> execute(agentId, actionType, actionName, requiredRing, action),
                ForkJoinPool.commonPool());
    }

    @Override
    public Saga saga(String name) {
        requireOpen();
        return hypervisor.sagas().define(this, this, name);
    }

    @Override
    public String terminate() {
        if (AgentContext.currentSession().orElse(null) == this) {
            throw new IllegalStateException("terminate() called from inside an action of session " + id
                    + " would wait for itself; call it from outside the session");
        }
        synchronized (terminateLock) {
            if (head != null) {
                return head;
            }
            synchronized (this) {
                lifecycle = SessionState.TERMINATING;
            }
            awaitNoneInFlight();
            synchronized (this) {
                head = recorder.record(idUtf8, SessionEvent.TERMINATED, null, TrailFormat.NO_RING,
                        participants.size() + " participants at the end").hash();
                participants.clear();
                lifecycle = SessionState.ARCHIVED;
            }
            hypervisor.archived(this);
            return head;
        }
    }

    @Override
    public SessionCheckpoint checkpoint(String name) {
        Ids.require("name", name);
        synchronized (this) {
            requireOpen();
            java.util.Map<String, java.util.List<String>> snapshot = stateStore.snapshot();
            SessionRecorder.Recorded at = recorder.record(idUtf8, SessionEvent.CHECKPOINT, null, TrailFormat.NO_RING,
                    "checkpoint " + name + ": " + snapshot.size() + " keys, " + participants.size() + " participants");
            SessionCheckpoint checkpoint = new SessionCheckpoint(name, id, snapshot, participants, at.seq(),
                    at.hash());
            issued.add(checkpoint);
            return checkpoint;
        }
    }

    @Override
    public void restore(SessionCheckpoint checkpoint) {
        requireIssued(checkpoint);
        synchronized (this) {
            requireOpen();
            recorder.record(idUtf8, SessionEvent.RESTORED, null, TrailFormat.NO_RING, "checkpoint "
                    + checkpoint.name() + " (seq " + checkpoint.auditSeq() + ", " + checkpoint.auditHash() + ")");
            stateStore.replaceAll(checkpoint.state());
        }
    }

    /**
     * @param checkpoint a checkpoint
     * @throws IllegalArgumentException unless this session made it
     */
    synchronized void requireIssued(SessionCheckpoint checkpoint) {
        if (checkpoint == null || !issued.contains(checkpoint)) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " was not made by session " + id);
        }
    }

    /** @throws SessionClosedException if the session takes no calls (before the hypervisor merges into it) */
    void requireOpenForMerge() {
        requireOpen();
    }

    /** @return the store, for the hypervisor's forks and merges */
    StateStore store() {
        return stateStore;
    }

    /** @return the checkpoint this session was forked from, or {@code null} */
    SessionCheckpoint forkedFrom() {
        return forkedFrom;
    }

    /** Records a SESSION event of this session: the hypervisor's forks and merges. */
    SessionRecorder.Recorded record(SessionEvent event, String detail) {
        return recorder.record(idUtf8, event, null, TrailFormat.NO_RING, detail);
    }

    @Override
    public String refusal() {
        SessionState s = lifecycle;
        if (s == SessionState.TERMINATING || s == SessionState.ARCHIVED) {
            return "session " + id + " is " + (s == SessionState.ARCHIVED ? "terminated" : "terminating")
                    + "; it takes no more calls";
        }
        if (System.nanoTime() - deadlineNanos >= 0) {
            if (expiryRecorded.compareAndSet(false, true)) {
                recorder.record(idUtf8, SessionEvent.EXPIRED, null, TrailFormat.NO_RING,
                        "maxDuration " + config.maxDuration());
            }
            return "session " + id + " expired: it was created to last at most " + config.maxDuration();
        }
        return null;
    }

    @Override
    protected void admit(String agentId) {
        join(agentId);
    }

    /**
     * Lets an agent read or write the shared state: the session must take calls, and the agent joins if needed.
     *
     * @param agentId a checked agent id
     */
    void admitForState(String agentId) {
        requireOpen();
        joinIfAbsent(agentId);
    }

    /** Records one write of the shared state, with the key, the value's SHA-256 and the store's clock. */
    private void recordWrite(String agentId, String key, String value, String clock) {
        AgentIdentity agent = StateStore.SYSTEM.equals(agentId) ? null : governor.identity(agentId);
        recorder.append(idUtf8, SessionEvent.STATE_WRITE, agent == null ? null : agent.idUtf8(),
                agent == null ? TrailFormat.NO_RING : agent.ring(),
                "key " + key + (value == null ? " removed" : " value-sha256 " + Hex.of(sha256(value)))
                        + " clock " + clock);
    }

    private static byte[] sha256(String value) {
        return SHA256.get().digest(value.getBytes(StandardCharsets.UTF_8)); // digest() resets it for the next one
    }

    /** One digest per thread: looking up the provider on every write cost more than hashing the value. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    });

    /**
     * Records the session's creation: called once, by the hypervisor.
     *
     * @param origin appended to the detail: empty, or where a fork came from
     */
    void recordCreated(String origin) {
        recorder.record(idUtf8, SessionEvent.CREATED, null, TrailFormat.NO_RING, config + origin);
    }

    private void requireOpen() {
        String refusal = refusal();
        if (refusal != null) {
            throw new SessionClosedException(id, refusal);
        }
    }

    private void joinIfAbsent(String agentId) {
        if (participants.contains(agentId)) {
            return;
        }
        synchronized (this) {
            requireOpen();
            if (participants.contains(agentId)) {
                return;
            }
            if (participants.size() >= config.maxParticipants()) {
                throw new IllegalStateException("session " + id + " is full: it allows at most "
                        + config.maxParticipants() + " participants, and " + agentId + " is not one of them");
            }
            AgentIdentity agent = governor.identity(agentId);
            recorder.append(idUtf8, SessionEvent.JOINED, agent.idUtf8(), agent.ring(), "");
            participants.add(agentId);
            lifecycle = SessionState.ACTIVE;
        }
    }

    private static void checkAction(String agentId, String actionType, String actionName, int requiredRing,
            GovernedAction<?> action) {
        Ids.require("agentId", agentId);
        Ids.require("actionType", actionType);
        Ids.require("actionName", actionName);
        Ids.requireRing(requiredRing);
        if (action == null) {
            throw new IllegalArgumentException("action must not be null");
        }
    }

    private void enterFlight() {
        synchronized (inFlight) {
            running++;
        }
    }

    private void leaveFlight() {
        synchronized (inFlight) {
            if (--running == 0) {
                inFlight.notifyAll();
            }
        }
    }

    private void awaitNoneInFlight() {
        synchronized (inFlight) {
            boolean interrupted = false;
            while (running > 0) {
                try {
                    inFlight.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
