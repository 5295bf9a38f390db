package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.SagaEvent;
import dev.agentmesh.audit.format.SessionEvent;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.Utf8;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The bounds that keep {@code report} in constant memory, fed decoded records directly. */
class ReportStatsTest {


    private final RecordEncoder encoder = new RecordEncoder();
    private long seq;

    @Test
    void agentsAndToolsPastTheCapFoldIntoOneRow() {
        ReportStats stats = new ReportStats();
        int distinct = ReportStats.MAX_KEYS + 5;
        for (int i = 0; i < distinct; i++) {
            stats.accept(decision(RecordType.CALL_DENIED, "agent-" + i, 3, 1, "com.acme.T" + i, "m"));
        }
        // A known agent and tool keep counting on their own rows once the cap is reached.
        stats.accept(decision(RecordType.CALL_DENIED, "agent-0", 3, 1, "com.acme.T0", "m"));

        assertThat(stats.agentCount()).isEqualTo(ReportStats.MAX_KEYS);
        assertThat(stats.toolCount()).isEqualTo(ReportStats.MAX_KEYS);
        assertThat(stats.otherAgents().denied).isEqualTo(5);
        assertThat(stats.otherTools().denied).isEqualTo(5);
        assertThat(stats.agentsByDenials().get(0).id).isEqualTo("agent-0");
        assertThat(stats.agentsByDenials().get(0).denied).isEqualTo(2);
        assertThat(stats.denied).isEqualTo(distinct + 1);
        assertThat(stats.denialsByRing[3][1]).isEqualTo(distinct + 1);
    }

    @Test
    void aFrameworksToolGoesByItsFrameworkAndToolNameNotTheMethodBehindIt() {
        ReportStats stats = new ReportStats();
        // Two frameworks call tools of one name, both implemented by com.acme.Search#run, which is also called plainly.
        AuditRecord first = frameworkCall(RecordType.CALL_ALLOWED, "langchain4j", "web_search");
        stats.accept(first);
        stats.accept(outcome(RecordType.CALL_RETURNED, first.seq(), 4_000_000L));
        stats.accept(frameworkCall(RecordType.CALL_DENIED, "langchain4j", "web_search"));
        stats.accept(frameworkCall(RecordType.CALL_ALLOWED, "mcp", "web_search"));
        stats.accept(decision(RecordType.CALL_ALLOWED, "a", 2, 2, "com.acme.Search", "run"));
        // A class named like a framework, with a method named like the tool, is still a class and a method.
        stats.accept(decision(RecordType.CALL_ALLOWED, "a", 2, 2, "langchain4j", "web_search"));
        // A framework call that names no tool (which the agent never writes) goes by its class and method.
        stats.accept(frameworkCall(RecordType.CALL_ALLOWED, "spring-ai", ""));

        assertThat(stats.toolsByCalls()).extracting(ReportStats.ToolStats::name).containsExactly(
                "com.acme.Search#run", "langchain4j:web_search", "langchain4j#web_search", "mcp:web_search");
        ReportStats.ToolStats webSearch = stats.toolsByCalls().get(1);
        assertThat(webSearch.calls()).isEqualTo(2);
        assertThat(webSearch.denied).isEqualTo(1);
        assertThat(webSearch.maxNanos).as("its outcome is timed against it").isEqualTo(4_000_000L);
        assertThat(stats.toolsByCalls().get(0).calls()).as("the plain call and the toolless one").isEqualTo(2);
        assertThat(stats.toolCount()).isEqualTo(4);
        assertThat(stats.toolsBySlowness()).extracting(ReportStats.ToolStats::name)
                .containsExactly("langchain4j:web_search");
    }

