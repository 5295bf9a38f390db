package dev.agentmesh.reader;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.SagaEvent;
import java.util.Locale;

/**
 * One line per record, for a person reading at a terminal: what happened, who did it, and the first bytes of the
 * record's chain hash. Not for parsing; the JSON Lines and CSV formats are.
 */
final class TextFormat implements RecordFormat {

    @Override
    public String header() {
        return String.format(Locale.ROOT, "%6s  %-24s  %-8s  %-10s  %s%n", "SEQ", "TIME", "TYPE", "HASH", "WHAT");
    }

    @Override
    public void append(VerifiedRecord record, LineBuffer out) {
        AuditRecord r = record.record();
        byte[] chainHash = record.chainHash();
        out.append(String.format(Locale.ROOT, "%6d  %-24s  %-8s  %-10s  %s%n", r.seq(),
                IsoTime.of(r.timeMillis()), r.type().label(), Hex.of(chainHash).substring(0, 10), what(r)));
    }

    private static String what(AuditRecord r) {
        switch (r.type()) {
            case GENESIS:
                return "writer " + safe(r.writerId()) + " started; policy " + safe(r.policySource()) + " (sha256 "
                        + Hex.of(r.policyDigest()).substring(0, 12) + "…)";
            case CALL_ALLOWED:
            case CALL_DENIED:
                return safe(r.agentId()) + " (ring " + r.agentRing() + ") "
                        + (r.type() == RecordType.CALL_ALLOWED ? "may call " : "may NOT call ")
                        + safe(simpleName(r.className())) + "#" + safe(r.methodName()) + ", which needs ring "
                        + r.requiredRing() + via(r) + delegation(r) + inSession(r);
            case CALL_RETURNED:
                return "call " + r.callSeq() + " returned after " + millis(r) + inSession(r);
            case CALL_THREW:
                return "call " + r.callSeq() + " threw " + safe(r.exceptionClass()) + " after " + millis(r)
                        + inSession(r);
            case SESSION_EVENT:
                return session(r);
            case SAGA_EVENT:
                return saga(r) + inSession(r);
            case CONTROL:
                return control(r);
            default:
                throw new AssertionError(r.type());
        }
    }

