package dev.agentmesh.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the real audit reader jar ({@link ForkedJvm#READER_JAR}) in a fresh JVM, as {@code java -jar} does, with a
 * time limit, and quicker than {@link ForkedJvm}: the JVM's class-data-sharing archive of the reader's classes is
 * dumped by the first run of each test JVM and mapped by every later run. That cuts a run from about 2 s to under 1 s here and
 * changes nothing the reader does; a missing or unusable archive is silently ignored by the JVM. On JDK 23+ the
 * runs get {@code --sun-misc-unsafe-memory-access=allow}, as the reader's README says, so the JVM's own
 * {@code sun.misc.Unsafe} warnings do not mix with the reader's one line.
 */
final class ReaderRuns {

    private static List<String> baseFlags;
    private static Path archive;

    private ReaderRuns() {
    }

    /**
     * What one reader run did.
     *
     * @param command the command line
     * @param exitCode its exit code
     * @param stdout standard output
     * @param stderr standard error
     */
    record Run(List<String> command, int exitCode, String stdout, String stderr) {

        /** @return every line the reader printed, standard output then standard error */
        List<String> lines() {
            List<String> lines = new ArrayList<>(stdout.lines().toList());
            lines.addAll(stderr.lines().toList());
            return lines;
        }

        /** @return the one line the reader printed, or an assertion error naming what it printed */
        String line() {
            List<String> lines = lines();
            if (lines.size() != 1) {
                throw new AssertionError("expected exactly one line from the reader:\n" + this);
            }
            return lines.get(0);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + " of " + String.join(" ", command) + "\n--- stdout\n" + stdout
                    + "--- stderr\n" + stderr;
        }
    }

    /** Runs the reader with {@code args}, allowing it 120 s. */
    static Run run(String... args) throws IOException, InterruptedException {
        return run(120, args);
    }

    /**
     * Runs the reader with {@code args}.
     *
     * @param timeoutSeconds how long it may take; a reader still running then is killed and the test fails
     * @param args the reader's arguments
     * @return what it did
     */
    static Run run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        List<String> cmd = command(args);
        Path out = Files.createTempFile("agentmesh-reader", ".out");
        Path err = Files.createTempFile("agentmesh-reader", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("the reader did not finish within " + timeoutSeconds + " s: "
                        + String.join(" ", cmd) + "\n--- stdout so far\n" + Files.readString(out)
                        + "--- stderr so far\n" + Files.readString(err));
            }
            return new Run(cmd, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Runs the reader with {@code args}, handing each line of its standard output to {@code lines} as it comes,
     * so an export of millions of records never sits in memory.
     *
     * @return the run, with an empty {@code stdout}
     */
    static Run stream(Consumer<String> lines, String... args) throws IOException, InterruptedException {
        List<String> cmd = command(args);
        Path err = Files.createTempFile("agentmesh-reader", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.accept(line);
                }
            } finally {
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new AssertionError("the reader did not finish within 120 s: " + String.join(" ", cmd));
                }
            }
            return new Run(cmd, p.exitValue(), "", Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ForkedJvm.JAVA);
        cmd.addAll(jvmFlags());
        cmd.add("-jar");
        cmd.add(ForkedJvm.READER_JAR.toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * The flags for the next run. The first run of this test JVM dumps the archive as it exits (its classes are
     * the ones a real run loads); later runs map it once it exists. {@code -Xlog:cds*=off} keeps the JVM's own
     * archive messages (classes it skips, an archive it cannot use) out of the reader's output.
     */
    private static synchronized List<String> jvmFlags() {
        if (baseFlags == null) {
            List<String> flags = new ArrayList<>();
            try {
                if (ForkedJvm.javaFeatureVersion() >= 23) {
                    flags.add("--sun-misc-unsafe-memory-access=allow");
                }
                flags.add("-Xlog:cds*=off");
                Path dir = Files.createTempDirectory("agentmesh-reader-cds");
                dir.toFile().deleteOnExit();
                archive = dir.resolve("reader.jsa");
                archive.toFile().deleteOnExit();
            } catch (Exception e) {
                throw new IllegalStateException("cannot prepare the reader runs", e);
            }
            baseFlags = List.copyOf(flags);
            List<String> first = new ArrayList<>(baseFlags);
            first.add("-XX:ArchiveClassesAtExit=" + archive);
            return first;
        }
        List<String> flags = new ArrayList<>(baseFlags);
        if (Files.isRegularFile(archive)) {
            flags.add("-XX:SharedArchiveFile=" + archive);
        }
        return flags;
    }
}
