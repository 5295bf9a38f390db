package dev.agentmesh.reader;

import static dev.agentmesh.reader.ReportCommandTest.assertSelfContained;
import static dev.agentmesh.reader.ReportCommandTest.between;
import static dev.agentmesh.reader.ReportCommandTest.rows;
import static dev.agentmesh.reader.ReportCommandTest.section;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.TrailFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code report --kafka}: one report across every writer on a fleet's topic, read from memory ({@link TopicFixture})
 * through the whole command line, so options, verdicts, exit codes and the HTML file are the command's own.
 */
class ReportTopicTest {

    static final String A = "w-a/aaaaaaaaaaaa";
    static final String B = "w-b/bbbbbbbbbbbb";
    static final String C = "w-c/cccccccccccc";
    static final String BOOTSTRAP = "kafka-1:9092";
    static final String TOPIC = "fleet-audit";

    @TempDir
    Path tmp;

    TopicFixture fleet;
    CheckpointSigner signer;
    Path pubkey;

    /**
     * Three writers, their messages interleaved as partitions and polls interleave them. A and B both call at seq 1
     * and close at seq 2, so an outcome matched by seq alone would land on the other writer's call. B's clock starts
     * 100 s before A's, though A is read first; C's 50 s after.
     * <pre>
     *  A  0 GENESIS  1 ALLOW alice r2 req2 Tools#search   2 RETURNED 1 (2 ms)   3 DENY bob r3 req1 Bank#transfer
     *  B  0 GENESIS  1 ALLOW alice r1 req1 Bank#transfer  2 RETURNED 1 (10 ms)  3 ALLOW carol r0 req3 Files#delete
     *  C  0 GENESIS  1 DENY bob r3 req0 Admin#shutdown    2 ALLOW ops r1 req2 Tools#search   3 THREW 2 (6 ms)
     * </pre>
     * A has a checkpoint of all 4 records, B one of its first 2, C none.
     */
    @BeforeEach
    void fleetOfThree() throws Exception {
        signer = KeyFiles.generate(tmp.resolve("k.pem"), tmp.resolve("k.pub.pem"), "ops");
        pubkey = tmp.resolve("k.pub.pem");
        fleet = new TopicFixture();
        TopicFixture.Stream a = fleet.writer(A);
        a.decision(RecordType.CALL_ALLOWED, "alice", 2, 2, "com.acme.Tools", "search");
        TopicFixture.Stream b = fleet.writer(B, TrailFixture.START_MILLIS - 100_000);
        b.decision(RecordType.CALL_ALLOWED, "alice", 1, 1, "com.acme.Bank", "transfer");
        a.outcome(RecordType.CALL_RETURNED, 1, 2_000_000L);
        b.outcome(RecordType.CALL_RETURNED, 1, 10_000_000L);
        TopicFixture.Stream c = fleet.writer(C, TrailFixture.START_MILLIS + 50_000);
        c.decision(RecordType.CALL_DENIED, "bob", 3, 0, "com.acme.Admin", "shutdown");
        a.decision(RecordType.CALL_DENIED, "bob", 3, 1, "com.acme.Bank", "transfer");
        b.decision(RecordType.CALL_ALLOWED, "carol", 0, 3, "com.acme.Files", "delete");
        c.decision(RecordType.CALL_ALLOWED, "ops", 1, 2, "com.acme.Tools", "search");
        c.outcome(RecordType.CALL_THREW, 2, 6_000_000L);
        a.checkpoint(signer);
        b.checkpoint(2, b.root(2), signer);
    }

    private Cli.Result report(String... more) {
        return Cli.run(fleet.factory(), Stream.concat(Stream.of("report", "--kafka", BOOTSTRAP, "--topic", TOPIC),
                Stream.of(more)).toArray(String[]::new));
    }

