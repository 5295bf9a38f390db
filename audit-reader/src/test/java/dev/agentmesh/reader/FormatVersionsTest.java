package dev.agentmesh.reader;

import static dev.agentmesh.reader.ReportCommandTest.rows;
import static dev.agentmesh.reader.ReportCommandTest.section;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.TrailFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trail two upgrades leave: an older agent's run in format version 1, then a newer agent's run in version 2, then
 * the current agent's run in version 3, all in the same directory, the chain running on across them. Every command
 * reads each record by its own version; a version 1 decision reads as a plain call of an agent acting for itself,
 * vouched for by no one, a version 2 decision as a plain call (no framework, tool or invocation id).
 */
class FormatVersionsTest {

    @TempDir
    Path tmp;

    private Path dir;

    @BeforeEach
    void writeTrail() {
        // seq  version  record
        //   0  1        GENESIS writer-1
        //   1  1        ALLOW   helper r2 req2  Tools#search
        //   2  1        RETURNED call 1
        //   3  1        DENY    helper r2 req1  Bank#transfer
        //   4  2        GENESIS writer-2
        //   5  2        DENY    helper r2 req1  Bank#transfer          on behalf of lead, vouched by lead
        //   6  2        CONTROL SLASHED agent:helper  helper  points=50 level=0
        //   7  3        GENESIS writer-3
        //   8  3        ALLOW   helper r2 req2  SearchTools#webSearch  via langchain4j tool web_search (call_1),
        //                                                              on behalf of lead
        //   9  3        RETURNED call 8
        //  10  3        DENY    helper r2 req1  Bank#transfer          a plain call, on behalf of lead, vouched by lead
        dir = tmp.resolve("trail");
        try (TrailFixture trail = TrailFixture.create(dir, 1)) {
            trail.decision(RecordType.CALL_ALLOWED, "helper", 2, 2, "", "com.acme.Tools", "search", "()V")
                    .outcome(RecordType.CALL_RETURNED, 1, 1_000L, "", "")
                    .decision(RecordType.CALL_DENIED, "helper", 2, 1, "", "com.acme.Bank", "transfer", "(JJ)V")
                    .writingVersion(2)
                    .genesis("writer-2")
                    .decision(RecordType.CALL_DENIED, "helper", 2, 1, "", "com.acme.Bank", "transfer", "(JJ)V",
                            "lead", "lead")
                    .control(ControlEvent.SLASHED, "agent:helper", "helper", "ring violation",
                            "points=50 before=500 after=450 level=0 chain=helper")
                    .writingVersion(TrailFormat.VERSION)
                    .genesis("writer-3")
                    .decision(RecordType.CALL_ALLOWED, "helper", 2, 2, "", "com.acme.SearchTools", "webSearch",
                            "(Ljava/lang/String;)Ljava/util/List;", "lead", "",
                            new TrailFixture.Tool("langchain4j", "web_search", "call_1"))
                    .outcome(RecordType.CALL_RETURNED, 8, 2_000L, "", "")
                    .decision(RecordType.CALL_DENIED, "helper", 2, 1, "", "com.acme.Bank", "transfer", "(JJ)V",
                            "lead", "lead");
        }
    }

    @Test
    void theFixtureWritesWhatEachVersionWrote() throws Exception {
        byte[] v1 = ProofSupport.recordOf(dir, 3);
        byte[] v2 = ProofSupport.recordOf(dir, 5);
        byte[] v3 = ProofSupport.recordOf(dir, 10);
        assertThat(List.of(v1[0], v2[0], v3[0])).containsExactly((byte) 1, (byte) 2, (byte) 3);
        // a version 1 decision ends at its 32-byte argument digest
        assertThat(v1).hasSize(TrailFormat.HEADER_LENGTH + 2 + 2 + "helper".length() + 2 + 2 + "com.acme.Bank".length()
                + 2 + "transfer".length() + 2 + "(JJ)V".length() + TrailFormat.HASH_LENGTH);
        // version 2 adds onBehalfOf and vouchedBy; version 3 framework, tool and invocationId, here empty
        assertThat(v2).hasSize(v1.length + 2 + "lead".length() + 2 + "lead".length());
        assertThat(v3).hasSize(v2.length + 3 * 2);
        assertThat(ProofSupport.recordOf(dir, 7)[0]).as("writer-3's GENESIS").isEqualTo((byte) 3);
    }

