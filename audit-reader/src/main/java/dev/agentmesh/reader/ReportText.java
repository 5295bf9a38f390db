package dev.agentmesh.reader;

import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.SagaEvent;
import dev.agentmesh.audit.format.SessionEvent;
import dev.agentmesh.reader.ReportLiability.AgentLiability;
import dev.agentmesh.reader.ReportLiability.Slash;
import dev.agentmesh.reader.ReportStats.AgentStats;
import dev.agentmesh.reader.ReportStats.Control;
import dev.agentmesh.reader.ReportStats.ToolStats;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The plain-text report {@code report} prints: aligned sections for a person to read, of one trail or of a fleet's
 * topic ({@link ReportScope}). Agent ids, writer ids, class and method names come from the trail, so control
 * characters in them are escaped ({@link TextFormat#safe}) and no value can start a line of its own.
 */
final class ReportText {

    private static final String NL = System.lineSeparator();

    /** The row of a topic's writers table that totals them. */
    static final String ALL_WRITERS = "(all writers)";

    /** How many hex digits of a writer's head hash its row shows; {@code verify --kafka} prints them all. */
    static final int SHORT_HASH_DIGITS = 12;

    private ReportText() {
    }

    /**
     * @param scope what was verified: a trail directory, or a fleet's topic
     * @param stats what the verified records hold
     * @param top how many agents and tools to list
     * @return the report, ending with a line separator
     */
    static String render(ReportScope scope, ReportStats stats, int top) {
        StringBuilder out = new StringBuilder();
        out.append("AgentMesh audit report").append(NL);
        if (scope instanceof ReportScope.Topic topic) {
            heading(out, topic, stats);
        } else {
            heading(out, (ReportScope.Directory) scope, stats);
        }

        out.append(NL).append("Totals").append(NL);
        TextTable totals = new TextTable("", "");
        totals.row("records", n(stats.records));
        totals.row("writer runs", n(stats.writerRuns));
        totals.row("calls allowed", n(stats.allowed));
        totals.row("calls denied", n(stats.denied));
        totals.row("returned", n(stats.returned));
        totals.row("threw", n(stats.threw));
        totals.row("still open", n(stats.stillOpen()));
        totals.render(out, false);

        out.append(NL).append("Decisions").append(NL);
        TextTable decisions = new TextTable("", "");
        decisions.row("ALLOW", n(stats.allowed));
        decisions.row("DENY", n(stats.denied));
        decisions.row("RETURNED", n(stats.returned));
        decisions.row("THREW", n(stats.threw));
        decisions.render(out, false);

        if (stats.sessionEvents > 0) {
            out.append(NL).append("Sessions").append(NL);
            TextTable sessions = new TextTable("", "");
            sessions.row("sessions created", n(stats.sessionsCreated));
            sessions.row("session events", n(stats.sessionEvents));
            sessions.render(out, false);

            out.append(NL).append("Session events").append(NL);
            TextTable events = new TextTable("", "");
            for (SessionEvent e : SessionEvent.values()) {
                events.row(e.label(), n(stats.sessionEventsByKind[e.ordinal()]));
            }
            events.render(out, false);
        }

        if (stats.sagaEvents > 0) {
            counts(out, "Sagas", stats.sagaTotals());

            out.append(NL).append("Saga events").append(NL);
            TextTable events = new TextTable("", "");
            for (SagaEvent e : SagaEvent.values()) {
                events.row(e.label(), n(stats.sagaEvents(e)));
            }
            events.render(out, false);
        }

        if (stats.controlEvents > 0) {
            killSwitch(out, stats);
        }

        if (!stats.liability.isEmpty()) {
            liability(out, stats.liability, top);
        }

        List<AgentStats> agents = stats.agentsByCalls();
        out.append(NL).append("Agents, by calls (").append(shown(top, agents.size(), stats.otherAgents() != null))
                .append(")").append(NL);
        TextTable agentTable = new TextTable("AGENT", "CALLS", "ALLOWED", "DENIED", "THREW");
        for (AgentStats a : agents.subList(0, Math.min(top, agents.size()))) {
            agentTable.row(TextFormat.safe(a.id), n(a.calls()), n(a.allowed), n(a.denied), n(a.threw));
        }
        AgentStats otherAgents = stats.otherAgents();
        if (otherAgents != null) {
            agentTable.row(otherAgents.id, n(otherAgents.calls()), n(otherAgents.allowed), n(otherAgents.denied),
                    n(otherAgents.threw));
        }
        agentTable.render(out, true);

        List<ToolStats> tools = stats.toolsByCalls();
        out.append(NL).append("Tools, by calls (").append(shown(top, tools.size(), stats.otherTools() != null))
                .append("; durations in ms, of calls whose outcome is in the trail)").append(NL);
        TextTable toolTable = new TextTable("TOOL", "CALLS", "DENIED", "THREW", "MEAN", "MAX");
        for (ToolStats t : tools.subList(0, Math.min(top, tools.size()))) {
            toolRow(toolTable, TextFormat.safe(t.name()), t);
        }
        ToolStats otherTools = stats.otherTools();
        if (otherTools != null) {
            toolRow(toolTable, otherTools.name(), otherTools);
        }
        toolTable.render(out, true);

        out.append(NL).append("Calls by agent ring").append(NL);
        TextTable byRing = new TextTable("RING", "ALLOWED", "DENIED");
        for (int ring = 0; ring <= ReportStats.OTHER_RING; ring++) {
            if (ring < ReportStats.OTHER_RING || stats.allowedByAgentRing[ring] + stats.deniedByAgentRing[ring] > 0) {
                byRing.row(ringName(ring), n(stats.allowedByAgentRing[ring]), n(stats.deniedByAgentRing[ring]));
            }
        }
        byRing.render(out, true);

        out.append(NL).append("Denials by ring (rows: the agent's ring; columns: the ring the tool requires)")
                .append(NL);
        boolean otherRing = hasOtherRing(stats.denialsByRing);
        int rings = otherRing ? ReportStats.OTHER_RING + 1 : ReportStats.OTHER_RING;
        String[] header = new String[rings + 1];
        header[0] = "AGENT RING";
        for (int c = 0; c < rings; c++) {
            header[c + 1] = "REQ " + ringName(c);
        }
        TextTable matrix = new TextTable(header);
        for (int r = 0; r < rings; r++) {
            String[] row = new String[rings + 1];
            row[0] = ringName(r);
            for (int c = 0; c < rings; c++) {
                row[c + 1] = n(stats.denialsByRing[r][c]);
            }
            matrix.row(row);
        }
        matrix.render(out, true);

        if (stats.unattributedOutcomes > 0) {
            out.append(NL).append("Note: ").append(stats.unattributedOutcomes).append(" outcomes closed calls ")
                    .append("started more than ").append(ReportStats.MAX_OPEN_CALLS)
                    .append(" calls earlier; they count in the totals but not per agent or tool.").append(NL);
        }
        return out.toString();
    }

    /** The facts about one trail: where it is, that its chain verified, its time span and its clock. */
    private static void heading(StringBuilder out, ReportScope.Directory trail, ReportStats stats) {
        out.append("  trail      ").append(TextFormat.safe(trail.dir())).append(NL);
        out.append("  verified   ").append(trail.summary().count()).append(" records, hash chain intact, head ")
                .append(Hex.of(trail.summary().headHash())).append(NL);
        timeSpan(out, stats);
        if (trail.clock().count() > 0) {
            // The span runs from the first record's time to the last's; where the clock went back, that is not all.
            out.append("  clock      ").append(clockNote(trail.clock())).append(NL);
        }
    }

    /**
     * The facts about a fleet's topic, then its writers: one row each, with its records, the start of its head hash
     * and its checkpoint, and a row for them all. Where a writer's clock went back is said per writer: each writer
     * stamps its own records, so only steps within one stream mean anything.
     */
    private static void heading(StringBuilder out, ReportScope.Topic topic, ReportStats stats) {
        out.append("  topic      ").append(TextFormat.safe(topic.topic())).append(" at ")
                .append(TextFormat.safe(topic.bootstrap())).append(NL);
        out.append("  verified   ").append(topic.writers().size()).append(" writers, ").append(topic.records())
                .append(" records, each writer's hash chain intact").append(NL);
        timeSpan(out, stats);
        for (WriterSummary w : topic.writers()) {
            if (w.clock().count() > 0) {
                out.append("  clock      writer ").append(TextFormat.safe(w.id())).append(": ")
                        .append(clockNote(w.clock())).append(NL);
            }
        }
        out.append(NL).append("Writers (").append(topic.writers().size()).append(" in all)").append(NL);
        TextTable writers = new TextTable("WRITER", "RECORDS", "HEAD", "CHECKPOINT").alignLeft(2, 3);
        for (WriterSummary w : topic.writers()) {
            writers.row(TextFormat.safe(w.id()), n(w.records()), shortHash(w.headHash()), w.checkpoint());
        }
        writers.row(ALL_WRITERS, n(topic.records()), "", "");
        writers.render(out, true);
    }

    private static void timeSpan(StringBuilder out, ReportStats stats) {
        out.append("  time span  ").append(IsoTime.of(stats.firstMillis)).append(" .. ")
                .append(IsoTime.of(stats.lastMillis)).append(NL);
    }

    /** @return the first {@value #SHORT_HASH_DIGITS} hex digits of {@code hash}: enough to tell heads apart */
    static String shortHash(byte[] hash) {
        return Hex.of(hash).substring(0, SHORT_HASH_DIGITS);
    }

    /**
     * @return {@code went back 2 times, the largest step 3600.000 s at seq 17: not a break, but times are out of
     *     order there; 'verify' lists where}
     */
    static String clockNote(ClockSteps clock) {
        return clock.summary() + ": not a break, but times are out of order there; 'verify' lists where";
    }

    /** A heading, then one line per entry of {@code rows}: its name and count. */
    private static void counts(StringBuilder out, String heading, Map<String, Long> rows) {
        out.append(NL).append(heading).append(NL);
        TextTable table = new TextTable("", "");
        rows.forEach((name, count) -> table.row(name, n(count)));
        table.render(out, false);
    }

    /** The CONTROL records: counts by event, then each record, by subject, with its actor and reason. */
    private static void killSwitch(StringBuilder out, ReportStats stats) {
        counts(out, "Kill switch", stats.controlTotals());
        List<Control> controls = stats.controlsBySubject();
        out.append(NL).append("Kill switch, by subject (").append(listed(controls.size(), stats.controlEvents))
                .append(")").append(NL);
        // ACTOR, not OPERATOR: a voucher vouches, and a slash names the offender whose fault it was.
        TextTable table = new TextTable("SUBJECT", "EVENT", "TIME", "ACTOR", "REASON").alignLeft(1, 2, 3, 4);
        for (Control c : controls) {
            table.row(TextFormat.safe(c.subject()), c.event().label(), IsoTime.of(c.timeMillis()),
                    orDash(TextFormat.safe(c.actor())), orDash(TextFormat.safe(c.reason())));
        }
        table.render(out, true);
    }

    /**
     * Faults and losses, when there are any: the counts, then per agent (the top N, most points lost first), then
     * each slash in trail order, and a note if some slash did not say its points.
     */
    private static void liability(StringBuilder out, ReportLiability liability, int top) {
        counts(out, "Liability", liability.totals());
        List<AgentLiability> agents = liability.agentsByLiability();
        AgentLiability other = liability.otherAgents();
        out.append(NL).append("Liability, by agent (").append(shown(top, agents.size(), other != null)).append(")")
                .append(NL);
        TextTable byAgent = new TextTable(ReportLiability.upperCase(ReportLiability.AGENT_COLUMNS)).alignLeft(7);
        for (AgentLiability a : agents.subList(0, Math.min(top, agents.size()))) {
            byAgent.row(safe(a.cells()));
        }
        if (other != null) {
            byAgent.row(safe(other.cells()));
        }
        byAgent.render(out, true);
        if (liability.slashes > 0) {
            List<Slash> slashes = liability.slashes();
            out.append(NL).append("Slashes, in trail order (").append(listed(slashes.size(), liability.slashes,
                    "slashes")).append(")").append(NL);
            TextTable list = new TextTable(ReportLiability.upperCase(ReportLiability.SLASH_COLUMNS))
                    .alignLeft(1, 2, 5, 6, 7);
            slashes.forEach(slash -> list.row(safe(slash.cells())));
            list.render(out, true);
        }
        String note = liability.unknownPointsNote();
        if (note != null) {
            out.append(NL).append("Note: ").append(note).append(NL);
        }
    }

    /** @return each cell escaped ({@link TextFormat#safe}) */
    private static String[] safe(String[] cells) {
        String[] out = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            out[i] = TextFormat.safe(cells[i]);
        }
        return out;
    }

    /** @return how many of the CONTROL records the kill-switch list holds */
    static String listed(int listed, long all) {
        return listed(listed, all, "events");
    }

    /**
     * @param listed how many records a list holds
     * @param all how many there are
     * @param what the records, in the plural
     * @return {@code 3 slashes}, or {@code the first 1000 of 1234 slashes; 'filter --decision CONTROL' lists them
     *     all}
     */
    static String listed(int listed, long all, String what) {
        return listed == all ? all + " " + what : "the first " + listed + " of " + all + " " + what + "; 'filter "
                + "--decision CONTROL' lists them all";
    }

    static String orDash(String value) {
        return value.isEmpty() ? "-" : value;
    }

    private static void toolRow(TextTable table, String name, ToolStats t) {
        table.row(name, n(t.calls()), n(t.denied), n(t.threw), t.timed == 0 ? "-" : millis(t.meanNanos()),
                t.timed == 0 ? "-" : millis(t.maxNanos));
    }

    static boolean hasOtherRing(long[][] matrix) {
        for (int i = 0; i <= ReportStats.OTHER_RING; i++) {
            if (matrix[i][ReportStats.OTHER_RING] > 0 || matrix[ReportStats.OTHER_RING][i] > 0) {
                return true;
            }
        }
        return false;
    }

    static String ringName(int ring) {
        return ring == ReportStats.OTHER_RING ? "other" : Integer.toString(ring);
    }

    static String shown(int top, int count, boolean other) {
        String more = other ? ", more folded into one row" : "";
        return count <= top ? count + " in all" + more : "top " + top + " of " + count + more;
    }

    /** @return nanoseconds as milliseconds with three decimals */
    static String millis(double nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static String n(long value) {
        return Long.toString(value);
    }
}