    @Test
    void sessionsAreCountedByDistinctIdUpToTheCapThenByCreatedRecord() {
        ReportStats stats = new ReportStats();
        for (int i = 0; i < ReportStats.MAX_KEYS; i++) {
            stats.accept(session("s-" + i, SessionEvent.CREATED));
        }
        // A repeated CREATED of a remembered id is not a new session; other events never are.
        stats.accept(session("s-0", SessionEvent.CREATED));
        stats.accept(session("s-0", SessionEvent.JOINED));
        assertThat(stats.sessionsCreated).isEqualTo(ReportStats.MAX_KEYS);
        // Past the cap ids are no longer remembered: each CREATED of one not among the first counts.
        stats.accept(session("late", SessionEvent.CREATED));
        stats.accept(session("late", SessionEvent.CREATED));
        stats.accept(session("s-1", SessionEvent.CREATED));

        assertThat(stats.sessionsCreated).isEqualTo(ReportStats.MAX_KEYS + 2);
        assertThat(stats.sessionEvents).isEqualTo(ReportStats.MAX_KEYS + 5);
        assertThat(stats.sessionEventsByKind[SessionEvent.CREATED.ordinal()]).isEqualTo(ReportStats.MAX_KEYS + 4);
        assertThat(stats.sessionEventsByKind[SessionEvent.JOINED.ordinal()]).isEqualTo(1);
        assertThat(stats.records).isEqualTo(ReportStats.MAX_KEYS + 5);
        assertThat(stats.allowed + stats.denied + stats.returned + stats.threw).isZero();
    }

    @Test
    void sagasAreCountedByDistinctIdUpToTheCapAndUnfinishedNeverGoesBelowZero() {
        ReportStats stats = new ReportStats();
        for (int i = 0; i < ReportStats.MAX_KEYS; i++) {
            stats.accept(saga("g-" + i, SagaEvent.SAGA_STARTED));
        }
        stats.accept(saga("g-0", SagaEvent.SAGA_STARTED));
        stats.accept(saga("g-0", SagaEvent.SAGA_COMPLETED));
        stats.accept(saga("g-1", SagaEvent.SAGA_COMPENSATED));
        stats.accept(saga("late", SagaEvent.SAGA_STARTED));
        stats.accept(saga("late", SagaEvent.SAGA_STARTED));

        assertThat(stats.sagasStarted).isEqualTo(ReportStats.MAX_KEYS + 2);
        assertThat(stats.sagasEnded()).isEqualTo(2);
        assertThat(stats.sagasUnfinished()).isEqualTo(ReportStats.MAX_KEYS);
        assertThat(stats.sagaEvents).isEqualTo(ReportStats.MAX_KEYS + 5);
        assertThat(stats.sagaTotals()).containsEntry("completed", 1L).containsEntry("compensated", 1L)
                .containsEntry("unfinished", (long) ReportStats.MAX_KEYS);

        // End events without their start (a trail that is not the whole story) leave no negative count.
        ReportStats ends = new ReportStats();
        ends.accept(saga("x", SagaEvent.SAGA_FAILED));
        assertThat(ends.sagasUnfinished()).isZero();
        assertThat(ends.sagaTotals()).containsEntry("failed", 1L).containsEntry("sagas started", 0L);
    }

