package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.RecordType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code report} and {@code tail -f} through the shaded jar, {@code java -jar agentmesh-audit-reader.jar ...} with no
 * flags, on the JVM named by the {@code it.java} property, as {@link AuditReaderJarIT} runs the other commands. The
 * trails are written here, by the build's JVM, while the forked reader reads them.
 */
class ReportTailJarIT {

    @TempDir
    Path tmp;

    @Test
    void reportPrintsTheCountsAndWritesOneSelfContainedPage() throws Exception {
        Path dir = tmp.resolve("trail");
        try (TrailFixture trail = TrailFixture.standard(dir, 25)) {
            trail.decision(RecordType.CALL_DENIED, ReportCommandTest.HOSTILE_AGENT, 3, 1, "", "com.acme.Bank",
                    "transfer", "()V");
        }
        Path html = tmp.resolve("report.html");

        Run run = run(command("report", dir.toString(), "--html", html.toString()));

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.errorsOtherThanJvmWarnings()).isEmpty();
        List<String> rows = ReportCommandTest.rows(run.out);
        assertThat(ReportCommandTest.section(rows, "Totals")).contains("records 26", "calls allowed 12",
                "calls denied 1", "returned 12");
        assertThat(rows).contains("com.acme.Tools#search 12 0 0 0.002 0.002");
        String page = Files.readString(html, StandardCharsets.UTF_8);
        ReportCommandTest.assertSelfContained(page);
        assertThat(page).contains("<dt>Records</dt><dd>26</dd>")
                .contains("<title>" + ReportCommandTest.HOSTILE_ESCAPED + ": 1 denied</title>");
    }

    @Test
    void tailFollowsTheWriterAndStopsCleanlyOnSigterm() throws Exception {
        Path dir = tmp.resolve("trail");
        Path out = tmp.resolve("stdout");
        Path err = tmp.resolve("stderr");
        try (TrailFixture trail = TrailFixture.standard(dir, 5)) {
            Process tail = new ProcessBuilder(command("tail", dir.toString(), "-f", "--format", "csv"))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                awaitFile(out, tail, text -> text.contains("\n4,"));

                trail.decision(RecordType.CALL_ALLOWED, "late-agent", 2, 2, "", "com.acme.Tools", "search", "()V")
                        .outcome(RecordType.CALL_RETURNED, 5, 42L, "", "");
                awaitFile(out, tail, text -> text.contains("\n6,"));
                assertThat(tail.isAlive()).as("still following").isTrue();

                tail.destroy(); // SIGTERM
                assertThat(tail.waitFor(30, TimeUnit.SECONDS)).isTrue();
            } finally {
                tail.destroyForcibly();
            }
            // The JVM's status for SIGTERM: 128 + 15. Ended by the shutdown hook, not killed mid-line.
            assertThat(tail.exitValue()).isEqualTo(143);
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(text).startsWith("seq,time,type,").endsWith("\r\n");
        List<String> rows = text.lines().skip(1).toList();
        assertThat(rows).extracting(row -> row.substring(0, row.indexOf(','))).containsExactly("0", "1", "2", "3",
                "4", "5", "6");
        assertThat(rows.get(5)).contains(",ALLOW,late-agent,");
        assertThat(Files.readAllLines(err).stream().filter(line -> !line.startsWith("WARNING: "))).isEmpty();
    }

    private static void awaitFile(Path file, Process process, Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.test(Files.readString(file, StandardCharsets.UTF_8))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("tail did not print what was expected (alive: " + process.isAlive()
                        + "): " + Files.readString(file, StandardCharsets.UTF_8));
            }
            Thread.sleep(50);
        }
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(System.getProperty("it.java"), "-jar",
                System.getProperty("reader.jar")));
        command.addAll(List.of(args));
        return command;
    }

    private Run run(List<String> command) throws IOException, InterruptedException {
        Path out = tmp.resolve("run-stdout");
        Path err = tmp.resolve("run-stderr");
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
        /** @return stderr lines, less the JVM's own warnings (JDK 24+ warns about Chronicle's sun.misc.Unsafe) */
        List<String> errorsOtherThanJvmWarnings() {
            return err.lines().filter(line -> !line.startsWith("WARNING: ")).toList();
        }
    }
}