    @Test
    void exportSaysWhichVersionEachRunWroteAndLeavesOlderRecordsFieldsEmpty() {
        List<Map<String, Object>> records = Cli.run("export", dir.toString()).outLines().stream()
                .map(MiniJson::parseObject).toList();

        assertThat(records).extracting(r -> r.get("formatVersion")).containsExactly(1L, null, null, null, 2L, null,
                null, (long) TrailFormat.VERSION, null, null, null);
        assertThat(records.get(7)).containsEntry("writerId", "writer-3");
        assertThat(records.get(3)).containsEntry("onBehalfOf", "").containsEntry("vouchedBy", "")
                .containsEntry("framework", "").containsEntry("tool", "").containsEntry("invocationId", "");
        assertThat(records.get(5)).containsEntry("onBehalfOf", "lead").containsEntry("vouchedBy", "lead")
                .containsEntry("framework", "").containsEntry("tool", "").containsEntry("invocationId", "");
        assertThat(records.get(8)).containsEntry("onBehalfOf", "lead").containsEntry("vouchedBy", "")
                .containsEntry("framework", "langchain4j").containsEntry("tool", "web_search")
                .containsEntry("invocationId", "call_1");
        assertThat(records.get(10)).containsEntry("framework", "").containsEntry("vouchedBy", "lead");

        String[] csv = Cli.run("export", dir.toString(), "--format", "csv").out().split("\r\n", -1);
        assertThat(csv[4]).startsWith("3,").endsWith(",,,,,");
        assertThat(csv[6]).startsWith("5,").endsWith(",lead,lead,,,");
        assertThat(csv[9]).startsWith("8,").endsWith(",lead,,langchain4j,web_search,call_1");
        assertThat(csv[11]).startsWith("10,").endsWith(",lead,lead,,,");

        List<String> text = Cli.run("export", dir.toString(), "--format", "text").outLines();
        assertThat(text.get(4)).endsWith("helper (ring 2) may NOT call Bank#transfer, which needs ring 1");
        assertThat(text.get(6)).endsWith("which needs ring 1, on behalf of lead, vouched by lead");
        assertThat(text.get(9)).endsWith("helper (ring 2) may call SearchTools#webSearch, which needs ring 2, via "
                + "langchain4j tool web_search (call_1), on behalf of lead");
        assertThat(text.get(11)).endsWith("which needs ring 1, on behalf of lead, vouched by lead");
    }

    @Test
    void reportAndFilterCountEveryVersion() {
        List<String> rows = rows(Cli.run("report", dir.toString()).out());
        assertThat(section(rows, "Totals")).contains("records 11", "writer runs 3", "calls allowed 2",
                "calls denied 3");
        assertThat(section(rows, "Liability")).containsExactly("ring violations 3", "other denials 0", "breaches 0",
                "slashes 1", "points lost 50");
        // The framework call goes by its framework's name for the tool; the plain calls by class and method.
        assertThat(section(rows, "Tools, by calls (3 in all; durations in ms, of calls whose outcome is in the "
                + "trail)")).containsExactly("TOOL CALLS DENIED THREW MEAN MAX",
                        "com.acme.Bank#transfer 3 3 0 - -",
                        "com.acme.Tools#search 1 0 0 0.001 0.001",
                        "langchain4j:web_search 1 0 0 0.002 0.002");

        assertThat(FilterCommandTest.seqs(dir, "--agent", "helper", "--decision", "deny")).containsExactly(3L, 5L,
                10L);
        assertThat(FilterCommandTest.seqs(dir, "--on-behalf-of", "lead")).containsExactly(5L, 8L, 9L, 10L);
        assertThat(FilterCommandTest.seqs(dir, "--framework", "langchain4j")).containsExactly(8L, 9L);
        assertThat(FilterCommandTest.seqs(dir, "--tool", "web_search")).containsExactly(8L, 9L);
        // Older versions' decisions are plain calls: no framework, no tool.
        assertThat(FilterCommandTest.seqs(dir, "--framework", "", "--decision", "allow")).containsExactly(1L, 2L);
        assertThat(FilterCommandTest.seqs(dir, "--tool", "", "--decision", "deny")).containsExactly(3L, 5L, 10L);
    }

    @Test
    void verifyChecksTheCheckpointOverEveryVersionAndRecordsOfEachAreProved() throws Exception {
        CheckpointSigner signer = CheckpointSigner.generate("ops");
        ProofSupport.checkpointOf(dir, 11, dir.resolve("checkpoint.note"), signer);
        Path vkey = Files.writeString(tmp.resolve("ops.vkey"), signer.verifierKey().vkey());
        Cli.Result verify = Cli.run("verify", dir.toString(), "--pubkey", vkey.toString());
        assertThat(verify.exitCode()).as(verify.out()).isEqualTo(ExitCodes.OK);
        assertThat(verify.out()).startsWith("OK 11 records").contains("checkpoint at 11 signed and matching");

        assertThat(proved(3, vkey)).startsWith("OK record 3 is in the trail of size 11").endsWith("DENY at "
                + "2025-03-01T09:30:03.000Z: agent helper (ring 2) was refused com.acme.Bank#transfer(JJ)V, which "
                + "needs ring 1\n");
        assertThat(proved(8, vkey)).startsWith("OK record 8 is in the trail of size 11").endsWith("ALLOW at "
                + "2025-03-01T09:30:08.000Z: agent helper (ring 2) called com.acme.SearchTools#webSearch"
                + "(Ljava/lang/String;)Ljava/util/List;, which needs ring 2, via langchain4j tool web_search (call_1), "
                + "on behalf of lead\n");
    }

    /** @return what {@code verify-proof} says of the proof {@code prove} writes of record {@code seq} */
    private String proved(long seq, Path vkey) {
        Path proof = tmp.resolve("record-" + seq + ".tlog-proof");
        Cli.Result prove = Cli.run("prove", dir.toString(), "--seq", Long.toString(seq), "--out", proof.toString());
        assertThat(prove.exitCode()).as(prove.toString()).isEqualTo(ExitCodes.OK);
        Cli.Result verified = Cli.run("verify-proof", proof.toString(), "--pubkey", vkey.toString());
        assertThat(verified.exitCode()).as(verified.toString()).isEqualTo(ExitCodes.OK);
        return verified.out();
    }
}
