package dev.agentmesh.reader;

import static dev.agentmesh.reader.ReportCommandTest.rows;
import static dev.agentmesh.reader.ReportCommandTest.section;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.SessionEvent;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.Utf8;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SESSION records through every reader command: export in each format, filter, report, verify-proof's sentence. */
class SessionRecordsTest {

    @TempDir
    Path tmp;

    private Path dir;
    private TrailFixture trail;

    @BeforeEach
    void writeTrail() {
        // seq  record                                                              time 2025-03-01T09:30:<seq>Z
        //   0  GENESIS
        //   1  SESSION s-1 CREATED   no agent           "EVENTUAL, max 5 participants, max PT1H"
        //   2  SESSION s-1 JOINED    researcher-1 ring 2
        //   3  ALLOW   researcher-1 ring 2  s-1  com.acme.Tools#search
        //   4  RETURNED call 3                 s-1
        //   5  SESSION s-1 JOINED    writer-1 ring 1
        //   6  DENY    writer-1 ring 1  s-1  com.acme.Admin#shutdown
        //   7  SESSION s-2 CREATED   no agent           ""
        //   8  SESSION s-1 LEFT      researcher-1 ring 2
        //   9  SESSION s-1 TERMINATED no agent          "by ops\nat once" (a control character to escape)
        dir = tmp.resolve("trail");
        trail = TrailFixture.create(dir)
                .session("s-1", SessionEvent.CREATED, "", TrailFormat.NO_RING, "EVENTUAL, max 5 participants, max PT1H")
                .session("s-1", SessionEvent.JOINED, "researcher-1", 2, "")
                .decision(RecordType.CALL_ALLOWED, "researcher-1", 2, 2, "s-1", "com.acme.Tools", "search", "()V")
                .outcome(RecordType.CALL_RETURNED, 3, 1_000L, "", "s-1")
                .session("s-1", SessionEvent.JOINED, "writer-1", 1, "")
                .decision(RecordType.CALL_DENIED, "writer-1", 1, 0, "s-1", "com.acme.Admin", "shutdown", "()V")
                .session("s-2", SessionEvent.CREATED, "", TrailFormat.NO_RING, "")
                .session("s-1", SessionEvent.LEFT, "researcher-1", 2, "")
                .session("s-1", SessionEvent.TERMINATED, "", TrailFormat.NO_RING, "by ops\nat once");
        trail.close();
    }

    @Test
    void jsonlHasTheSessionMembersInOrderAndLeavesOutAnAgentThatIsNotThere() {
        List<String> lines = Cli.run("export", dir.toString()).outLines();

        assertThat(lines).hasSize(10);
        assertThat(lines.get(1)).isEqualTo("{\"seq\":1,\"time\":\"2025-03-01T09:30:01.000Z\",\"timeMillis\":"
                + TrailFixture.timeOf(1) + ",\"type\":\"SESSION\",\"hash\":\"" + Hex.of(trail.hash(1))
                + "\",\"sessionId\":\"s-1\",\"event\":\"CREATED\",\"detail\":\"EVENTUAL, max 5 participants, "
                + "max PT1H\"}");
        assertThat(lines.get(2)).isEqualTo("{\"seq\":2,\"time\":\"2025-03-01T09:30:02.000Z\",\"timeMillis\":"
                + TrailFixture.timeOf(2) + ",\"type\":\"SESSION\",\"hash\":\"" + Hex.of(trail.hash(2))
                + "\",\"agentId\":\"researcher-1\",\"agentRing\":2,\"sessionId\":\"s-1\",\"event\":\"JOINED\","
                + "\"detail\":\"\"}");
        assertThat(lines.get(4)).isEqualTo("{\"seq\":4,\"time\":\"2025-03-01T09:30:04.000Z\",\"timeMillis\":"
                + TrailFixture.timeOf(4) + ",\"type\":\"RETURNED\",\"hash\":\"" + Hex.of(trail.hash(4))
                + "\",\"sessionId\":\"s-1\",\"callSeq\":3,\"durationNanos\":1000,\"outcome\":\"RETURNED\"}");
        Map<String, Object> terminated = MiniJson.parseObject(lines.get(9));
        assertThat(terminated).containsOnlyKeys("seq", "time", "timeMillis", "type", "hash", "sessionId", "event",
                "detail").containsEntry("detail", "by ops\nat once").containsEntry("event", "TERMINATED");
    }

