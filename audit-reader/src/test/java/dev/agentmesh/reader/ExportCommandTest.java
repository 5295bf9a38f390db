package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.ArgumentDigest;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.TrailFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ExportCommandTest {

    /** Needs every kind of escaping: a quote, a backslash, a comma, a newline, a tab, a control and non-ASCII. */
    static final String AWKWARD_AGENT = "eve \"the\" \\ agent,\nline2\t\u0001 é 漢";

    /** A framework's id for a call is its input too: a quote, a comma and a newline. */
    static final String AWKWARD_INVOCATION = "req \"7\", s-1\n";

    @TempDir
    Path dir;

    private TrailFixture trail;

    @BeforeEach
    void writeTrail() {
        // seq 0 GENESIS, 1 ALLOW, 2 RETURNED, 3 DENY (on behalf of lead>orchestrator, vouched by lead,root, of the
        // mcp tool transfer_funds), 4 ALLOW, 5 THREW
        trail = TrailFixture.create(dir)
                .decision(RecordType.CALL_ALLOWED, "alice", 1, 2, "session-9", "com.acme.Tools", "search",
                        "(Ljava/lang/String;)V")
                .outcome(RecordType.CALL_RETURNED, 1, 1_234L, "", "session-9")
                .decision(RecordType.CALL_DENIED, AWKWARD_AGENT, 3, 1, "", "com.acme.Bank", "transfer", "(JJ)V",
                        "lead>orchestrator", "lead,root",
                        new TrailFixture.Tool("mcp", "transfer_funds", AWKWARD_INVOCATION))
                .decision(RecordType.CALL_ALLOWED, "bob", 0, 0, "s", "com.acme.Files", "delete", "()V")
                .outcome(RecordType.CALL_THREW, 4, 99L, "java.io.IOException", "s");
        trail.close();
    }

    @Test
    void jsonlHasOneObjectPerRecordInOrder() {
        Cli.Result result = Cli.run("export", dir.toString(), "--format", "jsonl");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).endsWith("}\n").doesNotContain("\r");
        List<Map<String, Object>> records = result.outLines().stream().map(MiniJson::parseObject).toList();
        assertThat(records).hasSize(6);
        for (int i = 0; i < records.size(); i++) {
            assertThat(records.get(i))
                    .containsEntry("seq", (long) i)
                    .containsEntry("timeMillis", TrailFixture.timeOf(i))
                    .containsEntry("hash", Hex.of(trail.hash(i)));
        }
        assertThat(records).extracting(r -> r.get("type"))
                .containsExactly("GENESIS", "ALLOW", "RETURNED", "DENY", "ALLOW", "THREW");
    }

    @Test
    void jsonlGenesisFields() {
        Map<String, Object> genesis = jsonl().get(0);

        assertThat(genesis).containsOnlyKeys("seq", "time", "timeMillis", "type", "hash", "formatVersion",
                "writerId", "policyDigest", "policySource");
        assertThat(genesis)
                .containsEntry("time", "2025-03-01T09:30:00.000Z")
                .containsEntry("formatVersion", (long) TrailFormat.VERSION)
                .containsEntry("writerId", "writer-1")
                .containsEntry("policyDigest", Hex.of(TrailFixture.POLICY_DIGEST))
                .containsEntry("policySource", "policy.yaml");
    }

    @Test
    void jsonlDecisionFields() {
        Map<String, Object> allow = jsonl().get(1);

        assertThat(allow).containsOnlyKeys("seq", "time", "timeMillis", "type", "hash", "agentId", "agentRing",
                "sessionId", "class", "method", "descriptor", "requiredRing", "decision", "argsDigest", "onBehalfOf",
                "vouchedBy", "framework", "tool", "invocationId");
        assertThat(allow)
                .containsEntry("time", "2025-03-01T09:30:01.000Z")
                .containsEntry("agentId", "alice")
                .containsEntry("agentRing", 1L)
                .containsEntry("requiredRing", 2L)
                .containsEntry("sessionId", "session-9")
                .containsEntry("class", "com.acme.Tools")
                .containsEntry("method", "search")
                .containsEntry("descriptor", "(Ljava/lang/String;)V")
                .containsEntry("decision", "ALLOW")
                .containsEntry("argsDigest", Hex.of(new ArgumentDigest().digest("arg")))
                // acting for itself, vouched for by no one: there, and empty, as an empty sessionId is
                .containsEntry("onBehalfOf", "")
                .containsEntry("vouchedBy", "")
                // a plain @Ring call: made through no framework, there and empty too
                .containsEntry("framework", "")
                .containsEntry("tool", "")
                .containsEntry("invocationId", "");
        assertThat(jsonl().get(3))
                .containsEntry("type", "DENY")
                .containsEntry("decision", "DENY")
                .containsEntry("sessionId", "")
                .containsEntry("onBehalfOf", "lead>orchestrator")
                .containsEntry("vouchedBy", "lead,root")
                .containsEntry("framework", "mcp")
                .containsEntry("tool", "transfer_funds")
                .containsEntry("invocationId", AWKWARD_INVOCATION);
    }

    @Test
    void jsonlEscapesStringsSoTheyRoundTrip() {
        assertThat(jsonl().get(3)).containsEntry("agentId", AWKWARD_AGENT);
    }

    @Test
    void jsonlOutcomeFields() {
        Map<String, Object> returned = jsonl().get(2);
        Map<String, Object> threw = jsonl().get(5);

        assertThat(returned).containsOnlyKeys("seq", "time", "timeMillis", "type", "hash", "sessionId", "callSeq",
                "durationNanos", "outcome");
        assertThat(returned)
                .containsEntry("sessionId", "session-9")
                .containsEntry("callSeq", 1L)
                .containsEntry("durationNanos", 1_234L)
                .containsEntry("outcome", "RETURNED");
        assertThat(threw)
                .containsEntry("sessionId", "s")
                .containsEntry("callSeq", 4L)
                .containsEntry("durationNanos", 99L)
                .containsEntry("outcome", "THREW")
                .containsEntry("exception", "java.io.IOException");
    }

    @Test
    void jsonlIsTheDefaultFormat() {
        assertThat(Cli.run("export", dir.toString()).out())
                .isEqualTo(Cli.run("export", dir.toString(), "--format", "jsonl").out());
    }

    @Test
    void csvHasTheStableHeaderAndOneRowPerRecord() {
        Cli.Result result = Cli.run("export", dir.toString(), "--format", "csv");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        String[] rows = result.out().split("\r\n", -1);
        assertThat(rows[0]).isEqualTo("seq,time,type,agentId,agentRing,sessionId,class,method,descriptor,"
                + "requiredRing,decision,callSeq,durationNanos,exception,argsDigest,hash,event,detail,sagaId,step,"
                + "attempt,data,subject,actor,reason,onBehalfOf,vouchedBy,framework,tool,invocationId");
        // event and detail are for SESSION, SAGA and CONTROL records only, sagaId..data for SAGA records,
        // subject..reason for CONTROL records (see SessionRecordsTest, SagaRecordsTest, ControlRecordsTest): empty
        // here; the last five for decisions, empty for a plain call of one that acts for itself, vouched for by no
        // one
        assertThat(rows[1]).isEqualTo("0,2025-03-01T09:30:00.000Z,GENESIS,,,,,,,,,,,,," + Hex.of(trail.hash(0))
                + ",,,,,,,,,,,,,,");
        assertThat(rows[2]).isEqualTo("1,2025-03-01T09:30:01.000Z,ALLOW,alice,1,session-9,com.acme.Tools,search,"
                + "(Ljava/lang/String;)V,2,ALLOW,,,," + Hex.of(new ArgumentDigest().digest("arg")) + ","
                + Hex.of(trail.hash(1)) + ",,,,,,,,,,,,,,");
        assertThat(rows[3]).isEqualTo("2,2025-03-01T09:30:02.000Z,RETURNED,,,session-9,,,,,,1,1234,,,"
                + Hex.of(trail.hash(2)) + ",,,,,,,,,,,,,,");
        assertThat(rows[4]).endsWith(",DENY,,,," + Hex.of(new ArgumentDigest().digest("arg")) + ","
                + Hex.of(trail.hash(3)) + ",,,,,,,,,,lead>orchestrator,\"lead,root\",mcp,transfer_funds,"
                + "\"req \"\"7\"\", s-1\n\"");
        assertThat(rows[6]).startsWith("5,2025-03-01T09:30:05.000Z,THREW,,,s,,,,,,4,99,java.io.IOException,,");
        // Seven rows, each ended by CRLF: the split leaves one empty string after the last.
        assertThat(rows).hasSize(8);
        assertThat(rows[7]).isEmpty();
    }

    @Test
    void textSaysWhatHappenedOneLinePerRecord() {
        Cli.Result result = Cli.run("export", dir.toString(), "--format", "text");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        List<String> lines = result.outLines();
        assertThat(lines.get(0)).startsWith("   SEQ  TIME").contains("WHAT");
        assertThat(lines).hasSize(1 + 6);
        assertThat(lines.get(1)).contains("GENESIS").contains(Hex.of(trail.hash(0)).substring(0, 10));
        assertThat(lines.get(2)).contains("ALLOW", "alice (ring 1) may call Tools#search, which needs ring 2",
                "[session session-9]");
        assertThat(lines.get(3)).contains("RETURNED").endsWith("call 1 returned after 0.001 ms [session session-9]");
        // Control characters in an agent id are escaped: a value can never start a line that passes for a record.
        assertThat(lines.get(4)).contains("DENY", "eve \"the\" \\\\ agent,\\nline2\\t\\u0001 é 漢 (ring 3)")
                .endsWith("may NOT call Bank#transfer, which needs ring 1, via mcp tool transfer_funds (req \"7\", "
                        + "s-1\\n), on behalf of lead>orchestrator, vouched by lead,root");
        // a plain call of an agent acting for itself, vouched for by no one: nothing is said of any of it
        assertThat(lines.get(2)).doesNotContain("via", "on behalf of", "vouched by");
        assertThat(lines.get(6)).contains("THREW")
                .endsWith("call 4 threw java.io.IOException after 0.000 ms [session s]");
    }

    @Test
    void csvQuotesFieldsThatNeedIt() {
        String out = Cli.run("export", dir.toString(), "--format", "CSV").out();

        String quoted = "\"eve \"\"the\"\" \\ agent,\nline2\t\u0001 é 漢\"";
        assertThat(out).contains("\r\n3,2025-03-01T09:30:03.000Z,DENY," + quoted + ",3,,com.acme.Bank,transfer,"
                + "(JJ)V,1,DENY,");
    }

    @Test
    void stopsAtTheBreakAfterTheRecordsBeforeIt() throws Exception {
        TrailFixture.flipByteOf(dir, "bob");

        Cli.Result result = Cli.run("export", dir.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(result.outLines()).hasSize(4);
        assertThat(MiniJson.parseObject(result.outLines().get(3))).containsEntry("seq", 3L);
        assertThat(result.err()).startsWith("TAMPERED at record 4: hash mismatch").hasLineCount(1);
    }

    @Test
    void csvStopsAtTheBreakToo() throws Exception {
        TrailFixture.flipByteOf(dir, "alice");

        Cli.Result result = Cli.run("export", dir.toString(), "--format", "csv");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(result.out()).isEqualTo(CsvFormat.HEADER + "0,2025-03-01T09:30:00.000Z,GENESIS,,,,,,,,,,,,,"
                + Hex.of(trail.hash(0)) + ",,,,,,,,,,,,,,\r\n");
        assertThat(result.err()).startsWith("TAMPERED at record 1: ");
    }

    @Test
    void missingDirectoryPrintsNothingToStdout() {
        Cli.Result result = Cli.run("export", dir.resolve("nope").toString(), "--format", "csv");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).hasLineCount(1);
    }

    @Test
    void outputThatCannotBeWrittenIsAnErrorNotSuccess() {
        StringWriter err = new StringWriter();
        CommandLine cmd = AuditReader.commandLine();
        cmd.setOut(new PrintWriter(new Writer() {
            @Override
            public void write(char[] buf, int off, int len) throws IOException {
                throw new IOException("No space left on device");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        }));
        cmd.setErr(new PrintWriter(err, true));

        int exitCode = cmd.execute("export", dir.toString());

        assertThat(exitCode).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(err.toString()).startsWith("error: ").hasLineCount(1);
    }

    private List<Map<String, Object>> jsonl() {
        Cli.Result result = Cli.run("export", dir.toString(), "--format", "jsonl");
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        return result.outLines().stream().map(MiniJson::parseObject).toList();
    }
}
