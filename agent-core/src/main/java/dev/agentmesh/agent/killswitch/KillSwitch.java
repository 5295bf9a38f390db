package dev.agentmesh.agent.killswitch;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.api.KillRecord;
import dev.agentmesh.api.KillTarget;
import dev.agentmesh.api.Saga;
import dev.agentmesh.api.StepContext;
import dev.agentmesh.audit.format.ControlEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * The kills in force, and the one place a governed call asks whether its agent or session is killed. With no kill in
 * force that question is one volatile read; only then does it look anything up.
 *
 * <p>A kill takes effect first and is recorded after: an operator stopping a runaway agent must not wait on the
 * trail, and if the trail cannot take the record the kill still stands (and the killed agent's calls are denied
 * anyway). Calls of the target that are in flight are interrupted, and the target's running sagas are told, so they
 * stop and compensate. A compensation is exempt from kills: killing an agent must not kill its rollback.
 */
public final class KillSwitch {

    private final AuditTrail trail;
    /** The kills in force, by target; also kept by agent and session id so a call's lookup builds no key. */
    private final ConcurrentHashMap<KillTarget, KillRecord> kills = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, KillRecord> byAgent = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, KillRecord> bySession = new ConcurrentHashMap<>();
    private volatile KillRecord everything;
    private volatile boolean armed;
    private volatile BiFunction<KillTarget, KillRecord, List<String>> sagas = (target, kill) -> List.of();
    private volatile java.util.function.BiConsumer<KillRecord, String> afterKill = (kill, via) -> { };

    /** The name of the file in the audit directory that keeps the kills in force across restarts. */
    public static final String STATE_FILE = "agentmesh-kills.state";

    private final StateFile state;

    /**
     * Starts with the kills the audit directory's state file holds in force.
     *
     * @param trail where kills and revivals are recorded; its directory holds the state file
     * @throws IllegalStateException if the state file is malformed, naming its line
     */
    public KillSwitch(AuditTrail trail) {
        this.trail = trail;
        this.state = new StateFile(trail.dir().resolve(STATE_FILE));
        int line = 0;
        for (String[] row : state.read()) {
            line++;
            if (row.length != 4) {
                throw state.malformed(line, "expected target, operator, epoch millis and reason, tab-separated");
            }
            try {
                KillTarget target = KillTarget.parse(row[0]);
                put(target, new KillRecord(target, row[3], row[1], Instant.ofEpochMilli(Long.parseLong(row[2])),
                        0, List.of()));
            } catch (IllegalArgumentException e) {
                throw state.malformed(line, e.getMessage());
            }
        }
        armed = !kills.isEmpty();
    }

    /**
     * Sets who stops the running sagas of a target: called with each kill, returns the ids of the sagas it stopped.
     *
     * @param stopper the hypervisor's sagas
     */
    public void onKill(BiFunction<KillTarget, KillRecord, List<String>> stopper) {
        this.sagas = Objects.requireNonNull(stopper, "stopper");
    }

    /**
     * Sets what follows a kill once it is recorded: joint liability's slash and blast radius.
     *
     * @param listener called with the kill and how it came ({@code api}, {@code jmx}, {@code breach})
     */
    public void afterKill(java.util.function.BiConsumer<KillRecord, String> listener) {
        this.afterKill = Objects.requireNonNull(listener, "listener");
    }

    /**
     * The governed call's question. Allocation-free when no kill is in force.
     *
     * @param agentId the calling agent
     * @param sessionId its session, or {@code null}
     * @return the kill that stops the call, or {@code null}
     */
    public KillRecord refusal(String agentId, String sessionId) {
        if (!armed) {
            return null;
        }
        KillRecord kill = find(agentId, sessionId);
        if (kill == null) {
            return null;
        }
        StepContext step = Saga.currentStep().orElse(null);
        return step != null && step.compensating() ? null : kill; // a rollback runs even for a killed agent
    }

    /**
     * @param agentId an agent
     * @return the kill of that agent itself, or {@code null}; kills of sessions or of everything are not looked at
     */
    public KillRecord agentKill(String agentId) {
        return armed ? byAgent.get(agentId) : null;
    }

