package dev.agentmesh.reader;

import static dev.agentmesh.reader.FilterCommandTest.seqs;
import static dev.agentmesh.reader.ReportCommandTest.rows;
import static dev.agentmesh.reader.ReportCommandTest.section;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.Utf8;
import dev.agentmesh.reader.TrailFixture.Tool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls of agent frameworks' tools on the trail (format version 3): decisions that carry the framework, its name
 * for the tool and its id for the call, through every reader command that shows records (export in each format and
 * with {@code --fields}, tail, filter's {@code --framework} and {@code --tool}, verify-proof's sentence) and
 * report's tool tables, which name such a tool {@code framework:tool}.
 */
class FrameworkRecordsTest {

    /** A tool name is the application's input, as an agent id is: markup and a line break. */
    private static final String HOSTILE_TOOL = "<b>x</b>\n";

    /** The descriptor of the method that implements both web_search tools. */
    private static final String SEARCH = "(Ljava/lang/String;)Ljava/util/List;";

    @TempDir
    Path tmp;

    private Path dir;

    @BeforeEach
    void writeTrail() {
        // seq  record                                                                  time 2025-03-01T09:30:<seq>Z
        //   0  GENESIS
        //   1  ALLOW    researcher r2 req2 s-1  SearchTools#webSearch  via langchain4j tool web_search (call_1)
        //   2  RETURNED call 1 after 2 ms, s-1
        //   3  ALLOW    researcher r2 req2 s-1  SearchTools#webSearch  via mcp tool web_search (req-7/sess-a)
        //   4  THREW    call 3 after 4 ms, s-1
        //   5  DENY     researcher r2 req1      Db#deleteRecords       via spring-ai tool delete_records (call_2),
        //                                                              on behalf of lead
        //   6  ALLOW    ops r1 req1             Tools#plan             a plain @Ring call
        //   7  RETURNED call 6 after 1 ms
        //   8  CONTROL  KILLED all by ops-jane
        //   9  ALLOW    scout r2 req2           Evil#run               via mcp tool <b>x</b>\n, no invocation id
        dir = tmp.resolve("trail");
        try (TrailFixture trail = TrailFixture.create(dir)) {
            trail.decision(RecordType.CALL_ALLOWED, "researcher", 2, 2, "s-1", "com.acme.SearchTools", "webSearch",
                            SEARCH, "", "", new Tool("langchain4j", "web_search", "call_1"))
                    .outcome(RecordType.CALL_RETURNED, 1, 2_000_000L, "", "s-1")
                    .decision(RecordType.CALL_ALLOWED, "researcher", 2, 2, "s-1", "com.acme.SearchTools", "webSearch",
                            SEARCH, "", "", new Tool("mcp", "web_search", "req-7/sess-a"))
                    .outcome(RecordType.CALL_THREW, 3, 4_000_000L, "java.io.IOException", "s-1")
                    .decision(RecordType.CALL_DENIED, "researcher", 2, 1, "", "com.acme.Db", "deleteRecords", "()V",
                            "lead", "", new Tool("spring-ai", "delete_records", "call_2"))
                    .decision(RecordType.CALL_ALLOWED, "ops", 1, 1, "", "com.acme.Tools", "plan", "()V")
                    .outcome(RecordType.CALL_RETURNED, 6, 1_000_000L, "", "")
                    .control(ControlEvent.KILLED, "all", "ops-jane", "", "via jmx")
                    .decision(RecordType.CALL_ALLOWED, "scout", 2, 2, "", "com.acme.Evil", "run", "()V", "", "",
                            new Tool("mcp", HOSTILE_TOOL, ""));
        }
    }

    @Test
    void jsonlCarriesTheFrameworkToolAndInvocationIdOfEveryDecisionOnly() {
        List<Map<String, Object>> records = Cli.run("export", dir.toString()).outLines().stream()
                .map(MiniJson::parseObject).toList();

        assertThat(records).hasSize(10);
        assertThat(records.get(1).keySet()).endsWith("argsDigest", "onBehalfOf", "vouchedBy", "framework", "tool",
                "invocationId");
        assertThat(records.get(1)).containsEntry("framework", "langchain4j").containsEntry("tool", "web_search")
                .containsEntry("invocationId", "call_1").containsEntry("method", "webSearch");
        assertThat(records.get(3)).containsEntry("invocationId", "req-7/sess-a");
        assertThat(records.get(5)).containsEntry("framework", "spring-ai").containsEntry("tool", "delete_records")
                .containsEntry("onBehalfOf", "lead");
        // A plain call has them, empty; outcomes, CONTROL and GENESIS records have none.
        assertThat(records.get(6)).containsEntry("framework", "").containsEntry("tool", "")
                .containsEntry("invocationId", "");
        for (int seq : new int[] {0, 2, 4, 7, 8}) {
            assertThat(records.get(seq)).as("seq %d", seq).doesNotContainKeys("framework", "tool", "invocationId");
        }
        assertThat(records.get(9)).containsEntry("tool", HOSTILE_TOOL).containsEntry("invocationId", "");
    }

