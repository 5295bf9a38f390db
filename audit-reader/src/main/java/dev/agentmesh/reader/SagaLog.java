package dev.agentmesh.reader;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.SagaEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What a verified trail says about one saga, gathered from its SAGA records in trail order: its name, session,
 * agent and start, how many steps it started, how it ended or what it was doing when its records stop, and, when
 * asked for, every record (for {@code saga <dir> <id>}'s timeline).
 *
 * <p>The journal is write-ahead: STEP_STARTED is on the trail before the step's action runs. A saga whose records
 * stop without one of the four end events was cut off with its run (or is still running); the application's next
 * run recovers it (SAGA_RECOVERING).
 */
final class SagaLog {

    /** What the data of a failed attempt says when the attempt may have had its effect (it timed out). */
    private static final String UNKNOWN = "unknown";

    private final String id;
    private final List<AuditRecord> records;
    private String name = "";
    private String sessionId;
    private String agentId;
    private long startSeq;
    private long startMillis;
    private boolean started;
    private long lastMillis;
    private long count;
    private SagaEvent end;
    private long endMillis;
    private boolean compensating;
    // Step names while the saga runs; dropped at its end, when only their number is still needed.
    private Set<String> stepNames = new HashSet<>();
    private int steps;

    /**
     * @param id the saga's id
     * @param keepRecords whether to keep every record, for a timeline
     */
    SagaLog(String id, boolean keepRecords) {
        this.id = id;
        this.records = keepRecords ? new ArrayList<>() : null;
    }

    /** @param r the saga's next SAGA record, verified */
    void add(AuditRecord r) {
        if (count++ == 0) {
            sessionId = r.sessionId();
            agentId = r.agentId();
            startSeq = r.seq();
            startMillis = r.timeMillis();
        }
        lastMillis = r.timeMillis();
        if (records != null) {
            records.add(r);
        }
        SagaEvent event = r.sagaEvent();
        if (event == SagaEvent.SAGA_STARTED && !started) {
            started = true;
            String data = r.data(); // the saga's name, then a newline and its step names
            int newline = data.indexOf('\n');
            name = newline < 0 ? data : data.substring(0, newline);
            startSeq = r.seq();
            startMillis = r.timeMillis();
        } else if (event == SagaEvent.STEP_STARTED && stepNames != null) {
            stepNames.add(r.step());
            steps = stepNames.size();
        } else if (event == SagaEvent.SAGA_COMPENSATING) {
            compensating = true;
        } else if (event.endsSaga() && end == null) {
            end = event;
            endMillis = r.timeMillis();
            stepNames = null;
        }
    }

    String id() {
        return id;
    }

    /** @return the saga's name, from its SAGA_STARTED record; empty if it has none */
    String name() {
        return name;
    }

    String sessionId() {
        return sessionId;
    }

    String agentId() {
        return agentId;
    }

    /** @return the seq of its SAGA_STARTED record, or of its first record if it has none */
    long startSeq() {
        return startSeq;
    }

    /** @return when it started: its SAGA_STARTED record's time, or its first record's if it has none */
    long startMillis() {
        return startMillis;
    }

    /** @return how many SAGA records it has */
    long count() {
        return count;
    }

    /** @return how many distinct steps it started */
    int steps() {
        return steps;
    }

    /** @return whether one of the four end events is on the trail */
    boolean ended() {
        return end != null;
    }

    /**
     * @return its end state, {@code COMPLETED}, {@code COMPENSATED}, {@code FAILED} or {@code COMPENSATION_FAILED};
     *     or, with no end event, what it was doing when its records stop: {@code RUNNING} or {@code COMPENSATING}
     */
    String state() {
        if (end != null) {
            return end.label().substring("SAGA_".length());
        }
        return compensating ? "COMPENSATING" : "RUNNING";
    }

    /** @return {@link #state()}, as {@code unfinished: RUNNING} when it has no end event */
    String stateText() {
        return ended() ? state() : "unfinished: " + state();
    }

    /** @return the time of its end event, or of its last record if it has none */
    long endMillis() {
        return end != null ? endMillis : lastMillis;
    }

    /** @return from its start to its end, or to its last record if it has not ended */
    long durationMillis() {
        return endMillis() - startMillis;
    }

    /** @return its records in trail order; only if kept */
    List<AuditRecord> records() {
        return records;
    }

    /**
     * @param r a SAGA record
     * @return what happened, in a few words: {@code started}, {@code completed}, {@code failed (retry)},
     *     {@code compensation started}, {@code compensated}, {@code compensation failed (final)}, or for the saga
     *     as a whole {@code saga started}, {@code compensating}, {@code recovering}, {@code saga completed}, …
     */
    static String what(AuditRecord r) {
        switch (r.sagaEvent()) {
            case SAGA_STARTED:
                return "saga started";
            case STEP_STARTED:
                return "started";
            case STEP_COMPLETED:
                return "completed";
            case STEP_FAILED:
                return "failed" + failure(r.data());
            case SAGA_COMPENSATING:
                return "compensating";
            case COMPENSATION_STARTED:
                return "compensation started";
            case COMPENSATION_COMPLETED:
                return "compensated";
            case COMPENSATION_FAILED:
                return "compensation failed" + failure(r.data());
            case SAGA_RECOVERING:
                return "recovering";
            default:
                // SAGA_COMPLETED, SAGA_COMPENSATED, SAGA_FAILED, SAGA_COMPENSATION_FAILED
                return "saga " + r.sagaEvent().label().substring("SAGA_".length()).toLowerCase(Locale.ROOT)
                        .replace('_', ' ');
        }
    }

    /** @return {@code " (retry)"}, {@code " (final, effect unknown)"}: what a failed attempt's data says */
    private static String failure(String data) {
        if (data.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(" (");
        String[] words = data.split(",", -1);
        for (int i = 0; i < words.length; i++) {
            out.append(i == 0 ? "" : ", ").append(words[i].equals(UNKNOWN) ? "effect unknown" : words[i]);
        }
        return out.append(')').toString();
    }

    /**
     * @param r a STEP_STARTED record, whose data is {@code <compensation>\n<idempotency key>\n<flags>}
     * @return the idempotency key; empty if the data holds none
     */
    static String idempotencyKey(AuditRecord r) {
        return dataLine(r, 1);
    }

    /**
     * @param r a STEP_STARTED record
     * @return its flags, comma-separated (as {@code pivot}); empty if none
     */
    static String flags(AuditRecord r) {
        return dataLine(r, 2);
    }

    private static String dataLine(AuditRecord r, int line) {
        if (r.sagaEvent() != SagaEvent.STEP_STARTED) {
            return "";
        }
        String[] lines = r.data().split("\n", -1);
        return line < lines.length ? lines[line] : "";
    }
}
