package dev.agentmesh.reader;

import static dev.agentmesh.reader.ReportCommandTest.rows;
import static dev.agentmesh.reader.ReportCommandTest.section;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.SessionEvent;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.Utf8;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONTROL records (the kill switch) through every reader command that shows records: export and tail in each
 * format, filter (by subject, through {@code --agent} and {@code --session}), report, verify-proof's sentence.
 */
class ControlRecordsTest {

    private static final String KILLED_ERROR = "dev.agentmesh.api.AgentKilledError";

    @TempDir
    Path tmp;

    private Path dir;
    private TrailFixture trail;

    @BeforeEach
    void writeTrail() {
        // seq  record                                                              time 2025-03-01T09:30:<seq>Z
        //   0  GENESIS
        //   1  SESSION s-1 CREATED   no agent
        //   2  SESSION s-1 JOINED    researcher-1 ring 2
        //   3  ALLOW   researcher-1 ring 2  s-1  com.acme.Tools#search
        //   4  CONTROL KILLED  agent:researcher-1  ops-jane  "runaway loop"
        //   5  THREW   call 3 (AgentKilledError)   s-1
        //   6  ALLOW   writer-1 ring 1  s-1  com.acme.Files#write
        //   7  CONTROL KILLED  session:s-1  ops-jane  a reason with a comma and quotes
        //   8  THREW   call 6 (AgentKilledError)   s-1
        //   9  CONTROL REVIVED agent:researcher-1  ops-joe  "false alarm"
        //  10  ALLOW   writer-1 ring 1  (no session)  com.acme.Files#write
        //  11  RETURNED call 10
        //  12  CONTROL KILLED  all  ops-joe  no reason; a line break in the detail
        //  13  CONTROL REVIVED all  ops-jane "all clear"
        dir = tmp.resolve("trail");
        trail = TrailFixture.create(dir)
                .session("s-1", SessionEvent.CREATED, "", TrailFormat.NO_RING, "")
                .session("s-1", SessionEvent.JOINED, "researcher-1", 2, "")
                .decision(RecordType.CALL_ALLOWED, "researcher-1", 2, 2, "s-1", "com.acme.Tools", "search", "()V")
                .control(ControlEvent.KILLED, "agent:researcher-1", "ops-jane", "runaway loop",
                        "via jmx; 1 call interrupted")
                .outcome(RecordType.CALL_THREW, 3, 2_000L, KILLED_ERROR, "s-1")
                .decision(RecordType.CALL_ALLOWED, "writer-1", 1, 1, "s-1", "com.acme.Files", "write", "()V")
                .control(ControlEvent.KILLED, "session:s-1", "ops-jane", "budget, \"exceeded\"",
                        "via api; 1 call interrupted; sagas compensating [trip-0a1b2c3d4e5f]")
                .outcome(RecordType.CALL_THREW, 6, 3_000L, KILLED_ERROR, "s-1")
                .control(ControlEvent.REVIVED, "agent:researcher-1", "ops-joe", "false alarm", "via api")
                .decision(RecordType.CALL_ALLOWED, "writer-1", 1, 1, "", "com.acme.Files", "write", "()V")
                .outcome(RecordType.CALL_RETURNED, 10, 1_000L, "", "")
                .control(ControlEvent.KILLED, "all", "ops-joe", "", "via jmx\nat once")
                .control(ControlEvent.REVIVED, "all", "ops-jane", "all clear", "via api");
        trail.close();
    }

    @Test
    void jsonlHasTheControlMembersInOrder() {
        List<String> lines = Cli.run("export", dir.toString()).outLines();

        assertThat(lines).hasSize(14);
        assertThat(lines.get(4)).isEqualTo("{\"seq\":4,\"time\":\"2025-03-01T09:30:04.000Z\",\"timeMillis\":"
                + TrailFixture.timeOf(4) + ",\"type\":\"CONTROL\",\"hash\":\"" + Hex.of(trail.hash(4))
                + "\",\"event\":\"KILLED\",\"subject\":\"agent:researcher-1\",\"actor\":\"ops-jane\",\"reason\":"
                + "\"runaway loop\",\"detail\":\"via jmx; 1 call interrupted\"}");
        // An empty reason is still there; no agentId or sessionId: the subject names what was acted on.
        Map<String, Object> all = MiniJson.parseObject(lines.get(12));
        assertThat(all.keySet()).containsExactly("seq", "time", "timeMillis", "type", "hash", "event", "subject",
                "actor", "reason", "detail");
        assertThat(all).containsEntry("subject", "all").containsEntry("reason", "")
                .containsEntry("detail", "via jmx\nat once");
        assertThat(MiniJson.parseObject(lines.get(7))).containsEntry("reason", "budget, \"exceeded\"");
    }

