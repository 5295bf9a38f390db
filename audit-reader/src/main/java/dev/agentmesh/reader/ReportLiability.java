package dev.agentmesh.reader;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ControlEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code report}'s liability section counts, as {@link ReportStats} feeds it, in bounded memory:
 *
 * <ul>
 *   <li>faults per agent: its denials, split into ring violations (the agent's ring less privileged than the ring the
 *       method requires) and other denials (killed, quarantined, rate-limited, session closed), and the BREACH
 *       records naming it;</li>
 *   <li>trust points lost per agent, from SLASHED records ({@link SlashDetail}): as the offender (level 0), and
 *       bearing others' faults as their voucher (level 1 and up), with whose faults those were (the record's actor,
 *       the offender);</li>
 *   <li>the first {@link #MAX_SLASHES_LISTED} slashes, for the list; later ones are counted only.</li>
 * </ul>
 *
 * <p>As in the rest of the report, at most {@link ReportStats#MAX_KEYS} agents are counted one by one, and later new
 * ones together in one "(other agents)" row; each agent remembers at most {@link #MAX_BORNE_FOR} offenders whose
 * faults it bore, and the points of later new ones together under "(other agents)".
 */
final class ReportLiability {

    /** How many SLASHED records the list keeps, as many as the kill-switch list keeps CONTROL records. */
    static final int MAX_SLASHES_LISTED = ReportStats.MAX_CONTROLS_LISTED;

    /** How many offenders one agent remembers bearing faults for; a voucher backs a few agents, not thousands. */
    static final int MAX_BORNE_FOR = 100;

    /** The row, and the offender, that stands for every agent past the caps. */
    static final String OTHER_AGENTS = "(other agents)";

    /** The per-agent table's column headings, for the text report in upper case. */
    static final List<String> AGENT_COLUMNS = List.of("Agent", "Ring violations", "Other denials", "Breaches",
            "Slashes", "Lost as offender", "Lost for others", "Borne for");

    /** The slash list's column headings, for the text report in upper case. */
    static final List<String> SLASH_COLUMNS = List.of("Seq", "Time", "Agent", "Points", "Level", "Offender", "Chain",
            "Cause");

    /** How many offenders a row of the per-agent table names before it says how many more there are. */
    static final int BORNE_FOR_SHOWN = 3;

    long ringViolations;
    long otherDenials;
    long breaches;
    long slashes;
    /** Points taken in all, from the slashes whose detail says how many. */
    long pointsLost;
    /** Slashes whose detail does not say how many points: counted, their points not. */
    long slashesOfUnknownPoints;

    private final Map<String, AgentLiability> agents = new HashMap<>();
    private final AgentLiability otherAgents = new AgentLiability(OTHER_AGENTS);
    private final List<Slash> listed = new ArrayList<>();

    /** @param r a DENY record */
    void denial(AuditRecord r) {
        AgentLiability agent = agent(r.agentId());
        // Ring 0 is the most privileged: a ring above the one required is a call the agent's ring never allows.
        if (r.agentRing() > r.requiredRing()) {
            ringViolations++;
            agent.ringViolations++;
        } else {
            otherDenials++;
            agent.otherDenials++;
        }
    }

    /** @param r a CONTROL record; only BREACH and SLASHED records count here */
    void control(AuditRecord r) {
        if (r.controlEvent() == ControlEvent.BREACH) {
            breaches++;
            agent(agentOf(r.subject())).breaches++;
        } else if (r.controlEvent() == ControlEvent.SLASHED) {
            slash(r);
        }
    }

    private void slash(AuditRecord r) {
        String who = agentOf(r.subject());
        SlashDetail detail = SlashDetail.parse(r.detail());
        // Level 0 is the offender's own loss; without a readable level, the actor (the offender) says whose it was.
        boolean asOffender = detail.level() == 0 || (detail.level() < 0 && r.actor().equals(who));
        AgentLiability agent = agent(who);
        slashes++;
        agent.slashes++;
        if (!detail.pointsKnown()) {
            slashesOfUnknownPoints++;
        } else if (asOffender) {
            pointsLost += detail.points();
            agent.pointsAsOffender += detail.points();
        } else {
            pointsLost += detail.points();
            agent.pointsForOthers += detail.points();
            agent.bore(r.actor(), detail.points());
        }
        if (listed.size() < MAX_SLASHES_LISTED) {
            listed.add(new Slash(r.seq(), r.timeMillis(), who, detail.points(), detail.level(), r.actor(),
                    detail.chain(), r.reason()));
        }
    }

    /** @return {@code id} of {@code agent:<id>}; any other subject as it is */
    static String agentOf(String subject) {
        return subject.startsWith("agent:") ? subject.substring("agent:".length()) : subject;
    }

    private AgentLiability agent(String id) {
        AgentLiability a = agents.get(id);
        if (a == null) {
            if (agents.size() >= ReportStats.MAX_KEYS) {
                return otherAgents;
            }
            a = new AgentLiability(id);
            agents.put(id, a);
        }
        return a;
    }

    /** @return whether there is nothing to show: no denial, no breach, no slash */
    boolean isEmpty() {
        return ringViolations + otherDenials + breaches + slashes == 0;
    }

    /** @return the section's counts, as the text and HTML reports list them */
    Map<String, Long> totals() {
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put("ring violations", ringViolations);
        totals.put("other denials", otherDenials);
        totals.put("breaches", breaches);
        totals.put("slashes", slashes);
        totals.put("points lost", pointsLost);
        return totals;
    }

    /** @return the agents counted one by one, most points lost first, then most faults, then by id */
    List<AgentLiability> agentsByLiability() {
        List<AgentLiability> list = new ArrayList<>(agents.values());
        list.sort(Comparator.comparingLong(AgentLiability::pointsLost).reversed()
                .thenComparing(Comparator.comparingLong(AgentLiability::faults).reversed())
                .thenComparing(a -> a.id));
        return list;
    }

    /** @return the row that holds agents past {@link ReportStats#MAX_KEYS}, or {@code null} if there were none */
    AgentLiability otherAgents() {
        return otherAgents.faults() + otherAgents.slashes > 0 ? otherAgents : null;
    }

    /** @return the slashes kept (the first {@link #MAX_SLASHES_LISTED}), in trail order */
    List<Slash> slashes() {
        return List.copyOf(listed);
    }

    /** @return the note the reports end the section with, or {@code null} if every slash said its points */
    String unknownPointsNote() {
        if (slashesOfUnknownPoints == 0) {
            return null;
        }
        return slashesOfUnknownPoints + (slashesOfUnknownPoints == 1 ? " slash does" : " slashes do")
                + " not say how many points were lost (a detail other than points=<n> … chain=<…>): counted, but "
                + "not in the points.";
    }

    /** Faults and losses of one agent. */
    static final class AgentLiability {
        final String id;
        long ringViolations;
        long otherDenials;
        long breaches;
        long slashes;
        long pointsAsOffender;
        long pointsForOthers;
        /** Points lost bearing each offender's faults, by offender; past the cap, under {@link #OTHER_AGENTS}. */
        private final Map<String, Long> borneFor = new HashMap<>();

        AgentLiability(String id) {
            this.id = id;
        }

        long faults() {
            return ringViolations + otherDenials + breaches;
        }

        long pointsLost() {
            return pointsAsOffender + pointsForOthers;
        }

        private void bore(String offender, long points) {
            String key = borneFor.containsKey(offender) || borneFor.size() < MAX_BORNE_FOR ? offender : OTHER_AGENTS;
            borneFor.merge(key, points, Long::sum);
        }

        /**
         * @return whose faults it bore, as {@code helper 25, scout 10, +2 more}: most points first, at most
         *     {@link #BORNE_FOR_SHOWN} named; {@code -} if none
         */
        String borneFor() {
            if (borneFor.isEmpty()) {
                return "-";
            }
            List<Map.Entry<String, Long>> list = new ArrayList<>(borneFor.entrySet());
            list.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            StringBuilder out = new StringBuilder();
            for (Map.Entry<String, Long> e : list.subList(0, Math.min(BORNE_FOR_SHOWN, list.size()))) {
                out.append(out.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
            }
            if (list.size() > BORNE_FOR_SHOWN) {
                out.append(", +").append(list.size() - BORNE_FOR_SHOWN).append(" more");
            }
            return out.toString();
        }

        /** @return its row, one cell per {@link #AGENT_COLUMNS}, unescaped */
        String[] cells() {
            return new String[] {id, n(ringViolations), n(otherDenials), n(breaches), n(slashes),
                n(pointsAsOffender), n(pointsForOthers), borneFor()};
        }
    }

    /**
     * One SLASHED record, as the list shows it.
     *
     * @param agent who lost the points
     * @param points how many, or -1 if the detail does not say
     * @param level 0 for the offender's own loss, {@code k} for a voucher {@code k} levels up, -1 if unknown
     * @param offender whose fault it was: the record's actor
     * @param chain the chain of attribution, empty if unknown
     * @param cause the record's reason
     */
    record Slash(long seq, long timeMillis, String agent, long points, int level, String offender, String chain,
            String cause) {

        /** @return its row, one cell per {@link #SLASH_COLUMNS}, unescaped */
        String[] cells() {
            return new String[] {n(seq), IsoTime.of(timeMillis), agent, points < 0 ? "?" : n(points),
                level < 0 ? "?" : Integer.toString(level), ReportText.orDash(offender), ReportText.orDash(chain),
                ReportText.orDash(cause)};
        }
    }

    /** @return the headings in upper case, as the text report's tables have them */
    static String[] upperCase(List<String> columns) {
        return columns.stream().map(c -> c.toUpperCase(Locale.ROOT)).toArray(String[]::new);
    }

    private static String n(long value) {
        return Long.toString(value);
    }
}