    @Test
    void csvFillsTheAgentAndSessionColumnsAndTheEventAndDetailColumns() {
        String[] rows = Cli.run("export", dir.toString(), "--format", "csv").out().split("\r\n", -1);

        assertThat(rows[0]).isEqualTo("seq,time,type,agentId,agentRing,sessionId,class,method,descriptor,"
                + "requiredRing,decision,callSeq,durationNanos,exception,argsDigest,hash,event,detail,sagaId,step,"
                + "attempt,data,subject,actor,reason,onBehalfOf,vouchedBy,framework,tool,invocationId");
        assertThat(rows[2]).isEqualTo("1,2025-03-01T09:30:01.000Z,SESSION,,,s-1,,,,,,,,,," + Hex.of(trail.hash(1))
                + ",CREATED,\"EVENTUAL, max 5 participants, max PT1H\",,,,,,,,,,,,");
        assertThat(rows[3]).isEqualTo("2,2025-03-01T09:30:02.000Z,SESSION,researcher-1,2,s-1,,,,,,,,,,"
                + Hex.of(trail.hash(2)) + ",JOINED,,,,,,,,,,,,,");
        assertThat(rows[4]).startsWith("3,2025-03-01T09:30:03.000Z,ALLOW,researcher-1,2,s-1,com.acme.Tools,")
                .endsWith(Hex.of(trail.hash(3)) + ",,,,,,,,,,,,,,");
        assertThat(rows[5]).isEqualTo("4,2025-03-01T09:30:04.000Z,RETURNED,,,s-1,,,,,,3,1000,,," + Hex.of(trail.hash(4))
                + ",,,,,,,,,,,,,,");
        assertThat(rows[10]).endsWith(",TERMINATED,\"by ops\nat once\",,,,,,,,,,,,");
        assertThat(rows).hasSize(12);
    }

    @Test
    void textSaysWhatHappenedToTheSession() {
        List<String> lines = Cli.run("export", dir.toString(), "--format", "text").outLines();

        assertThat(lines).hasSize(11);
        assertThat(lines.get(2)).contains("SESSION", Hex.of(trail.hash(1)).substring(0, 10))
                .endsWith("session s-1 CREATED (EVENTUAL, max 5 participants, max PT1H)");
        assertThat(lines.get(3)).endsWith("session s-1: researcher-1 (ring 2) JOINED");
        assertThat(lines.get(5)).endsWith("call 3 returned after 0.001 ms [session s-1]");
        assertThat(lines.get(8)).endsWith("session s-2 CREATED");
        assertThat(lines.get(9)).endsWith("session s-1: researcher-1 (ring 2) LEFT");
        // The detail is the application's text: a line break in it is escaped, never a line of its own.
        assertThat(lines.get(10)).endsWith("session s-1 TERMINATED (by ops\\nat once)");
    }

    @Test
    void filterSelectsSessionRecordsBySessionAgentRingAndType() {
        assertThat(seqs("--session", "s-1")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 8L, 9L);
        assertThat(seqs("--session", "s-2")).containsExactly(7L);
        assertThat(seqs("--agent", "researcher-1")).containsExactly(2L, 3L, 4L, 8L);
        assertThat(seqs("--ring", "1")).containsExactly(5L, 6L);
        assertThat(seqs("--decision", "session")).containsExactly(1L, 2L, 5L, 7L, 8L, 9L);
        assertThat(seqs("--decision", "SESSION", "--agent", "writer-1")).containsExactly(5L);
        assertThat(seqs("--decision", "deny,session", "--session", "s-1", "--ring", "1")).containsExactly(5L, 6L);
        assertThat(seqs("--method", "*")).containsExactly(3L, 4L, 6L);
    }

    @Test
    void filterCsvAndTextHaveTheExportLines() {
        String csv = Cli.run("filter", dir.toString(), "--session", "s-2", "--format", "csv").out();
        String exported = Cli.run("export", dir.toString(), "--format", "csv").out();
        assertThat(csv).startsWith(CsvFormat.HEADER);
        assertThat(exported).contains(csv.substring(CsvFormat.HEADER.length()));
    }

