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
 * A trail an upgrade leaves: an older agent's run in format version 1, then a newer agent's run in version 2 in the
 * same directory, the chain running on across them. Every command reads each record by its own version; a version 1
 * decision reads as one acting for itself, vouched for by no one.
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
        //   5  2        DENY    helper r2 req1  Bank#transfer   on behalf of lead, vouched by lead
        //   6  2        CONTROL SLASHED agent:helper  helper  points=50 level=0
        dir = tmp.resolve("trail");
        try (TrailFixture trail = TrailFixture.create(dir, 1)) {
            trail.decision(RecordType.CALL_ALLOWED, "helper", 2, 2, "", "com.acme.Tools", "search", "()V")
                    .outcome(RecordType.CALL_RETURNED, 1, 1_000L, "", "")
                    .decision(RecordType.CALL_DENIED, "helper", 2, 1, "", "com.acme.Bank", "transfer", "(JJ)V")
                    .writingVersion(TrailFormat.VERSION)
                    .genesis("writer-2")
                    .decision(RecordType.CALL_DENIED, "helper", 2, 1, "", "com.acme.Bank", "transfer", "(JJ)V",
                            "lead", "lead")
                    .control(ControlEvent.SLASHED, "agent:helper", "helper", "ring violation",
                            "points=50 before=500 after=450 level=0 chain=helper");
        }
    }

    @Test
    void theFixtureWritesWhatVersion1Wrote() throws Exception {
        byte[] v1 = ProofSupport.recordOf(dir, 1);
        byte[] v2 = ProofSupport.recordOf(dir, 5);
        assertThat(v1[0]).isEqualTo((byte) 1);
        assertThat(v2[0]).isEqualTo((byte) 2);
        // a version 1 decision ends at its 32-byte argument digest
        assertThat(v1).hasSize(TrailFormat.HEADER_LENGTH + 2 + 2 + "helper".length() + 2 + 2 + "com.acme.Tools".length()
                + 2 + "search".length() + 2 + "()V".length() + TrailFormat.HASH_LENGTH);
    }

    @Test
    void exportSaysWhichVersionEachRunWroteAndLeavesVersion1DelegationEmpty() {
        List<Map<String, Object>> records = Cli.run("export", dir.toString()).outLines().stream()
                .map(MiniJson::parseObject).toList();

        assertThat(records.get(0)).containsEntry("formatVersion", 1L);
        assertThat(records.get(4)).containsEntry("formatVersion", (long) TrailFormat.VERSION)
                .containsEntry("writerId", "writer-2");
        assertThat(records.get(3)).containsEntry("onBehalfOf", "").containsEntry("vouchedBy", "");
        assertThat(records.get(5)).containsEntry("onBehalfOf", "lead").containsEntry("vouchedBy", "lead");

        String[] csv = Cli.run("export", dir.toString(), "--format", "csv").out().split("\r\n", -1);
        assertThat(csv[4]).startsWith("3,").endsWith(",,");
        assertThat(csv[6]).startsWith("5,").endsWith(",lead,lead");

        List<String> text = Cli.run("export", dir.toString(), "--format", "text").outLines();
        assertThat(text.get(4)).endsWith("helper (ring 2) may NOT call Bank#transfer, which needs ring 1");
        assertThat(text.get(6)).endsWith("which needs ring 1, on behalf of lead, vouched by lead");
    }

    @Test
    void reportAndFilterCountBothVersions() {
        List<String> rows = rows(Cli.run("report", dir.toString()).out());
        assertThat(section(rows, "Totals")).contains("records 7", "writer runs 2", "calls denied 2");
        assertThat(section(rows, "Liability")).containsExactly("ring violations 2", "other denials 0", "breaches 0",
                "slashes 1", "points lost 50");

        assertThat(FilterCommandTest.seqs(dir, "--agent", "helper", "--decision", "deny")).containsExactly(3L, 5L);
        assertThat(FilterCommandTest.seqs(dir, "--on-behalf-of", "lead")).containsExactly(5L);
    }

    @Test
    void verifyChecksTheCheckpointOverBothVersionsAndAVersion1RecordIsProved() throws Exception {
        CheckpointSigner signer = CheckpointSigner.generate("ops");
        ProofSupport.checkpointOf(dir, 7, dir.resolve("checkpoint.note"), signer);
        Path vkey = Files.writeString(tmp.resolve("ops.vkey"), signer.verifierKey().vkey());
        Cli.Result verify = Cli.run("verify", dir.toString(), "--pubkey", vkey.toString());
        assertThat(verify.exitCode()).as(verify.out()).isEqualTo(ExitCodes.OK);
        assertThat(verify.out()).startsWith("OK 7 records").contains("checkpoint at 7 signed and matching");
        Path proof = tmp.resolve("record-3.tlog-proof");

        Cli.Result prove = Cli.run("prove", dir.toString(), "--seq", "3", "--out", proof.toString());
        assertThat(prove.exitCode()).as(prove.toString()).isEqualTo(ExitCodes.OK);
        Cli.Result verified = Cli.run("verify-proof", proof.toString(), "--pubkey", vkey.toString());

        assertThat(verified.exitCode()).as(verified.toString()).isEqualTo(ExitCodes.OK);
        assertThat(verified.out()).startsWith("OK record 3 is in the trail of size 7").endsWith("DENY at "
                + "2025-03-01T09:30:03.000Z: agent helper (ring 2) was refused com.acme.Bank#transfer(JJ)V, which "
                + "needs ring 1\n");
    }
}