    /**
     * @param r a decision record
     * @return {@code ", via langchain4j tool web_search (call_1)"}: the agent framework whose tool was called, the
     *     framework's name for the tool and its id for this call, each only when the record has it; empty for a plain
     *     {@code @Ring} call (and for records of format versions 1 and 2, which predate these fields)
     */
    static String via(AuditRecord r) {
        if (r.framework().isEmpty() && r.tool().isEmpty() && r.invocationId().isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(", via");
        if (!r.framework().isEmpty()) {
            out.append(' ').append(safe(r.framework()));
        }
        if (!r.tool().isEmpty()) {
            out.append(" tool ").append(safe(r.tool()));
        }
        if (!r.invocationId().isEmpty()) {
            out.append(" (").append(safe(r.invocationId())).append(')');
        }
        return out.toString();
    }

    /**
     * @param r a decision record
     * @return {@code ", on behalf of lead>orchestrator, vouched by lead,root"}: whom the agent acted for and who
     *     vouches for it, each only when there is any; empty for an agent acting for itself that no one vouches for
     */
    static String delegation(AuditRecord r) {
        String out = "";
        if (!r.onBehalfOf().isEmpty()) {
            out += ", on behalf of " + safe(r.onBehalfOf());
        }
        if (!r.vouchedBy().isEmpty()) {
            out += ", vouched by " + safe(r.vouchedBy());
        }
        return out;
    }

    /** @return {@code " [session <id>]"} for a call or outcome in a session, else empty */
    private static String inSession(AuditRecord r) {
        return r.sessionId().isEmpty() ? "" : " [session " + safe(r.sessionId()) + "]";
    }

    /**
     * @param r a SESSION record
     * @return what happened, as {@code session s-1: researcher-1 (ring 2) JOINED} or
     *     {@code session s-1 CREATED (EVENTUAL, max 5 participants)}: the agent and its ring when the event names
     *     them, the detail when there is one
     */
    static String session(AuditRecord r) {
        StringBuilder out = new StringBuilder("session ").append(safe(r.sessionId()));
        if (!r.agentId().isEmpty()) {
            out.append(": ").append(safe(r.agentId()));
        }
        if (r.agentRing() >= 0) {
            out.append(" (ring ").append(r.agentRing()).append(')');
        }
        out.append(' ').append(r.sessionEvent().label());
        if (!r.detail().isEmpty()) {
            out.append(" (").append(safe(r.detail())).append(')');
        }
        return out.toString();
    }

    /**
     * @param r a SAGA record
     * @return what happened, as {@code saga trip-5f0c2a9e1b3d: planner STEP_FAILED book-hotel attempt 2 after
     *     3.100 ms, retry (java.io.IOException: no rooms)}: the agent when the saga runs as one, the step and attempt
     *     when the event names a step, the attempt's duration when it ran, {@code retry} or {@code final} for a
     *     failure, and the detail when there is one. The rest of the data (a step's result, say) is left to the
     *     JSON Lines and CSV exports.
     */
    static String saga(AuditRecord r) {
        StringBuilder out = new StringBuilder("saga ").append(safe(r.sagaId()));
        if (!r.agentId().isEmpty()) {
            out.append(": ").append(safe(r.agentId()));
        }
        out.append(' ').append(r.sagaEvent().label());
        if (!r.step().isEmpty()) {
            out.append(' ').append(safe(r.step()));
        }
        if (r.attempt() > 0) {
            out.append(" attempt ").append(r.attempt());
        }
        if (r.durationNanos() != -1) {
            out.append(" after ").append(millis(r));
        }
        if (isFailure(r.sagaEvent()) && !r.data().isEmpty()) {
            out.append(", ").append(safe(r.data()));
        }
        if (!r.detail().isEmpty()) {
            out.append(" (").append(safe(r.detail())).append(')');
        }
        return out.toString();
    }

    /**
     * @param r a CONTROL record
     * @return what happened, as {@code agent:researcher-1 KILLED by ops-jane: runaway loop (via jmx; 2 calls
     *     interrupted)}: the subject, the event, the actor and the reason when there are any, and the detail
     *     when there is one. A slash names its actor, the offender, with {@code for}: {@code agent:lead SLASHED for
     *     helper: vouched for helper: … (points=25 … chain=helper<lead)}
     */
    static String control(AuditRecord r) {
        StringBuilder out = new StringBuilder(safe(r.subject())).append(' ').append(r.controlEvent().label());
        if (!r.actor().isEmpty()) {
            // A slash's actor is the offender whose fault it was, not whoever took the points.
            out.append(r.controlEvent() == ControlEvent.SLASHED ? " for " : " by ").append(safe(r.actor()));
        }
        if (!r.reason().isEmpty()) {
            out.append(": ").append(safe(r.reason()));
        }
        if (!r.detail().isEmpty()) {
            out.append(" (").append(safe(r.detail())).append(')');
        }
        return out.toString();
    }

    /** @return whether the event is a failed attempt, whose data says {@code retry} or {@code final} */
    static boolean isFailure(SagaEvent event) {
        return event == SagaEvent.STEP_FAILED || event == SagaEvent.COMPENSATION_FAILED;
    }

    /**
     * Agent ids and names come from the application: escape control characters so that no value can start a
     * line of its own and pass for a record.
     */
    static String safe(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\\') {
                if (out == null) {
                    out = new StringBuilder(value.length() + 8).append(value, 0, i);
                }
                switch (c) {
                    case '\n': out.append("\\n"); break;
                    case '\r': out.append("\\r"); break;
                    case '\t': out.append("\\t"); break;
                    case '\\': out.append("\\\\"); break;
                    default: out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? value : out.toString();
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    static String millis(AuditRecord r) {
        return String.format(Locale.ROOT, "%.3f ms", r.durationNanos() / 1e6);
    }
}
