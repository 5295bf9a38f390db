package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.TrailQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VerifyCommandTest {

    @TempDir
    Path dir;

    @Test
    void intactTrailPrintsCountAndHeadHash() {
        String head;
        try (TrailFixture trail = TrailFixture.standard(dir, 40)) {
            head = Hex.of(trail.headHash());
        }

        Cli.Result result = Cli.run("verify", dir.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).startsWith("OK 40 records, head " + head + ", 0 denials, root ").hasLineCount(1);
        assertThat(result.err()).isEmpty();
    }

    @Test
    void countsDenials() {
        try (TrailFixture trail = TrailFixture.create(dir)) {
            trail.decision(RecordType.CALL_DENIED, "mallory", 3, 1, "", "com.acme.Bank", "transfer", "()V")
                    .decision(RecordType.CALL_DENIED, "mallory", 3, 1, "", "com.acme.Bank", "close", "()V")
                    .decision(RecordType.CALL_ALLOWED, "alice", 1, 1, "", "com.acme.Bank", "balance", "()J");
        }

        Cli.Result result = Cli.run("verify", dir.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).startsWith("OK 4 records, head ").contains(", 2 denials, root ");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 17, 39})
    void alteredPayloadNamesTheRecord(int k) throws Exception {
        TrailFixture.standard(dir, 40).close();
        TrailFixture.flipByteOf(dir, TrailFixture.agentId(k));

        Cli.Result result = Cli.run("verify", dir.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).startsWith("TAMPERED at record " + k + ": hash mismatch").hasLineCount(1);
    }

    @Test
    void damagedDocumentHeaderMidTrailIsTamperingNotAShorterTrail() throws Exception {
        TrailFixture.standard(dir, 40).close();
        // Chronicle reads a header marked "not complete" as the end of the queue.
        TrailFixture.markIncomplete(dir, TrailFixture.agentId(17));

        Cli.Result result = Cli.run("verify", dir.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(result.out()).startsWith("TAMPERED at record 17: unreadable").hasLineCount(1);
    }

    @Test
    void lastRecordLeftIncompleteReadsAsAWriteInProgress() throws Exception {
        String headBeforeLast;
        try (TrailFixture trail = TrailFixture.standard(dir, 40)) {
            headBeforeLast = Hex.of(trail.hash(38));
        }
        TrailFixture.markIncomplete(dir, TrailFixture.agentId(39));

        Cli.Result result = Cli.run("verify", dir.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).startsWith("OK 39 records, head " + headBeforeLast);
    }

    @Test
    void cutShortFileIsTamperingAtTheCutRecord() throws Exception {
        TrailFixture.standard(dir, 40).close();
        TrailFixture.cutShortAt(dir, TrailFixture.agentId(17));

        Cli.Result result = Cli.run("verify", dir.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(result.out()).startsWith("TAMPERED at record 17: ").hasLineCount(1);
    }

    @Test
    void missingDirectoryIsNotATrail() {
        Cli.Result result = Cli.run("verify", dir.resolve("nope").toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("not a trail: " + dir.resolve("nope") + ": no such directory\n");
    }

    @Test
    void emptyDirectoryIsNotATrail() {
        Cli.Result result = Cli.run("verify", dir.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(result.err()).contains("no Chronicle queue files").hasLineCount(1);
    }

    @Test
    void queueNeverWrittenToIsNotATrail() {
        TrailQueue.openForWriting(dir).close();

        Cli.Result result = Cli.run("verify", dir.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(result.err()).contains("no Chronicle queue files").hasLineCount(1);
    }

    @Test
    void regularFileIsNotATrail() throws Exception {
        Path file = Files.writeString(dir.resolve("trail.txt"), "hello");

        Cli.Result result = Cli.run("verify", file.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(result.err()).endsWith(": not a directory\n");
    }

    @Test
    void stackTraceOnlyWithVerbose() {
        String missing = dir.resolve("nope").toString();

        assertThat(Cli.run("verify", missing).err()).doesNotContain("\tat ");
        assertThat(Cli.run("verify", missing, "--verbose").err())
                .contains("NotATrailException").contains("\tat ");
        assertThat(Cli.run("--verbose", "verify", missing).err()).contains("\tat ");
    }
}