    @Test
    void reportCountsSessionsAndTheirEvents() throws Exception {
        Path html = tmp.resolve("report.html");
        Cli.Result result = Cli.run("report", dir.toString(), "--html", html.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        List<String> rows = rows(result.out());
        assertThat(section(rows, "Totals")).contains("records 10", "calls allowed 1", "calls denied 1");
        assertThat(section(rows, "Sessions")).containsExactly("sessions created 2", "session events 6");
        // Every event is listed, in code order, counted or not.
        Map<SessionEvent, Integer> counted = Map.of(SessionEvent.CREATED, 2, SessionEvent.JOINED, 2,
                SessionEvent.LEFT, 1, SessionEvent.TERMINATED, 1);
        assertThat(section(rows, "Session events")).containsExactlyElementsOf(Arrays.stream(SessionEvent.values())
                .map(e -> e.label() + " " + counted.getOrDefault(e, 0)).toList());
        assertThat(section(rows, "Session events")).startsWith("CREATED 2", "JOINED 2", "LEFT 1", "TERMINATED 1",
                "EXPIRED 0", "CHECKPOINT 0", "RESTORED 0", "FORKED 0", "MERGED 0");
        // SESSION records are not calls: the agents' call counts are unchanged.
        assertThat(section(rows, "Agents, by calls (2 in all)")).contains("researcher-1 1 1 0 0", "writer-1 1 0 1 0");

        String page = Files.readString(html, StandardCharsets.UTF_8);
        ReportCommandTest.assertSelfContained(page);
        String sessions = ReportCommandTest.between(page, "id=\"sessions\"", "</section>");
        assertThat(sessions).contains("<tr><th scope=\"row\">Sessions created (distinct ids)</th><td>2</td></tr>",
                "<tr><th scope=\"row\">Session events (SESSION)</th><td>6</td></tr>",
                "<tr><th scope=\"row\">JOINED</th><td>2</td></tr>",
                "<tr><th scope=\"row\">MERGED</th><td>0</td></tr>");
    }

    @Test
    void reportLeavesOutTheSessionSagaAndKillSwitchSectionsWhenThereAreNoSuchRecords() throws Exception {
        Path plain = tmp.resolve("plain");
        Path html = tmp.resolve("plain.html");
        TrailFixture.standard(plain, 5).close();

        Cli.Result result = Cli.run("report", plain.toString(), "--html", html.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(rows(result.out())).doesNotContain("Sessions", "Session events", "Sagas", "Saga events",
                "Kill switch");
        assertThat(Files.readString(html, StandardCharsets.UTF_8)).doesNotContain("id=\"sessions\"", "id=\"sagas\"",
                "id=\"kill-switch\"");
    }

    @Test
    void verifyProofDescribesASessionRecord() {
        byte[] joined = new RecordEncoder().sessionEvent(2, TrailFixture.timeOf(2), Utf8.encode("s-1"),
                SessionEvent.JOINED, Utf8.encode("researcher-1"), 2, new byte[0]).toByteArray();
        assertThat(VerifyProofCommand.describe(AuditRecord.decode(joined, 0, joined.length)))
                .isEqualTo("SESSION at 2025-03-01T09:30:02.000Z: session s-1: researcher-1 (ring 2) JOINED");
    }

    @Test
    void verifyProofNamesTheSessionOfAnOutcome() {
        byte[] returned = new RecordEncoder().outcome(RecordType.CALL_RETURNED, 4, TrailFixture.timeOf(4), 3,
                1_000L, new byte[0], Utf8.encode("s-1")).toByteArray();
        assertThat(VerifyProofCommand.describe(AuditRecord.decode(returned, 0, returned.length)))
                .isEqualTo("RETURNED at 2025-03-01T09:30:04.000Z: call 3 returned after 0.001 ms, session s-1");
        byte[] threw = new RecordEncoder().outcome(RecordType.CALL_THREW, 4, TrailFixture.timeOf(4), 3, 1_000L,
                Utf8.encode("java.io.IOException"), new byte[0]).toByteArray();
        assertThat(VerifyProofCommand.describe(AuditRecord.decode(threw, 0, threw.length)))
                .as("outside a session").endsWith("call 3 threw java.io.IOException after 0.001 ms");
    }

    @Test
    void filterBySessionShowsItsOutcomesAndOnlyThose() {
        assertThat(seqs("--session", "s-1", "--decision", "returned")).containsExactly(4L);
        assertThat(seqs("--session", "s-2", "--decision", "returned")).isEmpty();
        assertThat(seqs("--session", "s-1", "--since", "2025-03-01T09:30:04Z")).containsExactly(4L, 5L, 6L, 8L, 9L);
    }

    private List<Long> seqs(String... options) {
        return FilterCommandTest.seqs(dir, options);
    }
}