    @Test
    void reportsTheWholeFleetWithARowPerWriter() {
        Cli.Result result = report();

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        assertThat(result.err()).isEmpty();
        List<String> rows = rows(result.out());
        assertThat(rows.subList(0, 4)).containsExactly(
                "AgentMesh audit report",
                "topic " + TOPIC + " at " + BOOTSTRAP,
                "verified 3 writers, 12 records, each writer's hash chain intact",
                // From B's GENESIS, 100 s before A's, to C's last record, though neither is read first or last.
                "time span 2025-03-01T09:28:20.000Z .. 2025-03-01T09:30:53.000Z");
        assertThat(section(rows, "Writers (3 in all)")).containsExactly(
                "WRITER RECORDS HEAD CHECKPOINT",
                A + " 4 " + shortHead(A) + " at 4 matching",
                B + " 4 " + shortHead(B) + " at 2 matching",
                C + " 4 " + shortHead(C) + " none",
                "(all writers) 12");
        assertThat(section(rows, "Totals")).containsExactly(
                "records 12", "writer runs 3", "calls allowed 4", "calls denied 2", "returned 2", "threw 1",
                "still open 1");
        assertThat(section(rows, "Decisions")).containsExactly("ALLOW 4", "DENY 2", "RETURNED 2", "THREW 1");
        // alice called from A and from B: one agent across the fleet.
        assertThat(section(rows, "Agents, by calls (4 in all)")).containsExactly(
                "AGENT CALLS ALLOWED DENIED THREW",
                "alice 2 2 0 0",
                "bob 2 0 2 0",
                "carol 1 1 0 0",
                "ops 1 1 0 1");
        // Each outcome closed its own writer's call: search ran 2 ms (A) and 6 ms (C), transfer 10 ms (B).
        assertThat(section(rows,
                "Tools, by calls (4 in all; durations in ms, of calls whose outcome is in the trail)"))
                .containsExactly(
                        "TOOL CALLS DENIED THREW MEAN MAX",
                        "com.acme.Bank#transfer 2 1 0 10.000 10.000",
                        "com.acme.Tools#search 2 0 1 4.000 6.000",
                        "com.acme.Admin#shutdown 1 1 0 - -",
                        "com.acme.Files#delete 1 0 0 - -");
        assertThat(section(rows, "Calls by agent ring")).containsExactly(
                "RING ALLOWED DENIED", "0 1 0", "1 2 0", "2 1 0", "3 0 2");
        assertThat(section(rows, "Liability")).containsExactly("ring violations 2", "other denials 0",
                "breaches 0", "slashes 0", "points lost 0");
        assertThat(rows).noneMatch(r -> r.startsWith("clock ") || r.startsWith("Note:"));
    }

    @Test
    void theFleetsCountsAreTheSumOfEachWritersOwn() throws Exception {
        ReportStats whole = ReportStats.ofTopic();
        new TopicVerification(fleet.as(TOPIC, BOOTSTRAP), null).verify(whole);

        ReportStats[] own = {new ReportStats(), new ReportStats(), new ReportStats()};
        List<String> writers = List.of(A, B, C);
        for (TopicFixture.Message m : fleet.records) {
            own[writers.indexOf(m.key())].accept(AuditRecord.decode(m.value(), 0,
                    m.value().length - TrailFormat.HASH_LENGTH));
        }
        assertThat(whole.records).isEqualTo(Stream.of(own).mapToLong(s -> s.records).sum()).isEqualTo(12);
        assertThat(whole.writerRuns).isEqualTo(Stream.of(own).mapToLong(s -> s.writerRuns).sum());
        assertThat(whole.allowed).isEqualTo(Stream.of(own).mapToLong(s -> s.allowed).sum());
        assertThat(whole.denied).isEqualTo(Stream.of(own).mapToLong(s -> s.denied).sum());
        assertThat(whole.returned).isEqualTo(Stream.of(own).mapToLong(s -> s.returned).sum());
        assertThat(whole.threw).isEqualTo(Stream.of(own).mapToLong(s -> s.threw).sum());
        assertThat(whole.unattributedOutcomes).isZero();
        for (int r = 0; r <= ReportStats.OTHER_RING; r++) {
            int ring = r;
            assertThat(whole.allowedByAgentRing[ring])
                    .isEqualTo(Stream.of(own).mapToLong(s -> s.allowedByAgentRing[ring]).sum());
            for (int q = 0; q <= ReportStats.OTHER_RING; q++) {
                int required = q;
                assertThat(whole.denialsByRing[ring][required])
                        .isEqualTo(Stream.of(own).mapToLong(s -> s.denialsByRing[ring][required]).sum());
            }
        }
        assertThat(whole.liability.ringViolations)
                .isEqualTo(Stream.of(own).mapToLong(s -> s.liability.ringViolations).sum());
        assertThat(whole.clock.count()).as("each writer's clock is its own stream's").isZero();
    }

    @Test
    void aWritersClockGoingBackIsNamedWithTheWriter() {
        // C's next record is stamped at A's start, 53 s before C's record 3: a step in C's own stream. B's times
        // being 100 s before A's is no step: they are another writer's.
        fleet.writer(C).at(TrailFixture.START_MILLIS).decision(RecordType.CALL_ALLOWED, "ops", 1, 2,
                "com.acme.Tools", "search");

        Cli.Result result = report();

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        assertThat(rows(result.out())).filteredOn(r -> r.startsWith("clock ")).containsExactly(
                "clock writer " + C + ": went back once, 53.000 s at seq 4: not a break, but times are out of "
                        + "order there; 'verify' lists where");
    }

