package dev.agentmesh.reader;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.SagaEvent;
import dev.agentmesh.audit.format.SessionEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code report} counts, gathered as verified records stream past, in bounded memory: totals, per agent, per
 * tool, per ring, and calls over time. A tool is named {@code Class#method} for a plain {@code @Ring} call, and
 * {@code framework:tool} (as {@code langchain4j:web_search}) for a call of an agent framework's tool, whichever Java
 * method implements it. Nothing here grows with the length of the trail:
 *
 * <ul>
 *   <li>at most {@link #MAX_KEYS} distinct agents and as many tools are counted one by one; later new ones are
 *       folded into one "(other agents)" / "(other tools)" row;</li>
 *   <li>durations come from outcomes matched to their ALLOW through {@code callSeq}, remembering at most
 *       {@link #MAX_OPEN_CALLS} calls still waiting for their outcome (the oldest is forgotten first; its outcome is
 *       then counted in the totals only, as unattributed);</li>
 *   <li>calls over time go into {@link Timeline#BUCKETS} buckets whose width doubles as the trail gets longer;</li>
 *   <li>sessions are told apart by id for the first {@link #MAX_KEYS} created; after that, each further CREATED
 *       of an id not among them counts as a new session; sagas likewise, by their SAGA_STARTED records, and the
 *       subjects of CONTROL records;</li>
 *   <li>the first {@link #MAX_CONTROLS_LISTED} CONTROL records are kept for the kill-switch list; later ones are
 *       counted only;</li>
 *   <li>faults and trust points lost per agent, and the slashes listed, are bounded in {@link ReportLiability};</li>
 *   <li>the steps back of the writer's clock are counted, and the first few kept, in {@link ClockSteps}.</li>
 * </ul>
 *
 * <p>A report over a fleet's topic ({@link #ofTopic}) takes the records of many writers' streams, interleaved, each
 * with its writer. Counts are of the whole fleet; what a single trail orders by seq or time is kept apart per writer
 * instead: an outcome closes the call of its own writer's seq, the time span runs from the earliest time to the latest
 * and calls over time reach back to an earlier writer's, and where a writer's clock went back is its own stream's
 * business ({@link TopicTrails.Writer#clock}), so {@link #clock} stays empty. Memory grows with the number of writers
 * by one map entry each, as the verification's own does.
 */
final class ReportStats implements Trail.Sink, TopicTrails.Sink {

    /** How many distinct agents, and how many distinct tools, are counted one by one. */
    static final int MAX_KEYS = 10_000;

    /** How many calls waiting for their outcome are remembered, as in {@code filter}. */
    static final int MAX_OPEN_CALLS = FilterCommand.MAX_OPEN_CALLS;

    /** How many CONTROL records the kill-switch list keeps; an operator's kills and revivals are few. */
    static final int MAX_CONTROLS_LISTED = 1_000;

    /** Ring index for rings outside 0..3, which the format's u8 could carry. */
    static final int OTHER_RING = 4;

    long records;
    long writerRuns;
    long allowed;
    long denied;
    long returned;
    long threw;
    /** Outcomes whose ALLOW had been forgotten (see {@link #MAX_OPEN_CALLS}): in the totals, not per agent/tool. */
    long unattributedOutcomes;
    long firstMillis;
    long lastMillis;
    /** SESSION records. */
    long sessionEvents;
    /** Distinct session ids with a CREATED record (see the class comment for the bound). */
    long sessionsCreated;
    /** SESSION records by event, indexed by {@link SessionEvent#ordinal()}. */
    final long[] sessionEventsByKind = new long[SessionEvent.values().length];
    /** SAGA records. */
    long sagaEvents;
    /** Distinct saga ids with a SAGA_STARTED record (bounded as sessions are). */
    long sagasStarted;
    /** SAGA records by event, indexed by {@link SagaEvent#ordinal()}. */
    final long[] sagaEventsByKind = new long[SagaEvent.values().length];
    /** CONTROL records: the kill switch. */
    long controlEvents;
    /** Distinct subjects of CONTROL records (bounded as sessions are). */
    long controlSubjects;
    /** CONTROL records by event, indexed by {@link ControlEvent#ordinal()}. */
    final long[] controlEventsByKind = new long[ControlEvent.values().length];

    /** Denials, BREACH and SLASHED records: who was at fault, and who paid for it. */
    final ReportLiability liability = new ReportLiability();

    /** Denials by [agent ring][required ring]; index {@link #OTHER_RING} holds rings outside 0..3. */
    final long[][] denialsByRing = new long[5][5];
    /** Allowed calls by agent ring. */
    final long[] allowedByAgentRing = new long[5];
    /** Denied calls by agent ring. */
    final long[] deniedByAgentRing = new long[5];

    private final Map<String, AgentStats> agents = new HashMap<>();
    private final AgentStats otherAgents = new AgentStats("(other agents)");
    private final Map<String, Map<String, ToolStats>> toolsByClass = new HashMap<>();
    /** Framework tools, by framework, then by the framework's tool name: kept apart from classes, never confused. */
    private final Map<String, Map<String, ToolStats>> toolsByFramework = new HashMap<>();
    private int toolCount;
    private final ToolStats otherTools = new ToolStats("(other tools)", "", '#');
    /** Calls waiting for their outcome, by writer and seq: seqs repeat across a fleet's writers. */
    private final Map<CallKey, OpenCall> open;
    /** Whether the records are a fleet's, each with its writer ({@link #ofTopic}), rather than one trail's. */
    private final boolean fleet;
    /** A fleet's writers, each numbered for {@link CallKey}; a single trail is writer 0 and never looked up. */
    private final Map<String, Integer> writers = new HashMap<>();
    private final Set<String> createdSessions = new HashSet<>();
    private final Set<String> startedSagas = new HashSet<>();
    private final Set<String> seenSubjects = new HashSet<>();
    private final List<Control> controls = new ArrayList<>();
    final Timeline timeline;
    /** Where the writer's clock went back: counted, the first few kept. Empty for a fleet (see the class comment). */
    final ClockSteps clock = new ClockSteps();

    /** Counts for one trail, fed through {@link #accept(VerifiedRecord)}. */
    ReportStats() {
        this(MAX_OPEN_CALLS, false);
    }

    /** As {@link #ReportStats()}, remembering at most {@code maxOpenCalls} calls waiting for their outcome. */
    ReportStats(int maxOpenCalls) {
        this(maxOpenCalls, false);
    }

    private ReportStats(int maxOpenCalls, boolean fleet) {
        this.fleet = fleet;
        this.timeline = new Timeline(fleet);
        // Insertion order is trail order, so the eldest entry is the oldest call: the likeliest never to end.
        open = new LinkedHashMap<>(64, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<CallKey, OpenCall> eldest) {
                return size() > maxOpenCalls;
            }
        };
    }

    /** @return counts for a fleet's topic, fed through {@link #accept(String, VerifiedRecord)} */
    static ReportStats ofTopic() {
        return new ReportStats(MAX_OPEN_CALLS, true);
    }

    @Override
    public void accept(VerifiedRecord record) {
        accept(record.record());
    }

    /** @param r the next record of the trail */
    void accept(AuditRecord r) {
        if (fleet) {
            throw new IllegalStateException("a fleet's records come with their writer");
        }
        if (records == 0) {
            firstMillis = r.timeMillis();
        }
        lastMillis = r.timeMillis();
        clock.accept(r.seq(), r.timeMillis());
        count(r, 0);
    }

    @Override
    public void accept(String writer, VerifiedRecord record) {
        accept(writer, record.record());
    }

    /**
     * @param writer the writer whose stream {@code r} is next in
     * @param r the next record of that writer's stream
     */
    void accept(String writer, AuditRecord r) {
        if (!fleet) {
            throw new IllegalStateException("one trail's records have no writer: use ReportStats.ofTopic()");
        }
        // Writers' streams interleave, so no record is "the first" or "the last" in time: take the extremes.
        long time = r.timeMillis();
        firstMillis = records == 0 ? time : Math.min(firstMillis, time);
        lastMillis = records == 0 ? time : Math.max(lastMillis, time);
        Integer number = writers.get(writer);
        if (number == null) {
            number = writers.size();
            writers.put(writer, number);
        }
        count(r, number);
    }

    /** Counts {@code r}, the next record of writer number {@code writer}'s stream (0 for a single trail). */
    private void count(AuditRecord r, int writer) {
        records++;
        switch (r.type()) {
            case GENESIS:
                writerRuns++;
                break;
            case CALL_ALLOWED:
            case CALL_DENIED:
                decision(r, writer);
                break;
            case SESSION_EVENT:
                session(r);
                break;
            case SAGA_EVENT:
                saga(r);
                break;
            case CONTROL:
                control(r);
                break;
            case CALL_RETURNED:
            case CALL_THREW:
                outcome(r, writer);
                break;
            default:
                throw new AssertionError(r.type());
        }
    }

    private void decision(AuditRecord r, int writer) {
        boolean isDenied = r.type() == RecordType.CALL_DENIED;
        AgentStats agent = agent(r.agentId());
        ToolStats tool = tool(r);
        int held = ring(r.agentRing());
        if (isDenied) {
            denied++;
            agent.denied++;
            tool.denied++;
            deniedByAgentRing[held]++;
            denialsByRing[held][ring(r.requiredRing())]++;
            liability.denial(r);
        } else {
            allowed++;
            agent.allowed++;
            tool.allowed++;
            allowedByAgentRing[held]++;
            open.put(new CallKey(writer, r.seq()), new OpenCall(agent, tool));
        }
        timeline.add(r.timeMillis(), isDenied);
    }

    private void outcome(AuditRecord r, int writer) {
        boolean isThrew = r.type() == RecordType.CALL_THREW;
        if (isThrew) {
            threw++;
        } else {
            returned++;
        }
        OpenCall call = open.remove(new CallKey(writer, r.callSeq()));
        if (call == null) {
            unattributedOutcomes++;
            return;
        }
        ToolStats tool = call.tool;
        if (isThrew) {
            call.agent.threw++;
            tool.threw++;
        }
        tool.timed++;
        tool.totalNanos += r.durationNanos();
        tool.maxNanos = Math.max(tool.maxNanos, r.durationNanos());
    }

    private void session(AuditRecord r) {
        sessionEvents++;
        sessionEventsByKind[r.sessionEvent().ordinal()]++;
        if (r.sessionEvent() == SessionEvent.CREATED && isNew(createdSessions, r.sessionId())) {
            sessionsCreated++;
        }
    }

    private void saga(AuditRecord r) {
        sagaEvents++;
        sagaEventsByKind[r.sagaEvent().ordinal()]++;
        if (r.sagaEvent() == SagaEvent.SAGA_STARTED && isNew(startedSagas, r.sagaId())) {
            sagasStarted++;
        }
    }

    private void control(AuditRecord r) {
        controlEvents++;
        controlEventsByKind[r.controlEvent().ordinal()]++;
        if (isNew(seenSubjects, r.subject())) {
            controlSubjects++;
        }
        if (controls.size() < MAX_CONTROLS_LISTED) {
            controls.add(new Control(r.subject(), r.controlEvent(), r.timeMillis(), r.actor(), r.reason()));
        }
        liability.control(r);
    }

    /**
     * @return whether {@code id} is not among {@code seen}, which then remembers it if it holds fewer than
     *     {@link #MAX_KEYS}: past that, every id not remembered counts as new
     */
    private static boolean isNew(Set<String> seen, String id) {
        if (seen.contains(id)) {
            return false;
        }
        if (seen.size() < MAX_KEYS) {
            seen.add(id);
        }
        return true;
    }

    /** @return SAGA records of this event */
    long sagaEvents(SagaEvent event) {
        return sagaEventsByKind[event.ordinal()];
    }

    /** @return sagas with an end event (COMPLETED, COMPENSATED, FAILED or COMPENSATION_FAILED) */
    long sagasEnded() {
        long ended = 0;
        for (SagaEvent e : SagaEvent.values()) {
            if (e.endsSaga()) {
                ended += sagaEvents(e);
            }
        }
        return ended;
    }

    /** @return sagas started with no end event yet: running, or left unfinished by a run that stopped */
    long sagasUnfinished() {
        return Math.max(0, sagasStarted - sagasEnded());
    }

    /**
     * @return the sagas by end state, as the text and HTML reports list them: started, then each end state, then
     *     those with none, and the SAGA records in all
     */
    Map<String, Long> sagaTotals() {
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put("sagas started", sagasStarted);
        totals.put("completed", sagaEvents(SagaEvent.SAGA_COMPLETED));
        totals.put("compensated", sagaEvents(SagaEvent.SAGA_COMPENSATED));
        totals.put("failed", sagaEvents(SagaEvent.SAGA_FAILED));
        totals.put("compensation failed", sagaEvents(SagaEvent.SAGA_COMPENSATION_FAILED));
        totals.put("unfinished", sagasUnfinished());
        totals.put("saga events", sagaEvents);
        return totals;
    }

    /** @return CONTROL records of this event */
    long controlEvents(ControlEvent event) {
        return controlEventsByKind[event.ordinal()];
    }

    /**
     * @return the kill switch's counts, as the text and HTML reports list them: each event in code order (KILLED,
     *     REVIVED, …, VOUCHED, VOUCH_WITHDRAWN, SLASHED, RING_CHANGED, BREACH), then the distinct subjects and the
     *     CONTROL records in all
     */
    Map<String, Long> controlTotals() {
        Map<String, Long> totals = new LinkedHashMap<>();
        for (ControlEvent e : ControlEvent.values()) {
            totals.put(e.label(), controlEvents(e));
        }
        totals.put("subjects", controlSubjects);
        totals.put("control events", controlEvents);
        return totals;
    }

    /**
     * @return the CONTROL records kept (the first {@link #MAX_CONTROLS_LISTED}), by subject, each subject's in trail
     *     order
     */
    List<Control> controlsBySubject() {
        List<Control> list = new ArrayList<>(controls);
        // A stable sort: trail order within a subject.
        list.sort(Comparator.comparing(Control::subject));
        return list;
    }

    private AgentStats agent(String id) {
        AgentStats a = agents.get(id);
        if (a == null) {
            if (agents.size() >= MAX_KEYS) {
                return otherAgents;
            }
            a = new AgentStats(id);
            agents.put(id, a);
        }
        return a;
    }

    /**
     * @param r a decision
     * @return its tool's counts: {@code framework:tool} when the record names a framework and a tool (format version
     *     3 calls of a framework's tool), else {@code Class#method}
     */
    private ToolStats tool(AuditRecord r) {
        boolean framework = !r.framework().isEmpty() && !r.tool().isEmpty();
        return framework ? tool(toolsByFramework, r.framework(), r.tool(), ':')
                : tool(toolsByClass, r.className(), r.methodName(), '#');
    }

    private ToolStats tool(Map<String, Map<String, ToolStats>> byOwner, String owner, String name, char separator) {
        // Two levels, so counting a call builds no Class#method string.
        Map<String, ToolStats> names = byOwner.get(owner);
        ToolStats t = names == null ? null : names.get(name);
        if (t == null) {
            if (toolCount >= MAX_KEYS) {
                return otherTools;
            }
            t = new ToolStats(owner, name, separator);
            byOwner.computeIfAbsent(owner, k -> new HashMap<>()).put(name, t);
            toolCount++;
        }
        return t;
    }

    private static int ring(int ring) {
        return ring >= 0 && ring <= 3 ? ring : OTHER_RING;
    }

    /** @return ALLOWs whose outcome has not come: calls in flight, or cut off by a JVM that died mid-call */
    long stillOpen() {
        return allowed - returned - threw;
    }

    /** @return the agents counted one by one, most calls first, then by id */
    List<AgentStats> agentsByCalls() {
        List<AgentStats> list = new ArrayList<>(agents.values());
        list.sort(Comparator.comparingLong(AgentStats::calls).reversed().thenComparing(a -> a.id));
        return list;
    }

    /** @return the agents with denials, most denials first, then by id */
    List<AgentStats> agentsByDenials() {
        List<AgentStats> list = new ArrayList<>();
        for (AgentStats a : agents.values()) {
            if (a.denied > 0) {
                list.add(a);
            }
        }
        list.sort(Comparator.comparingLong((AgentStats a) -> a.denied).reversed().thenComparing(a -> a.id));
        return list;
    }

    /** @return the tools counted one by one, most calls first, then by name */
    List<ToolStats> toolsByCalls() {
        List<ToolStats> list = tools();
        list.sort(Comparator.comparingLong(ToolStats::calls).reversed().thenComparing(ToolStats::name));
        return list;
    }

    /** @return the tools with at least one timed call, highest mean duration first, then by name */
    List<ToolStats> toolsBySlowness() {
        List<ToolStats> list = new ArrayList<>();
        for (ToolStats t : tools()) {
            if (t.timed > 0) {
                list.add(t);
            }
        }
        list.sort(Comparator.comparingDouble(ToolStats::meanNanos).reversed()
                .thenComparing(Comparator.comparingLong((ToolStats t) -> t.maxNanos).reversed())
                .thenComparing(ToolStats::name));
        return list;
    }

    private List<ToolStats> tools() {
        List<ToolStats> list = new ArrayList<>(toolCount);
        toolsByClass.values().forEach(m -> list.addAll(m.values()));
        toolsByFramework.values().forEach(m -> list.addAll(m.values()));
        return list;
    }

    /** @return how many agents are counted one by one */
    int agentCount() {
        return agents.size();
    }

    /** @return how many tools are counted one by one */
    int toolCount() {
        return toolCount;
    }

    /** @return the row that holds agents past {@link #MAX_KEYS}, or {@code null} if there were none */
    AgentStats otherAgents() {
        return otherAgents.calls() > 0 ? otherAgents : null;
    }

    /** @return the row that holds tools past {@link #MAX_KEYS}, or {@code null} if there were none */
    ToolStats otherTools() {
        return otherTools.calls() > 0 ? otherTools : null;
    }

    /** Counts for one agent. */
    static final class AgentStats {
        final String id;
        long allowed;
        long denied;
        long threw;

        AgentStats(String id) {
            this.id = id;
        }

        long calls() {
            return allowed + denied;
        }
    }

    /** Counts and durations for one tool: a {@code Class#method}, or a framework's {@code framework:tool}. */
    static final class ToolStats {
        /** The class, or the framework. */
        final String className;
        /** The method, or the framework's name for the tool. */
        final String method;
        /** {@code #} between class and method, {@code :} between framework and tool. */
        final char separator;
        long allowed;
        long denied;
        long threw;
        /** Outcomes matched to their ALLOW, whose durations are summed. */
        long timed;
        long totalNanos;
        long maxNanos;

        ToolStats(String className, String method, char separator) {
            this.className = className;
            this.method = method;
            this.separator = separator;
        }

        long calls() {
            return allowed + denied;
        }

        String name() {
            return method.isEmpty() ? className : className + separator + method;
        }

        double meanNanos() {
            return timed == 0 ? 0 : (double) totalNanos / timed;
        }
    }

    private record OpenCall(AgentStats agent, ToolStats tool) {
    }

    /** A call's ALLOW: the number of its writer ({@link #writers}) and its seq in that writer's stream. */
    private record CallKey(int writer, long seq) {
    }

    /**
     * One CONTROL record, as the kill-switch list shows it: what was done to which subject, when, by whom (an
     * operator; for VOUCHED and VOUCH_WITHDRAWN the voucher, for SLASHED the offender), why.
     */
    record Control(String subject, ControlEvent event, long timeMillis, String actor, String reason) {
    }

    /**
     * Allowed and denied calls per time bucket, in a fixed number of buckets. The first call's time starts bucket
     * 0, and each bucket is one second wide until a call falls past the last one; then the width doubles, pairs of
     * buckets merge, and so on. In one trail, a call timed before the first (the wall clock went back) counts in
     * bucket 0. In a fleet's, it is most likely another writer's call, read after the first writer's: the buckets then
     * move back, whole buckets at a time (widening if the later calls would no longer fit), so it gets its own.
     */
    static final class Timeline {
        static final int BUCKETS = 60;
        static final long FIRST_WIDTH_MILLIS = 1000;
        /**
         * How far back the buckets move for an earlier call, about 35,000 years: a time further back is no writer's
         * clock, and moving that far could overflow. Such a call counts in bucket 0.
         */
        static final long MAX_BACK_MILLIS = 1L << 50;

        final long[] allowed = new long[BUCKETS];
        final long[] denied = new long[BUCKETS];
        long originMillis;
        long widthMillis = FIRST_WIDTH_MILLIS;
        /** Highest bucket used, or -1 if there are no calls. */
        int lastUsed = -1;
        /** Whether an earlier call moves the buckets back ({@code true} for a fleet) or counts in bucket 0. */
        private final boolean reachesBack;

        /** A timeline of one trail: an earlier call counts in bucket 0. */
        Timeline() {
            this(false);
        }

        /** @param reachesBack whether an earlier call moves the buckets back, as a fleet's calls need */
        Timeline(boolean reachesBack) {
            this.reachesBack = reachesBack;
        }

        void add(long timeMillis, boolean isDenied) {
            if (lastUsed < 0) {
                originMillis = timeMillis;
            } else if (reachesBack && timeMillis < originMillis) {
                long back = originMillis - timeMillis; // negative if it overflowed: far too far back
                if (back > 0 && back <= MAX_BACK_MILLIS && timeMillis > Long.MIN_VALUE / 2) {
                    moveBack(back);
                }
            }
            // Compared before subtracting: the difference of two far-apart times overflows a long.
            long delta = timeMillis <= originMillis ? 0 : timeMillis - originMillis;
            if (delta < 0) {
                delta = Long.MAX_VALUE;
            }
            while (delta / widthMillis >= BUCKETS) {
                widen();
            }
            int b = (int) (delta / widthMillis);
            if (isDenied) {
                denied[b]++;
            } else {
                allowed[b]++;
            }
            lastUsed = Math.max(lastUsed, b);
        }

        /** Moves the origin back by whole buckets, at least {@code millis}, widening until the last used one fits. */
        private void moveBack(long millis) {
            long shift = (millis + widthMillis - 1) / widthMillis;
            while (lastUsed + shift >= BUCKETS) {
                widen();
                shift = (millis + widthMillis - 1) / widthMillis;
            }
            int by = (int) shift;
            System.arraycopy(allowed, 0, allowed, by, lastUsed + 1);
            System.arraycopy(denied, 0, denied, by, lastUsed + 1);
            Arrays.fill(allowed, 0, by, 0);
            Arrays.fill(denied, 0, by, 0);
            lastUsed += by;
            originMillis -= shift * widthMillis;
        }

        private void widen() {
            for (int i = 0; i < BUCKETS; i++) {
                long a = i * 2 < BUCKETS ? allowed[i * 2] + (i * 2 + 1 < BUCKETS ? allowed[i * 2 + 1] : 0) : 0;
                long d = i * 2 < BUCKETS ? denied[i * 2] + (i * 2 + 1 < BUCKETS ? denied[i * 2 + 1] : 0) : 0;
                allowed[i] = a;
                denied[i] = d;
            }
            lastUsed = lastUsed / 2;
            widthMillis *= 2;
        }

        /** @return how many buckets hold the calls: up to and including the last used one */
        int used() {
            return lastUsed + 1;
        }
    }
}
