package dev.agentmesh.agent.liability;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.killswitch.StateFile;
import dev.agentmesh.api.Ids;
import dev.agentmesh.api.QuarantineMode;
import dev.agentmesh.api.QuarantineRecord;
import dev.agentmesh.audit.format.ControlEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The quarantines in force: agents demoted to ring 3 or blocked for a time. A governed call asks with one volatile
 * read while none is in force. A quarantine whose time is up ends when it is next looked at (the agent's next call,
 * or a listing), and that end is recorded then, as RELEASED with the reason "time is up".
 */
public final class Quarantines {

    /** The longest a quarantine may last; longer containment is a kill. */
    public static final Duration MAX_DURATION = Duration.ofDays(7);

    private final AuditTrail trail;
    private final ConcurrentHashMap<String, QuarantineRecord> byAgent = new ConcurrentHashMap<>();
    private volatile boolean armed;

    /** The name of the file in the audit directory that keeps the quarantines in force across restarts. */
    public static final String STATE_FILE = "agentmesh-quarantines.state";

    private final StateFile state;
    private volatile java.util.function.BiConsumer<QuarantineRecord, String> afterQuarantine = (q, via) -> { };

    /**
     * Sets what follows a quarantine once it is recorded: joint liability's blast radius.
     *
     * @param listener called with the quarantine and how it came ({@code api}, {@code jmx}, {@code breach},
     *     {@code blast radius})
     */
    public void afterQuarantine(java.util.function.BiConsumer<QuarantineRecord, String> listener) {
        this.afterQuarantine = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Starts with the quarantines the audit directory's state file holds in force (those whose time is up end at
     * their agent's next call, as usual).
     *
     * @param trail where quarantines and releases are recorded; its directory holds the state file
     * @throws IllegalStateException if the state file is malformed, naming its line
     */
    public Quarantines(AuditTrail trail) {
        this.trail = trail;
        this.state = new StateFile(trail.dir().resolve(STATE_FILE));
        int line = 0;
        for (String[] row : state.read()) {
            line++;
            if (row.length != 6) {
                throw state.malformed(line, "expected agent, mode, from and until (epoch millis), operator and "
                        + "reason, tab-separated");
            }
            try {
                QuarantineRecord q = new QuarantineRecord(Ids.require("agentId", row[0]),
                        QuarantineMode.valueOf(row[1]), row[5], row[4], Instant.ofEpochMilli(Long.parseLong(row[2])),
                        Instant.ofEpochMilli(Long.parseLong(row[3])));
                byAgent.put(q.agentId(), q);
            } catch (IllegalArgumentException e) {
                throw state.malformed(line, e.getMessage());
            }
        }
        armed = !byAgent.isEmpty();
    }

    /** Keeps the quarantines in force for a restart; a failure is logged, not thrown. */
    private void save() {
        List<String[]> rows = new ArrayList<>();
        for (QuarantineRecord q : byAgent.values()) {
            rows.add(new String[] {q.agentId(), q.mode().name(), Long.toString(q.from().toEpochMilli()),
                    Long.toString(q.until().toEpochMilli()), q.operatorId(), q.reason()});
        }
        try {
            state.write(rows);
        } catch (java.io.UncheckedIOException e) {
            org.slf4j.LoggerFactory.getLogger(Quarantines.class).error(
                    "the quarantines in force could not be saved; a restart would lift them: {}", e.getMessage());
        }
    }

    /**
     * The governed call's question. Allocation-free while no quarantine is in force.
     *
     * @param agentId the calling agent
     * @return its quarantine in force, or {@code null}
     */
    public QuarantineRecord active(String agentId) {
        if (!armed) {
            return null;
        }
        QuarantineRecord q = byAgent.get(agentId);
        if (q == null || !Instant.now().isAfter(q.until())) {
            return q;
        }
        end(q, "time is up", "agentmesh", "expiry");
        return null;
    }

    /**
     * @param agentId the agent
     * @param duration how long, more than zero, at most {@link #MAX_DURATION}
     * @param mode demote or block
     * @param reason why
     * @param operatorId who
     * @param via how the request came: {@code api}, {@code jmx}
     * @return the quarantine, in force and recorded
     */
    public QuarantineRecord quarantine(String agentId, Duration duration, QuarantineMode mode, String reason,
            String operatorId, String via) {
        Ids.require("agentId", agentId);
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(mode, "mode");
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("a quarantine lasts more than zero and at most " + MAX_DURATION
                    + ", got " + duration);
        }
        requireText("reason", reason);
        requireText("operatorId", operatorId);
        Instant from = Instant.now();
        QuarantineRecord q = new QuarantineRecord(agentId, mode, reason, operatorId, from, from.plus(duration));
        byAgent.put(agentId, q);
        armed = true;
        save();
        record(ControlEvent.QUARANTINED, agentId, operatorId, reason, "via " + via + "; "
                + (mode == QuarantineMode.DEMOTE ? "demoted to ring 3" : "blocked") + " until " + q.until());
        afterQuarantine.accept(q, via);
        return q;
    }

    /**
     * @param agentId the agent
     * @param reason why
     * @param operatorId who
     * @param via how the request came
     * @return whether it was quarantined
     */
    public boolean release(String agentId, String reason, String operatorId, String via) {
        Ids.require("agentId", agentId);
        requireText("reason", reason);
        requireText("operatorId", operatorId);
        QuarantineRecord q = byAgent.get(agentId);
        return q != null && end(q, reason, operatorId, via);
    }

    /** @return the quarantines in force, oldest first; those whose time is up end now */
    public List<QuarantineRecord> all() {
        List<QuarantineRecord> all = new ArrayList<>();
        for (QuarantineRecord q : byAgent.values()) {
            if (active(q.agentId()) != null) {
                all.add(q);
            }
        }
        all.sort(Comparator.comparing(QuarantineRecord::from));
        return all;
    }

    private boolean end(QuarantineRecord q, String reason, String operatorId, String via) {
        if (!byAgent.remove(q.agentId(), q)) {
            return false; // another thread ended or replaced it
        }
        armed = !byAgent.isEmpty();
        save();
        record(ControlEvent.RELEASED, q.agentId(), operatorId, reason, "via " + via + "; quarantined since "
                + q.from() + " by " + q.operatorId());
        return true;
    }

    private void record(ControlEvent event, String agentId, String actor, String reason, String detail) {
        trail.control(event, "agent:" + agentId, actor, reason, detail);
    }

    private static void requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank: every quarantine says why and who");
        }
    }
}