    @Test
    void csvFillsTheEventAndDetailColumnsAndTheControlColumnsAtTheEnd() {
        String[] rows = Cli.run("export", dir.toString(), "--format", "csv").out().split("\r\n", -1);

        assertThat(rows[0]).endsWith(",hash,event,detail,sagaId,step,attempt,data,subject,actor,reason,onBehalfOf,"
                + "vouchedBy,framework,tool,invocationId");
        assertThat(rows[5]).isEqualTo("4,2025-03-01T09:30:04.000Z,CONTROL,,,,,,,,,,,,," + Hex.of(trail.hash(4))
                + ",KILLED,via jmx; 1 call interrupted,,,,,agent:researcher-1,ops-jane,runaway loop,,,,,");
        assertThat(rows[8]).isEqualTo("7,2025-03-01T09:30:07.000Z,CONTROL,,,,,,,,,,,,," + Hex.of(trail.hash(7))
                + ",KILLED,via api; 1 call interrupted; sagas compensating [trip-0a1b2c3d4e5f],,,,,session:s-1,"
                + "ops-jane,\"budget, \"\"exceeded\"\"\",,,,,");
        assertThat(rows[13]).endsWith(",KILLED,\"via jmx\nat once\",,,,,all,ops-joe,,,,,,");
        // Every row has the header's 30 columns.
        assertThat(rows[6].split(",", -1)).hasSize(30);
        assertThat(rows).hasSize(16);
    }

    @Test
    void textSaysWhoDidWhatToWhichSubjectAndWhy() {
        List<String> lines = Cli.run("export", dir.toString(), "--format", "text").outLines();

        assertThat(lines).hasSize(15);
        assertThat(lines.get(5)).contains("CONTROL", Hex.of(trail.hash(4)).substring(0, 10))
                .endsWith("agent:researcher-1 KILLED by ops-jane: runaway loop (via jmx; 1 call interrupted)");
        assertThat(lines.get(10)).endsWith("agent:researcher-1 REVIVED by ops-joe: false alarm (via api)");
        // No reason: nothing after the operator but the detail, whose line break is escaped.
        assertThat(lines.get(13)).endsWith("all KILLED by ops-joe (via jmx\\nat once)");
    }

    @Test
    void tailPrintsControlRecordsInExportsLines() {
        String csv = Cli.run("tail", dir.toString(), "--from-seq", "4", "--max-records", "1", "--format", "csv")
                .out();
        assertThat(csv).startsWith(CsvFormat.HEADER).endsWith(",agent:researcher-1,ops-jane,runaway loop,,,,,\r\n");
        assertThat(Cli.run("export", dir.toString(), "--format", "csv").out())
                .contains(csv.substring(CsvFormat.HEADER.length()));

        assertThat(Cli.run("tail", dir.toString(), "--from-seq", "12").outLines())
                .isEqualTo(Cli.run("export", dir.toString()).outLines().subList(12, 14));

        List<String> text = Cli.run("tail", dir.toString(), "--from-seq", "13", "--format", "text").outLines();
        assertThat(text).hasSize(2);
        assertThat(text.get(1)).endsWith("all REVIVED by ops-jane: all clear (via api)");
    }