    @Test
    void killSwitchSubjectsAreCountedUpToTheCapAndOnlyTheFirstControlRecordsAreListed() {
        ReportStats stats = new ReportStats();
        stats.accept(control("session:s-1", ControlEvent.KILLED));
        stats.accept(control("agent:b", ControlEvent.KILLED));
        stats.accept(control("session:s-1", ControlEvent.REVIVED));
        stats.accept(control("agent:a", ControlEvent.KILLED));
        // Sorted by subject; each subject's records keep their trail order.
        assertThat(stats.controlsBySubject()).extracting(c -> c.subject() + " " + c.event()).containsExactly(
                "agent:a KILLED", "agent:b KILLED", "session:s-1 KILLED", "session:s-1 REVIVED");
        // every event is listed, in code order, counted or not
        assertThat(stats.controlTotals()).containsExactly(Map.entry("KILLED", 3L), Map.entry("REVIVED", 1L),
                Map.entry("QUARANTINED", 0L), Map.entry("RELEASED", 0L), Map.entry("ELEVATED", 0L),
                Map.entry("ELEVATION_USED", 0L), Map.entry("ELEVATION_EXPIRED", 0L), Map.entry("VOUCHED", 0L),
                Map.entry("VOUCH_WITHDRAWN", 0L), Map.entry("SLASHED", 0L), Map.entry("RING_CHANGED", 0L),
                Map.entry("BREACH", 0L), Map.entry("COMMAND_REFUSED", 0L), Map.entry("subjects", 3L), Map.entry("control events", 4L));

        for (int i = 0; i < ReportStats.MAX_KEYS; i++) {
            stats.accept(control("agent:g-" + i, ControlEvent.KILLED));
        }
        stats.accept(control("agent:late", ControlEvent.KILLED));
        stats.accept(control("agent:late", ControlEvent.REVIVED));

        // Past the cap a subject is no longer remembered: each record of one not among the first counts as new
        // (the last three of the loop's, and late twice).
        assertThat(stats.controlSubjects).isEqualTo(ReportStats.MAX_KEYS + 5);
        assertThat(stats.controlEvents).isEqualTo(ReportStats.MAX_KEYS + 6);
        assertThat(stats.controlEvents(ControlEvent.REVIVED)).isEqualTo(2);
        assertThat(stats.controlsBySubject()).hasSize(ReportStats.MAX_CONTROLS_LISTED);
        assertThat(ReportText.listed(ReportStats.MAX_CONTROLS_LISTED, stats.controlEvents)).isEqualTo("the first "
                + ReportStats.MAX_CONTROLS_LISTED + " of " + (ReportStats.MAX_KEYS + 6) + " events; 'filter "
                + "--decision CONTROL' lists them all");
        assertThat(stats.allowed + stats.denied + stats.returned + stats.threw).isZero();
    }

    @Test
    void outcomesOfForgottenCallsCountInTotalsOnly() {
        ReportStats stats = new ReportStats(2);
        AuditRecord first = decision(RecordType.CALL_ALLOWED, "a", 1, 1, "com.acme.T", "m");
        stats.accept(first);
        AuditRecord second = decision(RecordType.CALL_ALLOWED, "a", 1, 1, "com.acme.T", "m");
        stats.accept(second);
        stats.accept(decision(RecordType.CALL_ALLOWED, "a", 1, 1, "com.acme.T", "m"));

        // Only two calls are remembered: the first was forgotten when the third opened.
        stats.accept(outcome(RecordType.CALL_THREW, first.seq(), 5_000_000L));
        stats.accept(outcome(RecordType.CALL_RETURNED, second.seq(), 3_000_000L));

        assertThat(stats.threw).isEqualTo(1);
        assertThat(stats.returned).isEqualTo(1);
        assertThat(stats.unattributedOutcomes).isEqualTo(1);
        assertThat(stats.stillOpen()).isEqualTo(1);
        ReportStats.ToolStats tool = stats.toolsByCalls().get(0);
        assertThat(tool.threw).as("the throw is not attributed").isZero();
        assertThat(tool.timed).isEqualTo(1);
        assertThat(tool.maxNanos).isEqualTo(3_000_000L);
        assertThat(stats.agentsByCalls().get(0).threw).isZero();
    }

    @Test
    void timelineWidensInPlaceAndKeepsEveryCall() {
        ReportStats.Timeline timeline = new ReportStats.Timeline();
        long origin = TrailFixture.START_MILLIS;
        // One call a second for 200 s: past 60 buckets of 1 s, then of 2 s, so 4 s each.
        LongStream.range(0, 200).forEach(s -> timeline.add(origin + s * 1000, s % 10 == 0));

        assertThat(timeline.widthMillis).isEqualTo(4000);
        assertThat(timeline.originMillis).isEqualTo(origin);
        assertThat(timeline.used()).isEqualTo(50);
        assertThat(Arrays.stream(timeline.allowed).sum()).isEqualTo(180);
        assertThat(Arrays.stream(timeline.denied).sum()).isEqualTo(20);
        assertThat(timeline.allowed[0] + timeline.denied[0]).isEqualTo(4);
        assertThat(timeline.denied[0]).as("the call at 0 s").isEqualTo(1);
        assertThat(timeline.denied[2]).as("the call at 10 s falls in 8..12 s").isEqualTo(1);
        assertThat(timeline.denied[1]).isZero();

        // A clock that went back counts in the first bucket; a far-off time widens further, never fails.
        timeline.add(origin - 60_000, true);
        assertThat(timeline.denied[0]).isEqualTo(2);
        timeline.add(Long.MAX_VALUE / 2, false);
        assertThat(timeline.allowed[timeline.used() - 1]).isEqualTo(1);
        assertThat(Arrays.stream(timeline.allowed).sum() + Arrays.stream(timeline.denied).sum()).isEqualTo(202);
        assertThat(timeline.used()).isLessThanOrEqualTo(ReportStats.Timeline.BUCKETS);
    }

