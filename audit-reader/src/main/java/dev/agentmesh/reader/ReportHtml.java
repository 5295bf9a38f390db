package dev.agentmesh.reader;

import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.SagaEvent;
import dev.agentmesh.audit.format.SessionEvent;
import dev.agentmesh.reader.ReportLiability.AgentLiability;
import dev.agentmesh.reader.ReportStats.AgentStats;
import dev.agentmesh.reader.ReportStats.Control;
import dev.agentmesh.reader.ReportStats.Timeline;
import dev.agentmesh.reader.ReportStats.ToolStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code report --html} page: one self-contained HTML file a reviewer can open from an email attachment. It
 * loads nothing: no scripts, fonts, images or style sheets, only inline CSS and inline SVG. Everything that comes
 * from the trail (agent ids, class and method names, the directory name; a fleet's writer ids and topic) is escaped,
 * because agent ids are the application's input and may hold markup. Each chart carries a {@code <title>} and
 * {@code <desc>}, and its numbers are also in a table, so a screen reader loses nothing.
 */
final class ReportHtml {

    private static final int CHART_WIDTH = 720;
    private static final int CHART_HEIGHT = 220;
    private static final int BAR_ROW = 22;
    private static final int LABEL_WIDTH = 220;
    private static final int LABEL_CHARS = 32;
    private static final String ALLOWED_COLOUR = "#2b6cb0";
    private static final String DENIED_COLOUR = "#c53030";

    private static final String STYLE = String.join("\n",
            "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;margin:2rem auto;"
                    + "max-width:60rem;padding:0 1rem;color:#1a202c;background:#fff;line-height:1.4}",
            "h1{font-size:1.6rem;margin-bottom:.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid "
                    + "#cbd5e0;padding-bottom:.2rem}",
            "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.facts dt{font-weight:600}"
                    + "dl.facts dd{margin:0;overflow-wrap:anywhere}",
            "code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}",
            "table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.2rem .6rem;border-bottom:1px solid #e2e8f0;"
                    + "text-align:right}th:first-child,td:first-child{text-align:left;overflow-wrap:anywhere}",
            "th{background:#f7fafc}caption{text-align:left;font-weight:600;padding:.3rem 0}",
            ".ok{color:#22543d;font-weight:600}.legend span{display:inline-block;width:.8em;height:.8em;"
                    + "margin:0 .3em 0 1em;vertical-align:middle}",
            "svg{max-width:100%;height:auto}svg text{font-size:11px;fill:#2d3748}",
            "figure{margin:0}figcaption,.note{color:#4a5568;font-size:.9rem}");

    private ReportHtml() {
    }

    /**
     * @param scope what was verified: a trail directory, or a fleet's topic
     * @param stats what the verified records hold
     * @param top how many agents and tools to show
     * @return the whole page
     */
    static String render(ReportScope scope, ReportStats stats, int top) {
        ReportScope.Topic topic = scope instanceof ReportScope.Topic t ? t : null;
        String title = topic != null ? topic.topic() + " at " + topic.bootstrap()
                : ((ReportScope.Directory) scope).dir();
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>AgentMesh audit report: ").append(esc(title)).append("</title>\n")
                .append("<style>\n").append(STYLE).append("\n</style>\n</head>\n<body>\n");

        h.append("<header>\n<h1>AgentMesh audit report</h1>\n<dl class=\"facts\">\n");
        if (topic != null) {
            facts(h, topic, stats);
        } else {
            facts(h, (ReportScope.Directory) scope, stats);
        }
        fact(h, "Writer runs", Long.toString(stats.writerRuns));
        h.append("</dl>\n</header>\n<main>\n");

        if (topic != null) {
            writers(h, topic);
        }
        totals(h, stats);
        sessions(h, stats);
        sagas(h, stats);
        killSwitch(h, stats);
        liability(h, stats.liability, top);
        timeline(h, stats.timeline);
        denialsByAgent(h, stats, top);
        slowestTools(h, stats, top);
        agents(h, stats, top);
        tools(h, stats, top);
        rings(h, stats);

        h.append("</main>\n<footer class=\"note\">\n<p>Written by agentmesh-audit-reader <code>report</code>. ")
                .append("This file is self-contained: it loads nothing from anywhere.</p>\n</footer>\n")
                .append("</body>\n</html>\n");
        return h.toString();
    }

    /** The header's facts about one trail: where it is, its records, time span, clock, head, and what was checked. */
    private static void facts(StringBuilder h, ReportScope.Directory trail, ReportStats stats) {
        Trail.Summary summary = trail.summary();
        fact(h, "Trail", "<code>" + esc(trail.dir()) + "</code>");
        fact(h, "Records", Long.toString(summary.count()));
        timeSpan(h, stats);
        if (trail.clock().count() > 0) {
            fact(h, "Clock", "The writer's clock " + esc(ReportText.clockNote(trail.clock())));
        }
        fact(h, "Head hash", "<code>" + Hex.of(summary.headHash()) + "</code>");
        fact(h, "Verified", "<span class=\"ok\">Yes</span>: all " + summary.count()
                + " records checked against the SHA-256 hash chain, from GENESIS to the head");
        fact(h, "Not checked here", "checkpoint signatures, the anchor copy and the remembered state, which show "
                + "a trail cut short or replaced whole: run <code>verify --pubkey F --anchor F --state F</code>");
    }

    /**
     * The header's facts about a fleet's topic: where it is, its writers and records, time span and writers' clocks,
     * and what was checked. Each writer's head is in the writers table.
     */
    private static void facts(StringBuilder h, ReportScope.Topic topic, ReportStats stats) {
        fact(h, "Topic", "<code>" + esc(topic.topic()) + "</code> at <code>" + esc(topic.bootstrap()) + "</code>");
        fact(h, "Writers", Integer.toString(topic.writers().size()));
        fact(h, "Records", Long.toString(topic.records()));
        timeSpan(h, stats);
        for (WriterSummary w : topic.writers()) {
            if (w.clock().count() > 0) {
                fact(h, "Clock", "The clock of writer <code>" + esc(w.id()) + "</code> "
                        + esc(ReportText.clockNote(w.clock())));
            }
        }
        boolean allSigned = topic.writers().stream().allMatch(WriterSummary::signed);
        fact(h, "Verified", "<span class=\"ok\">Yes</span>: each writer's records checked against its own "
                + "SHA-256 hash chain, from GENESIS to its head, and its stream against its newest checkpoint on "
                + "<code>" + esc(topic.topic()) + ".checkpoints</code> where it has one"
                + (allSigned ? ", every one signed by the key given" : ""));
        fact(h, "Not checked here", (allSigned ? "" : "checkpoint signatures (run with <code>--pubkey F</code>, "
                + "and every writer must have a signed checkpoint); ") + "writers whose stream and checkpoints are "
                + "missing from the topic altogether: the topic cannot say who should be on it");
    }

    private static void timeSpan(StringBuilder h, ReportStats stats) {
        fact(h, "Time span", esc(IsoTime.of(stats.firstMillis)) + " to " + esc(IsoTime.of(stats.lastMillis)));
    }

    /**
     * A fleet's writers: one row each, with its records, the start of its head hash (all of it in the cell's title)
     * and its checkpoint, then a footer row for them all.
     */
    private static void writers(StringBuilder h, ReportScope.Topic topic) {
        section(h, "writers", "Writers");
        h.append("<table>\n<caption>Each writer's stream on the topic, by writer id; ")
                .append(topic.writers().size()).append(" in all</caption>\n<thead><tr>")
                .append("<th scope=\"col\">Writer</th><th scope=\"col\">Records</th>")
                .append("<th scope=\"col\">Head hash</th><th scope=\"col\">Checkpoint</th></tr></thead>\n<tbody>\n");
        for (WriterSummary w : topic.writers()) {
            h.append("<tr><td><code>").append(esc(w.id())).append("</code></td><td>").append(w.records())
                    .append("</td><td><code title=\"").append(Hex.of(w.headHash())).append("\">")
                    .append(ReportText.shortHash(w.headHash())).append("</code></td><td>").append(w.checkpoint())
                    .append("</td></tr>\n");
        }
        h.append("</tbody>\n<tfoot><tr><th scope=\"row\">All writers</th><td>").append(topic.records())
                .append("</td><td></td><td></td></tr></tfoot>\n</table>\n</section>\n");
    }

    private static void fact(StringBuilder h, String name, String valueHtml) {
        h.append("<dt>").append(name).append("</dt><dd>").append(valueHtml).append("</dd>\n");
    }

    private static void totals(StringBuilder h, ReportStats s) {
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("Records", s.records);
        rows.put("Writer runs (GENESIS)", s.writerRuns);
        rows.put("Calls allowed (ALLOW)", s.allowed);
        rows.put("Calls denied (DENY)", s.denied);
        rows.put("Returned (RETURNED)", s.returned);
        rows.put("Threw (THREW)", s.threw);
        rows.put("Still open (no outcome yet)", s.stillOpen());
        counts(h, "totals", "Totals", "Records by kind", rows);
    }

    /** Only for trails with SESSION records, as in the text report. */
    private static void sessions(StringBuilder h, ReportStats s) {
        if (s.sessionEvents == 0) {
            return;
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        rows.put("Sessions created (distinct ids)", s.sessionsCreated);
        rows.put("Session events (SESSION)", s.sessionEvents);
        for (SessionEvent e : SessionEvent.values()) {
            rows.put(e.label(), s.sessionEventsByKind[e.ordinal()]);
        }
        counts(h, "sessions", "Sessions", "Sessions, and SESSION records by event", rows);
    }

    /** Only for trails with SAGA records, as in the text report. */
    private static void sagas(StringBuilder h, ReportStats s) {
        if (s.sagaEvents == 0) {
            return;
        }
        Map<String, Long> rows = capitalized(s.sagaTotals());
        for (SagaEvent e : SagaEvent.values()) {
            rows.put(e.label(), s.sagaEvents(e));
        }
        counts(h, "sagas", "Sagas", "Sagas by end state, and SAGA records by event", rows);
    }

    /**
     * Only for trails with CONTROL records: the kill switch's counts, then each CONTROL record, by subject, with its
     * actor (the operator, the voucher, the offender of a slash) and reason.
     */
    private static void killSwitch(StringBuilder h, ReportStats s) {
        if (s.controlEvents == 0) {
            return;
        }
        section(h, "kill-switch", "Kill switch");
        countsTable(h, "CONTROL records by event, and the subjects they name", capitalized(s.controlTotals()));
        List<Control> controls = s.controlsBySubject();
        h.append("<table>\n<caption>CONTROL records, by subject, in trail order; ")
                .append(ReportText.listed(controls.size(), s.controlEvents)).append("</caption>\n<thead><tr>")
                .append("<th scope=\"col\">Subject</th><th scope=\"col\">Event</th><th scope=\"col\">Time</th>")
                .append("<th scope=\"col\">Actor</th><th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n");
        for (Control c : controls) {
            h.append("<tr><td><code>").append(esc(c.subject())).append("</code></td><td>").append(c.event().label())
                    .append("</td><td>").append(IsoTime.of(c.timeMillis())).append("</td><td>")
                    .append(esc(ReportText.orDash(c.actor()))).append("</td><td>")
                    .append(esc(ReportText.orDash(c.reason()))).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    /**
     * Only when some call was denied or some agent breached or was slashed, as in the text report: the counts, the
     * top agents by points lost with their faults and whose faults they bore, and the slashes in trail order.
     */
    private static void liability(StringBuilder h, ReportLiability l, int top) {
        if (l.isEmpty()) {
            return;
        }
        section(h, "liability", "Liability");
        countsTable(h, "Faults (denials and breaches) and trust points lost (slashes)", capitalized(l.totals()));
        List<AgentLiability> agents = l.agentsByLiability();
        AgentLiability other = l.otherAgents();
        List<String[]> rows = new ArrayList<>();
        agents.subList(0, Math.min(top, agents.size())).forEach(a -> rows.add(a.cells()));
        if (other != null) {
            rows.add(other.cells());
        }
        table(h, "Per agent, most points lost first; " + ReportText.shown(top, agents.size(), other != null),
                ReportLiability.AGENT_COLUMNS, rows);
        if (l.slashes > 0) {
            List<String[]> slashes = new ArrayList<>();
            l.slashes().forEach(slash -> slashes.add(slash.cells()));
            table(h, "Slashes, in trail order; " + ReportText.listed(slashes.size(), l.slashes, "slashes"),
                    ReportLiability.SLASH_COLUMNS, slashes);
        }
        String note = l.unknownPointsNote();
        if (note != null) {
            h.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
        }
        h.append("</section>\n");
    }

    /** A table of text from the trail: every cell is escaped here. */
    private static void table(StringBuilder h, String caption, List<String> columns, List<String[]> rows) {
        h.append("<table>\n<caption>").append(caption).append("</caption>\n<thead><tr>");
        columns.forEach(c -> h.append("<th scope=\"col\">").append(c).append("</th>"));
        h.append("</tr></thead>\n<tbody>\n");
        for (String[] row : rows) {
            h.append("<tr>");
            for (String cell : row) {
                h.append("<td>").append(esc(cell)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    /** @return the same counts, in the same order, each name starting with a capital as a table heading does */
    private static Map<String, Long> capitalized(Map<String, Long> counts) {
        Map<String, Long> rows = new LinkedHashMap<>();
        counts.forEach((name, count) -> rows.put(Character.toUpperCase(name.charAt(0)) + name.substring(1), count));
        return rows;
    }

    /** A section holding one table of counts, a row for each entry of {@code rows}, in their order. */
    private static void counts(StringBuilder h, String id, String title, String caption, Map<String, Long> rows) {
        section(h, id, title);
        countsTable(h, caption, rows);
        h.append("</section>\n");
    }

    /** Opens a section with its heading. */
    private static void section(StringBuilder h, String id, String title) {
        h.append("<section>\n<h2 id=\"").append(id).append("\">").append(title).append("</h2>\n");
    }

    /** A table of counts, a row for each entry of {@code rows}, in their order. */
    private static void countsTable(StringBuilder h, String caption, Map<String, Long> rows) {
        h.append("<table>\n<caption>").append(caption).append("</caption>\n<thead><tr>")
                .append("<th scope=\"col\">Kind</th><th scope=\"col\">Count</th></tr></thead>\n<tbody>\n");
        rows.forEach((name, count) -> row(h, name, count));
        h.append("</tbody>\n</table>\n");
    }

    private static void row(StringBuilder h, String name, long value) {
        h.append("<tr><th scope=\"row\">").append(name).append("</th><td>").append(value).append("</td></tr>\n");
    }

    private static void timeline(StringBuilder h, Timeline t) {
        h.append("<section>\n<h2 id=\"calls-over-time\">Calls over time</h2>\n");
        int used = t.used();
        if (used == 0) {
            h.append("<p>No calls in this trail.</p>\n</section>\n");
            return;
        }
        long peak = 1;
        for (int i = 0; i < used; i++) {
            peak = Math.max(peak, t.allowed[i] + t.denied[i]);
        }
        String width = duration(t.widthMillis);
        String from = IsoTime.of(t.originMillis);
        String to = IsoTime.of(t.originMillis + used * t.widthMillis);
        int left = 50;
        int bottom = 30;
        int top = 10;
        int plotW = CHART_WIDTH - left - 10;
        int plotH = CHART_HEIGHT - top - bottom;
        double barW = (double) plotW / used;
        h.append("<figure>\n<svg role=\"img\" aria-labelledby=\"cot-title cot-desc\" width=\"").append(CHART_WIDTH)
                .append("\" height=\"").append(CHART_HEIGHT).append("\" viewBox=\"0 0 ").append(CHART_WIDTH)
                .append(' ').append(CHART_HEIGHT).append("\">\n")
                .append("<title id=\"cot-title\">Calls over time: allowed and denied per ").append(width)
                .append("</title>\n<desc id=\"cot-desc\">Stacked bars, one per ").append(width).append(" from ")
                .append(from).append(" to ").append(to).append(": allowed calls in blue, denied calls in red above "
                        + "them. The tallest bar holds ").append(peak).append(" calls.</desc>\n");
        // Axes and the peak label.
        h.append("<line x1=\"").append(left).append("\" y1=\"").append(top).append("\" x2=\"").append(left)
                .append("\" y2=\"").append(top + plotH).append("\" stroke=\"#718096\"/>\n")
                .append("<line x1=\"").append(left).append("\" y1=\"").append(top + plotH).append("\" x2=\"")
                .append(left + plotW).append("\" y2=\"").append(top + plotH).append("\" stroke=\"#718096\"/>\n")
                .append("<text x=\"").append(left - 4).append("\" y=\"").append(top + 8)
                .append("\" text-anchor=\"end\">").append(peak).append("</text>\n")
                .append("<text x=\"").append(left - 4).append("\" y=\"").append(top + plotH)
                .append("\" text-anchor=\"end\">0</text>\n")
                .append("<text x=\"").append(left).append("\" y=\"").append(CHART_HEIGHT - 8).append("\">")
                .append(from).append("</text>\n")
                .append("<text x=\"").append(left + plotW).append("\" y=\"").append(CHART_HEIGHT - 8)
                .append("\" text-anchor=\"end\">").append(to).append("</text>\n");
        for (int i = 0; i < used; i++) {
            long a = t.allowed[i];
            long d = t.denied[i];
            if (a + d == 0) {
                continue;
            }
            double x = left + i * barW;
            double ha = plotH * (double) a / peak;
            double hd = plotH * (double) d / peak;
            double base = top + plotH;
            String label = IsoTime.of(t.originMillis + i * t.widthMillis) + " (" + width + "): " + a
                    + " allowed, " + d + " denied";
            h.append("<g><title>").append(label).append("</title>");
            if (a > 0) {
                rect(h, x, base - ha, Math.max(barW - 1, 1), ha, ALLOWED_COLOUR);
            }
            if (d > 0) {
                rect(h, x, base - ha - hd, Math.max(barW - 1, 1), hd, DENIED_COLOUR);
            }
            h.append("</g>\n");
        }
        h.append("</svg>\n<figcaption class=\"legend\">Each bar is ").append(width).append(":")
                .append("<span style=\"background:").append(ALLOWED_COLOUR).append("\"></span>allowed")
                .append("<span style=\"background:").append(DENIED_COLOUR).append("\"></span>denied")
                .append("</figcaption>\n</figure>\n");
        // The same numbers for a screen reader, or to copy.
        h.append("<details>\n<summary>Calls over time as a table</summary>\n<table>\n<thead><tr>")
                .append("<th scope=\"col\">From</th><th scope=\"col\">Allowed</th><th scope=\"col\">Denied</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < used; i++) {
            h.append("<tr><td>").append(IsoTime.of(t.originMillis + i * t.widthMillis)).append("</td><td>")
                    .append(t.allowed[i]).append("</td><td>").append(t.denied[i]).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</details>\n</section>\n");
    }

    private static void denialsByAgent(StringBuilder h, ReportStats s, int top) {
        h.append("<section>\n<h2 id=\"denials-by-agent\">Denials by agent</h2>\n");
        List<AgentStats> all = s.agentsByDenials();
        AgentStats other = s.otherAgents();
        boolean otherDenied = other != null && other.denied > 0;
        if (all.isEmpty() && !otherDenied) {
            h.append("<p>No calls were denied.</p>\n</section>\n");
            return;
        }
        List<AgentStats> shown = all.subList(0, Math.min(top, all.size()));
        int rows = shown.size() + (otherDenied ? 1 : 0);
        long peak = otherDenied ? other.denied : 1;
        for (AgentStats a : shown) {
            peak = Math.max(peak, a.denied);
        }
        int height = rows * BAR_ROW + 10;
        int plotW = CHART_WIDTH - LABEL_WIDTH - 60;
        h.append("<figure>\n<svg role=\"img\" aria-labelledby=\"dba-title dba-desc\" width=\"").append(CHART_WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(CHART_WIDTH).append(' ')
                .append(height).append("\">\n<title id=\"dba-title\">Denials by agent</title>\n")
                .append("<desc id=\"dba-desc\">Horizontal bars, one per agent with denials, most denials first (")
                .append(ReportText.shown(top, all.size(), otherDenied)).append(").</desc>\n");
        int y = 5;
        for (AgentStats a : shown) {
            agentBar(h, esc(a.id), a.denied, peak, y, plotW);
            y += BAR_ROW;
        }
        if (otherDenied) {
            agentBar(h, esc(other.id), other.denied, peak, y, plotW);
        }
        h.append("</svg>\n<figcaption>Denied calls per agent; ")
                .append(ReportText.shown(top, all.size(), otherDenied)).append(".</figcaption>\n</figure>\n")
                .append("</section>\n");
    }

    private static void agentBar(StringBuilder h, String escapedId, long denied, long peak, int y, int plotW) {
        double w = Math.max(plotW * (double) denied / peak, 1);
        h.append("<g><title>").append(escapedId).append(": ").append(denied).append(" denied</title>")
                .append("<text x=\"").append(LABEL_WIDTH - 6).append("\" y=\"").append(y + 14)
                .append("\" text-anchor=\"end\">").append(shorten(escapedId)).append("</text>");
        rect(h, LABEL_WIDTH, y + 3, w, BAR_ROW - 6, DENIED_COLOUR);
        h.append("<text x=\"").append(fmt(LABEL_WIDTH + w + 4)).append("\" y=\"").append(y + 14).append("\">")
                .append(denied).append("</text></g>\n");
    }

    private static void slowestTools(StringBuilder h, ReportStats s, int top) {
        h.append("<section>\n<h2 id=\"slowest-tools\">Slowest tools</h2>\n");
        List<ToolStats> slow = s.toolsBySlowness();
        if (slow.isEmpty()) {
            h.append("<p>No call in this trail has its outcome recorded, so there are no durations.</p>\n")
                    .append("</section>\n");
            return;
        }
        h.append("<table>\n<caption>By mean duration of calls whose outcome is in the trail; ")
                .append(ReportText.shown(top, slow.size(), false)).append("</caption>\n<thead><tr>")
                .append("<th scope=\"col\">Tool</th><th scope=\"col\">Timed calls</th>")
                .append("<th scope=\"col\">Mean (ms)</th><th scope=\"col\">Max (ms)</th></tr></thead>\n<tbody>\n");
        for (ToolStats t : slow.subList(0, Math.min(top, slow.size()))) {
            h.append("<tr><td><code>").append(esc(t.name())).append("</code></td><td>").append(t.timed)
                    .append("</td><td>").append(ReportText.millis(t.meanNanos())).append("</td><td>")
                    .append(ReportText.millis(t.maxNanos)).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void agents(StringBuilder h, ReportStats s, int top) {
        List<AgentStats> all = s.agentsByCalls();
        AgentStats other = s.otherAgents();
        h.append("<section>\n<h2 id=\"agents\">Agents</h2>\n<table>\n<caption>By calls; ")
                .append(ReportText.shown(top, all.size(), other != null)).append("</caption>\n<thead><tr>")
                .append("<th scope=\"col\">Agent</th><th scope=\"col\">Calls</th><th scope=\"col\">Allowed</th>")
                .append("<th scope=\"col\">Denied</th><th scope=\"col\">Threw</th></tr></thead>\n<tbody>\n");
        for (AgentStats a : all.subList(0, Math.min(top, all.size()))) {
            agentRow(h, a);
        }
        if (other != null) {
            agentRow(h, other);
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void agentRow(StringBuilder h, AgentStats a) {
        h.append("<tr><td>").append(esc(a.id)).append("</td><td>").append(a.calls()).append("</td><td>")
                .append(a.allowed).append("</td><td>").append(a.denied).append("</td><td>").append(a.threw)
                .append("</td></tr>\n");
    }

    private static void tools(StringBuilder h, ReportStats s, int top) {
        List<ToolStats> all = s.toolsByCalls();
        ToolStats other = s.otherTools();
        h.append("<section>\n<h2 id=\"tools\">Tools</h2>\n<table>\n<caption>By calls; ")
                .append(ReportText.shown(top, all.size(), other != null)).append("</caption>\n<thead><tr>")
                .append("<th scope=\"col\">Tool</th><th scope=\"col\">Calls</th><th scope=\"col\">Denied</th>")
                .append("<th scope=\"col\">Threw</th><th scope=\"col\">Mean (ms)</th><th scope=\"col\">Max (ms)</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (ToolStats t : all.subList(0, Math.min(top, all.size()))) {
            toolRow(h, t);
        }
        if (other != null) {
            toolRow(h, other);
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void toolRow(StringBuilder h, ToolStats t) {
        h.append("<tr><td><code>").append(esc(t.name())).append("</code></td><td>").append(t.calls())
                .append("</td><td>").append(t.denied).append("</td><td>").append(t.threw).append("</td><td>")
                .append(t.timed == 0 ? "-" : ReportText.millis(t.meanNanos())).append("</td><td>")
                .append(t.timed == 0 ? "-" : ReportText.millis(t.maxNanos)).append("</td></tr>\n");
    }

    private static void rings(StringBuilder h, ReportStats s) {
        boolean other = ReportText.hasOtherRing(s.denialsByRing);
        int rings = other ? ReportStats.OTHER_RING + 1 : ReportStats.OTHER_RING;
        h.append("<section>\n<h2 id=\"rings\">Denials by ring</h2>\n<table>\n<caption>Rows: the agent's ring; ")
                .append("columns: the ring the tool requires</caption>\n<thead><tr><th scope=\"col\">Agent ring</th>");
        for (int c = 0; c < rings; c++) {
            h.append("<th scope=\"col\">Requires ").append(ReportText.ringName(c)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < rings; r++) {
            h.append("<tr><th scope=\"row\">").append(ReportText.ringName(r)).append("</th>");
            for (int c = 0; c < rings; c++) {
                h.append("<td>").append(s.denialsByRing[r][c]).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void rect(StringBuilder h, double x, double y, double w, double height, String colour) {
        h.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(fmt(y)).append("\" width=\"").append(fmt(w))
                .append("\" height=\"").append(fmt(height)).append("\" fill=\"").append(colour).append("\"/>");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Shortens an escaped label for the chart; the full one is in the bar's title. Never cuts an entity. */
    private static String shorten(String escaped) {
        int visible = 0;
        for (int i = 0; i < escaped.length(); i++) {
            if (visible == LABEL_CHARS) {
                return escaped.substring(0, i) + "…";
            }
            char c = escaped.charAt(i);
            if (c == '&') {
                int end = escaped.indexOf(';', i);
                i = end < 0 ? i : end;
            } else if (Character.isHighSurrogate(c) && i + 1 < escaped.length()) {
                i++;
            }
            visible++;
        }
        return escaped;
    }

    /** @return a human duration for a bucket width: 1 s, 2 min 8 s, 4 h 33 min 4 s, … */
    static String duration(long millis) {
        long s = millis / 1000;
        if (s < 60) {
            return s + " s";
        }
        StringBuilder out = new StringBuilder();
        long d = s / 86_400;
        long hours = s / 3600 % 24;
        long min = s / 60 % 60;
        long sec = s % 60;
        if (d > 0) {
            out.append(d).append(" d ");
        }
        if (hours > 0) {
            out.append(hours).append(" h ");
        }
        if (min > 0) {
            out.append(min).append(" min ");
        }
        if (sec > 0) {
            out.append(sec).append(" s ");
        }
        return out.toString().strip();
    }

    /**
     * Escapes text for HTML element content and attribute values. Control characters are shown escaped, as in the
     * text formats ({@link TextFormat#safe}), so they cannot upset the page either.
     */
    static String esc(String value) {
        String safe = TextFormat.safe(value);
        StringBuilder out = new StringBuilder(safe.length() + 16);
        for (int i = 0; i < safe.length(); i++) {
            char c = safe.charAt(i);
            switch (c) {
                case '&': out.append("&amp;"); break;
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&#39;"); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }
}