    @Test
    void withPubkeyEveryWriterMustHaveASignedCheckpointAsInVerify() throws Exception {
        Cli.Result missing = report("--pubkey", pubkey.toString(), "--key-name", "ops");

        assertThat(missing.exitCode()).isEqualTo(ExitCodes.SIGNATURE);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).isEqualTo("SIGNATURE: --pubkey given, but writer " + C + " has no signed "
                + "checkpoint on " + TOPIC + ".checkpoints" + System.lineSeparator());

        fleet.writer(C).checkpoint(signer);
        Cli.Result signed = report("--pubkey", pubkey.toString(), "--key-name", "ops");

        assertThat(signed.exitCode()).as(signed.err()).isEqualTo(ExitCodes.OK);
        assertThat(section(rows(signed.out()), "Writers (3 in all)")).containsExactly(
                "WRITER RECORDS HEAD CHECKPOINT",
                A + " 4 " + shortHead(A) + " at 4 signed and matching",
                B + " 4 " + shortHead(B) + " at 2 signed and matching",
                C + " 4 " + shortHead(C) + " at 4 signed and matching",
                "(all writers) 12");
    }

    /** Damage to one writer's stream or checkpoint, and the exit code {@code verify --kafka} gives for it. */
    static Stream<Arguments> damage() {
        return Stream.of(
                Arguments.of("a changed record", ExitCodes.TAMPERED, (Consumer<TopicFixture>) f -> {
                    int at = f.indexOf(B, 2);
                    f.records.set(at, TopicFixture.withByteFlipped(f.records.get(at), 20));
                }),
                Arguments.of("a missing record", ExitCodes.TAMPERED,
                        (Consumer<TopicFixture>) f -> f.records.remove(f.indexOf(B, 2))),
                Arguments.of("a repeated record", ExitCodes.TAMPERED, (Consumer<TopicFixture>) f -> {
                    int at = f.indexOf(B, 2);
                    f.records.add(at, f.records.get(at));
                }),
                Arguments.of("a stream rewritten under its checkpoint", ExitCodes.TAMPERED,
                        (Consumer<TopicFixture>) f -> f.writer(A).checkpoint(4, f.writer(C).root(4),
                                CheckpointSigner.generate("ops"))),
                Arguments.of("a stream cut short of its checkpoint", ExitCodes.TRUNCATED,
                        (Consumer<TopicFixture>) f -> f.records.remove(f.indexOf(A, 3))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damage")
    void aDamagedWriterGivesNoReportNoPageAndTheVerdictOfVerifyKafka(String what, int exitCode, Consumer<TopicFixture> damage)
            throws Exception {
        damage.accept(fleet);
        Path html = tmp.resolve("fleet.html");
        Files.writeString(html, "the last good report");
        Verdict verify = catchThrowableOfType(Verdict.class,
                () -> new TopicVerification(fleet.as(TOPIC, BOOTSTRAP), null).run(new PrintWriter(new StringWriter())));

        Cli.Result result = report("--html", html.toString());

        assertThat(verify).as("verify --kafka fails on it too").isNotNull();
        assertThat(verify.exitCode()).isEqualTo(exitCode);
        assertThat(result.exitCode()).isEqualTo(exitCode);
        assertThat(result.out()).as("no partial report").isEmpty();
        assertThat(result.err()).isEqualTo(verify.getMessage() + System.lineSeparator());
        assertThat(result.err())
                .startsWith(exitCode == ExitCodes.TAMPERED ? "TAMPERED: writer " : "TRUNCATED: writer ");
        assertThat(Files.readString(html)).as("the page is left as it was").isEqualTo("the last good report");
        assertThat(tmp.toFile().list()).containsExactlyInAnyOrder("k.pem", "k.pub.pem", "fleet.html");
    }

    @Test
    void aChangedRecordIsNamedByWriterAndRecord() {
        int at = fleet.indexOf(B, 2);
        fleet.records.set(at, TopicFixture.withByteFlipped(fleet.records.get(at), 20));

        Cli.Result result = report();

        assertThat(result.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(result.err()).startsWith("TAMPERED: writer " + B + " at record 2: ").hasLineCount(1);
        fleet.records.remove(fleet.indexOf(B, 2));
        assertThat(report().err()).isEqualTo("TAMPERED: writer " + B + " at record 2: a gap: record 2 is missing, "
                + "record 3 comes next" + System.lineSeparator());
    }

    @Test
    void anEmptyTopicIsUnreadable() {
        fleet = new TopicFixture();

        Cli.Result result = report();

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("the topic " + TOPIC + " at " + BOOTSTRAP + " holds no trail"
                + System.lineSeparator());
    }

    @Test
    void aDirectoryOrKafkaExactlyOne() {
        Cli.Result both = report(tmp.toString());
        assertThat(both.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(both.err()).startsWith("report takes an audit directory or --kafka, not both").hasLineCount(1);

        Cli.Result neither = Cli.run(fleet.factory(), "report");
        assertThat(neither.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(neither.err()).startsWith("Missing required parameter: '<dir>' (or --kafka <bootstrap>)");

        Cli.Result keyForADirectory = Cli.run(fleet.factory(), "report", tmp.toString(), "--pubkey",
                pubkey.toString());
        assertThat(keyForADirectory.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(keyForADirectory.err()).startsWith("--pubkey and --key-name are for --kafka");
        assertThat(both.out() + neither.out() + keyForADirectory.out()).isEmpty();
    }

    @Test
    void htmlListsTheWritersEscapedAndStaysSelfContained() throws Exception {
        String hostile = "<b>w-x</b>/\"'&";
        fleet.writer(hostile).decision(RecordType.CALL_DENIED, ReportCommandTest.HOSTILE_AGENT, 3, 1,
                "com.acme.Bank", "transfer").control(ControlEvent.KILLED, "agent:x", "ops", "why", "");
        Path html = tmp.resolve("out").resolve("fleet.html");

        Cli.Result result = report("--html", html.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        String page = Files.readString(html, StandardCharsets.UTF_8);
        assertSelfContained(page);
        assertThat(page).doesNotContain("<b>w-x", ReportCommandTest.HOSTILE_AGENT)
                .contains("<title>AgentMesh audit report: " + TOPIC + " at " + BOOTSTRAP + "</title>")
                .contains("<dt>Topic</dt><dd><code>" + TOPIC + "</code> at <code>" + BOOTSTRAP + "</code></dd>")
                .contains("<dt>Writers</dt><dd>4</dd>")
                .contains("<dt>Records</dt><dd>15</dd>")
                .contains("<dt>Time span</dt><dd>2025-03-01T09:28:20.000Z to 2025-03-01T09:30:53.000Z</dd>")
                .contains("<dt>Not checked here</dt><dd>checkpoint signatures");
        String writers = between(page, "id=\"writers\"", "</section>");
        assertThat(writers)
                .contains("<tr><td><code>" + A + "</code></td><td>4</td><td><code title=\"" + head(A) + "\">"
                        + shortHead(A) + "</code></td><td>at 4 matching</td></tr>")
                .contains("<tr><td><code>" + C + "</code></td><td>4</td><td><code title=\"" + head(C) + "\">"
                        + shortHead(C) + "</code></td><td>none</td></tr>")
                .contains("<tr><td><code>&lt;b&gt;w-x&lt;/b&gt;/&quot;&#39;&amp;</code></td><td>3</td>")
                .contains("<tfoot><tr><th scope=\"row\">All writers</th><td>15</td>");
        // B's calls, 100 s before A's first though read after it, have buckets of their own, not A's first one:
        // 4-second buckets from B's first call, A's and the hostile writer's 100 s later, C's 150 s later.
        String timeline = between(page, "id=\"calls-over-time\"", "</section>");
        assertThat(timeline).contains("<title>2025-03-01T09:28:21.000Z (4 s): 2 allowed, 0 denied</title>")
                .contains("<tr><td>2025-03-01T09:28:21.000Z</td><td>2</td><td>0</td></tr>")
                .contains("<tr><td>2025-03-01T09:30:01.000Z</td><td>1</td><td>2</td></tr>")
                .contains("<tr><td>2025-03-01T09:30:49.000Z</td><td>1</td><td>1</td></tr>");
        // The text report names the writer as it is: it is not markup.
        assertThat(rows(result.out())).contains("verified 4 writers, 15 records, each writer's hash chain intact")
                .anyMatch(r -> r.startsWith(hostile + " 3 "));
    }

    @Test
    void verifyKafkaPrintsWhatItPrintedBeforeTheReportSharedItsVerification() throws Exception {
        StringWriter out = new StringWriter();

        int exit = new TopicVerification(fleet.as(TOPIC, BOOTSTRAP), null).run(new PrintWriter(out, true));

        TopicFixture.Stream a = fleet.writer(A);
        TopicFixture.Stream c = fleet.writer(C);
        assertThat(exit).isEqualTo(ExitCodes.OK);
        assertThat(out.toString().lines()).containsExactly(
                "OK 3 writers, 12 records on " + TOPIC,
                "writer " + A + ": 4 records, head " + head(A) + ", 1 denials, root " + Hex.of(a.root(4))
                        + ", checkpoint at 4 matching",
                "writer " + B + ": 4 records, head " + head(B) + ", 0 denials, root "
                        + Hex.of(fleet.writer(B).root(4)) + ", checkpoint at 2 matching",
                "writer " + C + ": 4 records, head " + head(C) + ", 1 denials, root " + Hex.of(c.root(4)));
    }

    private String head(String writer) {
        return Hex.of(fleet.writer(writer).headHash());
    }

    private String shortHead(String writer) {
        return head(writer).substring(0, ReportText.SHORT_HASH_DIGITS);
    }
}
