package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.RecordType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shaded jar the way users do, {@code java -jar agentmesh-audit-reader.jar ...} with no flags, on the JVM
 * named by the {@code it.java} property (CI runs a second pass on JDK 25). The trails are written here, by the
 * build's JVM.
 */
class AuditReaderJarIT {

    @TempDir
    Path tmp;

    @Test
    void verifiesATrailWithoutAnyJvmFlags() throws Exception {
        Path dir = tmp.resolve("trail");
        String head;
        try (TrailFixture trail = TrailFixture.standard(dir, 25)) {
            head = Hex.of(trail.headHash());
        }

        Run run = jar("verify", dir.toString());

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out).startsWith("OK 25 records, head " + head + ", 0 denials, root ").hasLineCount(1);
        assertThat(run.errorsOtherThanJvmWarnings()).isEmpty();
    }

    @Test
    void namesTheAlteredRecord() throws Exception {
        Path dir = tmp.resolve("trail");
        TrailFixture.standard(dir, 25).close();
        TrailFixture.flipByteOf(dir, TrailFixture.agentId(11));

        Run run = jar("verify", dir.toString());

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(run.out).startsWith("TAMPERED at record 11: hash mismatch").hasLineCount(1);
        assertThat(run.errorsOtherThanJvmWarnings()).isEmpty();
    }

    @Test
    void exportsUtf8JsonLines() throws Exception {
        Path dir = tmp.resolve("trail");
        try (TrailFixture trail = TrailFixture.create(dir)) {
            trail.decision(RecordType.CALL_DENIED, "agent é 漢", 3, 1, "", "com.acme.Bank", "transfer", "()V");
        }

        Run run = jar("export", dir.toString(), "--format", "jsonl");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
        List<String> lines = run.out.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(MiniJson.parseObject(lines.get(1)))
                .containsEntry("agentId", "agent é 漢")
                .containsEntry("decision", "DENY");
    }

    @Test
    void filtersCallsWithTheirOutcomes() throws Exception {
        Path dir = tmp.resolve("trail");
        TrailFixture.standard(dir, 25).close();

        Run run = jar("filter", dir.toString(), "--agent", TrailFixture.agentId(11), "--format", "csv");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
        List<String> rows = run.out.lines().toList();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1)).startsWith("11,").contains(",ALLOW," + TrailFixture.agentId(11) + ",");
        assertThat(rows.get(2)).startsWith("12,").contains(",RETURNED,");
        assertThat(run.errorsOtherThanJvmWarnings()).isEmpty();

        Run bad = jar("filter", dir.toString(), "--ring", "5");

        assertThat(bad.exitCode).as(bad.toString()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(bad.out).isEmpty();
        assertThat(bad.errorsOtherThanJvmWarnings()).singleElement(STRING).contains("--ring", "'5' is not a ring");
    }

    @Test
    void printsASagaTimelineAndRefusesAnUnknownSaga() throws Exception {
        Path dir = tmp.resolve("trail");
        SagaTrail.write(dir);

        Run run = jar("saga", dir.toString(), SagaTrail.B);

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.errorsOtherThanJvmWarnings()).isEmpty();
        assertThat(run.out).startsWith("Saga " + SagaTrail.B + "\n")
                .contains("compensation failed (retry)", "java.io.IOException: " + SagaTrail.MARKER_22)
                .endsWith("  state     COMPENSATED at 2025-03-01T09:30:25.000Z\n  duration  16.000s\n");

        Run unknown = jar("saga", dir.toString(), "trip-ffffffffffff");

        assertThat(unknown.exitCode).as(unknown.toString()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(unknown.out).isEmpty();
        assertThat(unknown.errorsOtherThanJvmWarnings()).singleElement(STRING)
                .startsWith("no saga 'trip-ffffffffffff'");

        TrailFixture.flipByteOf(dir, SagaTrail.MARKER_22);
        Run tampered = jar("saga", dir.toString(), SagaTrail.B);

        assertThat(tampered.exitCode).as(tampered.toString()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(tampered.out).isEmpty();
        assertThat(tampered.errorsOtherThanJvmWarnings()).singleElement(STRING)
                .startsWith("TAMPERED at record 22: hash mismatch");
    }

    @Test
    void missingDirectoryIsUnreadableInput() throws Exception {
        Run run = jar("verify", tmp.resolve("nope").toString());

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(run.errorsOtherThanJvmWarnings()).singleElement(STRING)
                .endsWith("no such directory");
    }

    @Test
    void drawsAProgressBarWhenStderrIsATerminalAndStreamsAMillionRecordsIn32Megabytes() throws Exception {
        // util-linux script(1) runs the reader on a pseudo-terminal: the only way to give it a real one here.
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) is not installed");
        Path dir = tmp.resolve("trail");
        TrailFixture.standard(dir, 1_000_000).close();
        String command = String.join(" ", System.getProperty("it.java"), "-jar", System.getProperty("reader.jar"),
                "verify", dir.toString());

        Run onTerminal = run(List.of("/usr/bin/script", "-qefc", command, "/dev/null"));
        Run onFiles = jar("verify", dir.toString());
        // The same million records in a 32 MB heap: the read streams, holding nothing per record.
        Run smallHeap = run(List.of(System.getProperty("it.java"), "-Xmx32m", "-jar",
                System.getProperty("reader.jar"), "verify", dir.toString()));

        assertThat(onTerminal.exitCode).as(onTerminal.toString()).isEqualTo(ExitCodes.OK);
        assertThat(onTerminal.out).as("stdout and stderr share the terminal")
                .contains("] 100%  1,000,000 of 1,000,000 records").contains("OK 1000000 records, head ");
        assertThat(onFiles.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(onFiles.errorsOtherThanJvmWarnings()).as("no bar when stderr is a file").isEmpty();
        assertThat(smallHeap.exitCode).as(smallHeap.toString()).isEqualTo(ExitCodes.OK);
        assertThat(smallHeap.out).isEqualTo(onFiles.out);
    }

    private Run jar(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(System.getProperty("it.java"), "-jar",
                System.getProperty("reader.jar")));
        command.addAll(List.of(args));
        return run(command);
    }

    private Run run(List<String> command) throws IOException, InterruptedException {
        Path out = tmp.resolve("stdout");
        Path err = tmp.resolve("stderr");
        // To files rather than pipes: nothing can block on a full pipe buffer.
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Run(int exitCode, String out, String err) {
        /**
         * @return stderr lines, less the JVM's own warnings: JDK 24+ warns about Chronicle's use of
         *     sun.misc.Unsafe, which no jar manifest attribute can switch off
         */
        List<String> errorsOtherThanJvmWarnings() {
            return err.lines().filter(line -> !line.startsWith("WARNING: ")).toList();
        }
    }
}