    @Test
    void aFleetsTimelineMovesBackForAnEarlierWritersCallsInWholeBuckets() {
        ReportStats.Timeline timeline = new ReportStats.Timeline(true);
        long origin = TrailFixture.START_MILLIS;
        timeline.add(origin, false);
        timeline.add(origin + 10_500, true);

        // 30.5 s earlier: 31 buckets of 1 s back, so the calls already counted keep their own buckets.
        timeline.add(origin - 30_500, false);
        assertThat(timeline.widthMillis).isEqualTo(1000);
        assertThat(timeline.originMillis).isEqualTo(origin - 31_000);
        assertThat(timeline.allowed[0]).as("the earlier call, at 0.5 s into its bucket").isEqualTo(1);
        assertThat(timeline.allowed[31]).as("the first call").isEqualTo(1);
        assertThat(timeline.denied[41]).as("the call 10.5 s after it").isEqualTo(1);
        assertThat(timeline.used()).isEqualTo(42);

        // 100 s further back does not fit 60 buckets of 1 s with the rest: they widen to 4 s first.
        timeline.add(origin - 130_500, true);
        assertThat(timeline.widthMillis).isEqualTo(4000);
        assertThat(timeline.originMillis).isEqualTo(origin - 31_000 - 25 * 4000);
        assertThat(timeline.denied[0]).isEqualTo(1);
        assertThat(timeline.allowed[25]).as("30.5 s before the first call").isEqualTo(1);
        assertThat(timeline.allowed[25 + 7]).as("the first call, 31 s into 4-second buckets").isEqualTo(1);
        assertThat(timeline.denied[25 + 10]).isEqualTo(1);
        assertThat(Arrays.stream(timeline.allowed).sum() + Arrays.stream(timeline.denied).sum()).isEqualTo(4);

        // A time no clock could give still counts, in bucket 0, rather than overflowing anything.
        timeline.add(Long.MIN_VALUE, false);
        assertThat(timeline.allowed[0]).isEqualTo(1);
        assertThat(timeline.originMillis).isEqualTo(origin - 31_000 - 25 * 4000);
    }

    @Test
    void aFleetsOutcomeClosesItsOwnWritersCallThoughSeqsRepeatAcrossWriters() {
        ReportStats stats = ReportStats.ofTopic();
        seq = 1;
        AuditRecord searchAtSeq1 = decision(RecordType.CALL_ALLOWED, "a", 2, 2, "com.acme.Tools", "search");
        seq = 1;
        AuditRecord transferAtSeq1 = decision(RecordType.CALL_ALLOWED, "b", 2, 2, "com.acme.Bank", "transfer");
        stats.accept("w-1", searchAtSeq1);
        stats.accept("w-2", transferAtSeq1);
        // Seq 1 of each writer: matched by seq alone, the first would close the second writer's call.
        stats.accept("w-1", outcome(RecordType.CALL_RETURNED, 1, 2_000_000L));
        stats.accept("w-2", outcome(RecordType.CALL_THREW, 1, 9_000_000L));

        assertThat(stats.unattributedOutcomes).isZero();
        assertThat(stats.toolsByCalls()).extracting(ReportStats.ToolStats::name, t -> t.maxNanos, t -> t.threw)
                .containsExactly(tuple("com.acme.Bank#transfer", 9_000_000L, 1L),
                        tuple("com.acme.Tools#search", 2_000_000L, 0L));
    }