    /**
     * @param agentId an agent
     * @param sessionId a session, or {@code null}
     * @return the kill that stops that agent in that session (everything's, then the agent's, then the session's),
     *     or {@code null}
     */
    public KillRecord find(String agentId, String sessionId) {
        if (!armed) {
            return null;
        }
        KillRecord kill = everything;
        if (kill == null) {
            kill = byAgent.get(agentId);
        }
        if (kill == null && sessionId != null) {
            kill = bySession.get(sessionId);
        }
        return kill;
    }

    /**
     * Kills a target: takes effect at once, then interrupts its calls in flight, stops its sagas, and records it.
     *
     * @param target what to kill
     * @param reason why
     * @param operatorId who
     * @param via how the request came: {@code api}, {@code jmx}
     * @return the kill
     * @throws IllegalArgumentException if the reason or operator is blank
     * @throws dev.agentmesh.api.AuditUnavailableException if it could not be recorded; the kill stands
     */
    public KillRecord kill(KillTarget target, String reason, String operatorId, String via) {
        Objects.requireNonNull(target, "target");
        requireText("reason", reason);
        requireText("operatorId", operatorId);
        KillRecord provisional = new KillRecord(target, reason, operatorId, Instant.now(), 0, List.of());
        KillRecord kill;
        synchronized (this) {
            put(target, provisional);
            armed = true;
            int interrupted = InFlightCalls.interrupt(target);
            List<String> stopped = sagas.apply(target, provisional);
            kill = new KillRecord(target, reason, operatorId, provisional.at(), interrupted, stopped);
            put(target, kill);
        }
        save();
        int interrupted = kill.interruptedCalls();
        List<String> stopped = kill.compensatingSagas();
        record(ControlEvent.KILLED, target, operatorId, reason, "via " + via + "; " + interrupted
                + (interrupted == 1 ? " call" : " calls") + " in flight interrupted; sagas compensating " + stopped);
        afterKill.accept(kill, via);
        return kill;
    }

    /**
     * Lifts a kill and records it.
     *
     * @param target what was killed
     * @param reason why it is lifted
     * @param operatorId who
     * @param via how the request came
     * @return whether a kill of that target was in force
     */
    public boolean revive(KillTarget target, String reason, String operatorId, String via) {
        Objects.requireNonNull(target, "target");
        requireText("reason", reason);
        requireText("operatorId", operatorId);
        KillRecord lifted;
        synchronized (this) {
            lifted = kills.remove(target);
            switch (target.kind()) {
                case ALL -> everything = null;
                case AGENT -> byAgent.remove(target.id());
                case SESSION -> bySession.remove(target.id());
            }
            armed = !kills.isEmpty();
        }
        save();
        record(ControlEvent.REVIVED, target, operatorId, reason, "via " + via
                + (lifted == null ? "; it was not killed" : "; killed since " + lifted.at() + " by "
                        + lifted.operatorId()));
        return lifted != null;
    }

    /** @return the kills in force, oldest first */
    public List<KillRecord> kills() {
        List<KillRecord> all = new ArrayList<>(kills.values());
        all.sort(Comparator.comparing(KillRecord::at));
        return all;
    }

    /**
     * @param agentId an agent
     * @return how many of its governed calls are running now
     */
    public int callsInFlight(String agentId) {
        return InFlightCalls.count(agentId);
    }

    /** Keeps the kills in force for a restart; a failure is logged, not thrown: the kill stands in this JVM. */
    private void save() {
        List<String[]> rows = new ArrayList<>();
        for (KillRecord k : kills()) {
            rows.add(new String[] {k.target().toString(), k.operatorId(), Long.toString(k.at().toEpochMilli()),
                    k.reason()});
        }
        try {
            state.write(rows);
        } catch (java.io.UncheckedIOException e) {
            org.slf4j.LoggerFactory.getLogger(KillSwitch.class).error(
                    "the kills in force could not be saved; a restart would lift them: {}", e.getMessage());
        }
    }

    private void put(KillTarget target, KillRecord kill) {
        kills.put(target, kill);
        switch (target.kind()) {
            case ALL -> everything = kill;
            case AGENT -> byAgent.put(target.id(), kill);
            case SESSION -> bySession.put(target.id(), kill);
        }
    }

    private void record(ControlEvent event, KillTarget target, String operatorId, String reason, String detail) {
        trail.control(event, target.toString(), operatorId, reason, detail);
    }

    private static void requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank: every kill and revival says why and who");
        }
    }
}