    @Test
    void csvFillsTheThreeLastColumnsForDecisions() {
        String[] rows = Cli.run("export", dir.toString(), "--format", "csv").out().split("\r\n", -1);

        assertThat(rows[0]).endsWith(",reason,onBehalfOf,vouchedBy,framework,tool,invocationId");
        assertThat(rows[2]).startsWith("1,2025-03-01T09:30:01.000Z,ALLOW,researcher,2,s-1,com.acme.SearchTools,")
                .endsWith(",,,langchain4j,web_search,call_1");
        assertThat(rows[6]).endsWith(",lead,,spring-ai,delete_records,call_2");
        assertThat(rows[7]).endsWith(",,,,,");
        assertThat(rows[3]).as("RETURNED").endsWith(",,,,,");
        assertThat(rows[9]).as("CONTROL").endsWith(",all,ops-jane,,,,,,");
        assertThat(rows[10]).endsWith(",,,mcp,\"" + HOSTILE_TOOL + "\",");
        for (int i = 0; i < 11; i++) {
            assertThat(rows[i].split(",", -1)).as(rows[i]).hasSize(30);
        }
        assertThat(Cli.run("export", dir.toString(), "--format", "csv", "--fields", "seq,framework,tool").out()
                .split("\r\n")).contains("seq,framework,tool", "1,langchain4j,web_search", "6,,", "7,,", "8,,");
    }

    @Test
    void textSaysWhichFrameworksToolWasCalled() {
        List<String> lines = Cli.run("export", dir.toString(), "--format", "text").outLines();

        assertThat(lines.get(2)).endsWith("researcher (ring 2) may call SearchTools#webSearch, which needs ring 2, via "
                + "langchain4j tool web_search (call_1) [session s-1]");
        assertThat(lines.get(4)).endsWith(", via mcp tool web_search (req-7/sess-a) [session s-1]");
        assertThat(lines.get(6)).endsWith("researcher (ring 2) may NOT call Db#deleteRecords, which needs ring 1, via "
                + "spring-ai tool delete_records (call_2), on behalf of lead");
        assertThat(lines.get(7)).endsWith("ops (ring 1) may call Tools#plan, which needs ring 1");
        // The tool name's line break is escaped; with no invocation id there are no brackets.
        assertThat(lines.get(10)).endsWith("scout (ring 2) may call Evil#run, which needs ring 2, via mcp tool "
                + "<b>x</b>\\n");
        assertThat(lines).hasSize(11);
        // tail prints export's lines
        assertThat(Cli.run("tail", dir.toString(), "--from-seq", "5", "--max-records", "1", "--format", "text")
                .outLines().get(1)).isEqualTo(lines.get(6));
    }

    @Test
    void filterByFrameworkAndToolSelectsTheirCallsAndTheOutcomesThatFollow() {
        assertThat(seqs(dir, "--framework", "langchain4j")).containsExactly(1L, 2L);
        assertThat(seqs(dir, "--framework", "mcp")).containsExactly(3L, 4L, 9L);
        assertThat(seqs(dir, "--framework", "langchain4j", "--framework", "spring-ai")).containsExactly(1L, 2L, 5L);
        assertThat(seqs(dir, "--tool", "web_search")).containsExactly(1L, 2L, 3L, 4L);
        assertThat(seqs(dir, "--tool", "web_search", "--tool", "delete_records")).containsExactly(1L, 2L, 3L, 4L,
                5L);
        assertThat(seqs(dir, "--tool", "web_search", "--framework", "mcp")).containsExactly(3L, 4L);
        assertThat(seqs(dir, "--tool", HOSTILE_TOOL)).containsExactly(9L);
        // '' selects plain @Ring calls, with their outcomes.
        assertThat(seqs(dir, "--framework", "")).containsExactly(6L, 7L);
        assertThat(seqs(dir, "--tool", "")).containsExactly(6L, 7L);
        // Exactly the name, not part of it, not the Java method that implements it, not framework:tool.
        assertThat(seqs(dir, "--tool", "web")).isEmpty();
        assertThat(seqs(dir, "--tool", "webSearch")).isEmpty();
        assertThat(seqs(dir, "--tool", "langchain4j:web_search")).isEmpty();
        // With the other criteria: all must match; an outcome follows its call, not its session alone.
        assertThat(seqs(dir, "--framework", "mcp", "--agent", "scout")).containsExactly(9L);
        assertThat(seqs(dir, "--framework", "mcp", "--decision", "THREW")).containsExactly(4L);
        assertThat(seqs(dir, "--framework", "langchain4j", "--session", "s-1")).containsExactly(1L, 2L);
        assertThat(seqs(dir, "--tool", "delete_records", "--on-behalf-of", "lead")).containsExactly(5L);
        // CONTROL and GENESIS records carry no framework or tool: they never match, not even ''.
        assertThat(seqs(dir, "--framework", "mcp", "--decision", "control")).isEmpty();
        assertThat(seqs(dir, "--framework", "", "--decision", "control")).isEmpty();
        // in export's lines
        FilterCommandTest.assertWritesExportsCsvRowOf(dir, 5, "--tool", "delete_records");
    }