    @Test
    void oneTrailsRecordsAndAFleetsAreNotMixedUp() {
        AuditRecord r = decision(RecordType.CALL_ALLOWED, "a", 2, 2, "com.acme.Tools", "search");

        assertThatIllegalStateException()
                .isThrownBy(() -> ReportStats.ofTopic().accept(r));
        assertThatIllegalStateException()
                .isThrownBy(() -> new ReportStats().accept("w-1", r));
    }

    @Test
    void ringsOutsideZeroToThreeGoToTheirOwnRow() {
        ReportStats stats = new ReportStats();
        // The encoder refuses such a ring, but the format's u8 can carry one: a forged, re-chained trail could.
        decision(RecordType.CALL_DENIED, "x", 3, 1, "com.acme.T", "m");
        encoder.buffer()[TrailFormat.HEADER_LENGTH] = 7;
        stats.accept(AuditRecord.decode(encoder.buffer(), 0, encoder.length()));

        assertThat(stats.denialsByRing[ReportStats.OTHER_RING][1]).isEqualTo(1);
        assertThat(ReportText.hasOtherRing(stats.denialsByRing)).isTrue();
    }

    @Test
    void durationsInHtmlHeadings() {
        assertThat(ReportHtml.duration(1000)).isEqualTo("1 s");
        assertThat(ReportHtml.duration(128_000)).isEqualTo("2 min 8 s");
        assertThat(ReportHtml.duration(16_384_000)).isEqualTo("4 h 33 min 4 s");
        assertThat(ReportHtml.esc("a<b>&\"'\u0001")).isEqualTo("a&lt;b&gt;&amp;&quot;&#39;\\u0001");
    }

    private AuditRecord decision(RecordType type, String agent, int ring, int required, String cls, String m) {
        encoder.decision(type, seq, TrailFixture.timeOf(seq), ring, required, Utf8.encode(agent), Utf8.encode(""),
                Utf8.encode(cls), Utf8.encode(m), Utf8.encode("()V"), new byte[32]);
        seq++;
        return AuditRecord.decode(encoder.buffer(), 0, encoder.length());
    }

    /** A call of agent {@code a} of a framework's tool, implemented by {@code com.acme.Search#run}. */
    private AuditRecord frameworkCall(RecordType type, String framework, String tool) {
        byte[] none = new byte[0];
        encoder.decision(type, seq, TrailFixture.timeOf(seq), 2, 2, Utf8.encode("a"), none,
                Utf8.encode("com.acme.Search"), Utf8.encode("run"), Utf8.encode("()V"), new byte[32], none, none,
                Utf8.encode(framework), Utf8.encode(tool), Utf8.encode("call-" + seq));
        seq++;
        return AuditRecord.decode(encoder.buffer(), 0, encoder.length());
    }

    private AuditRecord session(String sessionId, SessionEvent event) {
        encoder.sessionEvent(seq, TrailFixture.timeOf(seq), Utf8.encode(sessionId), event, new byte[0],
                TrailFormat.NO_RING, new byte[0]);
        seq++;
        return AuditRecord.decode(encoder.buffer(), 0, encoder.length());
    }

    private AuditRecord saga(String sagaId, SagaEvent event) {
        encoder.sagaEvent(seq, TrailFixture.timeOf(seq), new byte[0], Utf8.encode(sagaId), event, new byte[0],
                new byte[0], 0, -1, new byte[0], new byte[0]);
        seq++;
        return AuditRecord.decode(encoder.buffer(), 0, encoder.length());
    }

    private AuditRecord control(String subject, ControlEvent event) {
        encoder.control(seq, TrailFixture.timeOf(seq), event, Utf8.encode(subject), Utf8.encode("ops"),
                Utf8.encode("why"), new byte[0]);
        seq++;
        return AuditRecord.decode(encoder.buffer(), 0, encoder.length());
    }

    private AuditRecord outcome(RecordType type, long callSeq, long nanos) {
        encoder.outcome(type, seq, TrailFixture.timeOf(seq), callSeq, nanos, Utf8.encode(""), Utf8.encode(""));
        seq++;
        return AuditRecord.decode(encoder.buffer(), 0, encoder.length());
    }
}