    @Test
    void filterMatchesTheSubjectThroughAgentAndSession() {
        assertThat(seqs("--decision", "CONTROL")).containsExactly(4L, 7L, 9L, 12L, 13L);
        // agent:<id> is that agent's; all is every agent's.
        assertThat(seqs("--agent", "researcher-1")).containsExactly(2L, 3L, 4L, 5L, 9L, 12L, 13L);
        assertThat(seqs("--agent", "writer-1")).containsExactly(6L, 8L, 10L, 11L, 12L, 13L);
        assertThat(seqs("--agent", "nobody")).containsExactly(12L, 13L);
        assertThat(seqs("--decision", "control", "--agent", "researcher-1")).containsExactly(4L, 9L, 12L, 13L);
        // session:<id> is that session's; all is every session's, and covers calls outside any session too.
        assertThat(seqs("--session", "s-1")).containsExactly(1L, 2L, 3L, 5L, 6L, 7L, 8L, 12L, 13L);
        assertThat(seqs("--decision", "control", "--session", "s-1")).containsExactly(7L, 12L, 13L);
        assertThat(seqs("--session", "")).containsExactly(10L, 11L, 12L, 13L);
        // A kill of an agent is not a kill of a session it is in, nor the other way round.
        assertThat(seqs("--decision", "control", "--agent", "researcher-1", "--session", "s-1"))
                .containsExactly(12L, 13L);
        // No saga, ring or method.
        assertThat(seqs("--saga", "trip-0a1b2c3d4e5f")).isEmpty();
        assertThat(seqs("--ring", "2")).containsExactly(2L, 3L, 5L);
        assertThat(seqs("--method", "*")).containsExactly(3L, 5L, 6L, 8L, 10L, 11L);
        assertThat(seqs("--decision", "control", "--since", "2025-03-01T09:30:09Z", "--until",
                "2025-03-01T09:30:13Z")).containsExactly(9L, 12L);
        assertThat(seqs("--decision", "allow,deny,session,saga,returned,threw")).doesNotContain(4L, 7L, 9L, 12L, 13L);
        assertThat(RecordFilter.decision("control")).isEqualTo(RecordType.CONTROL);

        Cli.Result bad = Cli.run("filter", dir.toString(), "--decision", "kill");
        assertThat(bad.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(bad.err()).contains("SESSION, SAGA, CONTROL");
    }

    @Test
    void filterCsvAndTextHaveTheExportLines() {
        FilterCommandTest.assertWritesExportsLastLines(dir, "--decision", "control", "--since",
                "2025-03-01T09:30:12Z");
    }

    @Test
    void reportListsKillsAndRevivalsBySubjectWithOperatorAndReason() throws Exception {
        Path html = tmp.resolve("report.html");
        Cli.Result result = Cli.run("report", dir.toString(), "--html", html.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        List<String> rows = rows(result.out());
        assertThat(section(rows, "Totals")).contains("records 14", "calls allowed 3", "returned 1", "threw 2",
                "still open 0");
        assertThat(section(rows, "Kill switch")).containsExactly("KILLED 3", "REVIVED 2", "QUARANTINED 0",
                "RELEASED 0", "ELEVATED 0", "ELEVATION_USED 0", "ELEVATION_EXPIRED 0", "VOUCHED 0",
                "VOUCH_WITHDRAWN 0", "SLASHED 0", "RING_CHANGED 0", "BREACH 0", "COMMAND_REFUSED 0", "subjects 3", "control events 5");
        // By subject, each subject's in trail order; an empty reason is a dash.
        assertThat(section(rows, "Kill switch, by subject (5 events)")).containsExactly(
                "SUBJECT EVENT TIME ACTOR REASON",
                "agent:researcher-1 KILLED 2025-03-01T09:30:04.000Z ops-jane runaway loop",
                "agent:researcher-1 REVIVED 2025-03-01T09:30:09.000Z ops-joe false alarm",
                "all KILLED 2025-03-01T09:30:12.000Z ops-joe -",
                "all REVIVED 2025-03-01T09:30:13.000Z ops-jane all clear",
                "session:s-1 KILLED 2025-03-01T09:30:07.000Z ops-jane budget, \"exceeded\"");
        // CONTROL records are not calls: the agents' call counts are unchanged.
        assertThat(section(rows, "Agents, by calls (2 in all)")).contains("writer-1 2 2 0 1",
                "researcher-1 1 1 0 1");
        // No denial, breach or slash: no liability section.
        assertThat(rows).doesNotContain("Liability");

        String page = Files.readString(html, StandardCharsets.UTF_8);
        ReportCommandTest.assertSelfContained(page);
        String killSwitch = ReportCommandTest.between(page, "id=\"kill-switch\"", "</section>");
        assertThat(killSwitch).contains("<tr><th scope=\"row\">KILLED</th><td>3</td></tr>",
                "<tr><th scope=\"row\">Subjects</th><td>3</td></tr>",
                "<tr><th scope=\"row\">Control events</th><td>5</td></tr>",
                "<tr><td><code>session:s-1</code></td><td>KILLED</td><td>2025-03-01T09:30:07.000Z</td>"
                        + "<td>ops-jane</td><td>budget, &quot;exceeded&quot;</td></tr>",
                "<tr><td><code>all</code></td><td>KILLED</td><td>2025-03-01T09:30:12.000Z</td><td>ops-joe</td>"
                        + "<td>-</td></tr>");
        assertThat(killSwitch.indexOf("agent:researcher-1")).isLessThan(killSwitch.indexOf("session:s-1"));
        assertThat(killSwitch).contains("<tr><th scope=\"row\">BREACH</th><td>0</td></tr>",
                "<th scope=\"col\">Actor</th>");
        assertThat(page).doesNotContain("id=\"liability\"");
    }

    @Test
    void verifyAcceptsControlRecords() {
        Cli.Result result = Cli.run("verify", dir.toString());
        assertThat(result.exitCode()).as(result.out()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).startsWith("OK 14 records");
    }

    @Test
    void verifyProofDescribesAControlRecord() {
        byte[] killed = new RecordEncoder().control(7, TrailFixture.timeOf(7), ControlEvent.KILLED,
                Utf8.encode("session:s-1"), Utf8.encode("ops-jane"), Utf8.encode("budget"),
                Utf8.encode("via api; 2 calls interrupted")).toByteArray();
        assertThat(VerifyProofCommand.describe(AuditRecord.decode(killed, 0, killed.length))).isEqualTo("CONTROL at "
                + "2025-03-01T09:30:07.000Z: session:s-1 KILLED by ops-jane: budget (via api; 2 calls interrupted)");
    }

    private List<Long> seqs(String... options) {
        return FilterCommandTest.seqs(dir, options);
    }
}