    @Test
    void filterHelpNamesTheNewOptions() {
        Cli.Result help = Cli.run("filter", "--help");
        assertThat(help.out()).contains("--framework=<name>", "--tool=<name>");
    }

    @Test
    void reportNamesAFrameworksToolByFrameworkAndToolName() throws Exception {
        Path html = tmp.resolve("report.html");
        Cli.Result result = Cli.run("report", dir.toString(), "--html", html.toString());
        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);

        List<String> rows = rows(result.out());
        // One call each: by name. Both web_search tools keep apart, and neither is SearchTools#webSearch, the
        // method that implements them; the plain call goes by class and method.
        assertThat(section(rows, "Tools, by calls (5 in all; durations in ms, of calls whose outcome is in the "
                + "trail)")).containsExactly("TOOL CALLS DENIED THREW MEAN MAX",
                        "com.acme.Tools#plan 1 0 0 1.000 1.000",
                        "langchain4j:web_search 1 0 0 2.000 2.000",
                        "mcp:<b>x</b>\\n 1 0 0 - -",
                        "mcp:web_search 1 0 1 4.000 4.000",
                        "spring-ai:delete_records 1 1 0 - -");
        assertThat(result.out()).doesNotContain("SearchTools#webSearch", "Db#deleteRecords");

        String page = Files.readString(html, StandardCharsets.UTF_8);
        ReportCommandTest.assertSelfContained(page);
        String tools = ReportCommandTest.between(page, "id=\"tools\"", "</section>");
        assertThat(tools).contains("<tr><td><code>langchain4j:web_search</code></td><td>1</td><td>0</td><td>0</td>"
                + "<td>2.000</td><td>2.000</td></tr>", "<code>spring-ai:delete_records</code>")
                .doesNotContain("<b>", "SearchTools");
        String slowest = ReportCommandTest.between(page, "id=\"slowest-tools\"", "</section>");
        assertThat(slowest).containsSubsequence("<code>mcp:web_search</code>", "<code>langchain4j:web_search</code>",
                "<code>com.acme.Tools#plan</code>");
    }

    @Test
    void verifyProofDescribesAFrameworkCall() {
        byte[] none = new byte[0];
        byte[] deny = new RecordEncoder().decision(RecordType.CALL_DENIED, 5, TrailFixture.timeOf(5), 2, 1,
                Utf8.encode("researcher"), none, Utf8.encode("com.acme.Db"), Utf8.encode("deleteRecords"),
                Utf8.encode("()V"), new byte[32], Utf8.encode("lead"), none, Utf8.encode("spring-ai"),
                Utf8.encode("delete_records"), Utf8.encode("call_2")).toByteArray();
        assertThat(VerifyProofCommand.describe(AuditRecord.decode(deny, 0, deny.length))).isEqualTo("DENY at "
                + "2025-03-01T09:30:05.000Z: agent researcher (ring 2) was refused com.acme.Db#deleteRecords()V, "
                + "which needs ring 1, via spring-ai tool delete_records (call_2), on behalf of lead");
    }

    @Test
    void theSentenceSaysWhatTheRecordHasOfTheThree() {
        assertThat(TextFormat.via(call("", "", ""))).isEmpty();
        assertThat(TextFormat.via(call("mcp", "", ""))).isEqualTo(", via mcp");
        assertThat(TextFormat.via(call("mcp", "search", ""))).isEqualTo(", via mcp tool search");
        assertThat(TextFormat.via(call("mcp", "", "r-1"))).isEqualTo(", via mcp (r-1)");
        assertThat(TextFormat.via(call("", "search", "r\t1"))).isEqualTo(", via tool search (r\\t1)");
    }

    private static AuditRecord call(String framework, String tool, String invocationId) {
        byte[] none = new byte[0];
        byte[] b = new RecordEncoder().decision(RecordType.CALL_ALLOWED, 1, 0, 2, 2, Utf8.encode("a"), none,
                Utf8.encode("C"), Utf8.encode("m"), Utf8.encode("()V"), new byte[32], none, none,
                Utf8.encode(framework), Utf8.encode(tool), Utf8.encode(invocationId)).toByteArray();
        return AuditRecord.decode(b, 0, b.length);
    }
}
