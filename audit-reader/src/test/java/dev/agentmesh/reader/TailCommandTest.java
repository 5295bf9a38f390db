package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.ArgumentDigest;
import dev.agentmesh.audit.format.ChainHasher;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.TrailQueue;
import dev.agentmesh.audit.format.Utf8;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TailCommandTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private Running running;

    @AfterEach
    void stopAnyTail() throws InterruptedException {
        if (running != null) {
            running.tail().stop();
            running.thread.join(PATIENCE.toMillis());
        }
    }

    @Test
    void printsFromTheSeqGivenInExportLines() {
        TrailFixture.standard(dir, 25).close();

        Cli.Result result = Cli.run("tail", dir.toString(), "--from-seq", "20", "--format", "csv");
        Cli.Result export = Cli.run("export", dir.toString(), "--format", "csv");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        assertThat(result.err()).isEmpty();
        List<String> exported = export.outLines();
        assertThat(result.outLines()).containsExactlyElementsOf(
                concat(exported.get(0), exported.subList(21, 26)));
        assertThat(seqs(result.outLines().subList(1, 6))).containsExactly(20L, 21L, 22L, 23L, 24L);
    }

    @Test
    void printsEveryRecordByDefaultAsJsonl() {
        TrailFixture.standard(dir, 7).close();

        Cli.Result result = Cli.run("tail", dir.toString());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).isEqualTo(Cli.run("export", dir.toString()).out());
        assertThat(result.outLines()).hasSize(7);
    }

    @Test
    void aSeqPastTheEndPrintsOnlyTheHeader() {
        TrailFixture.standard(dir, 5).close();

        Cli.Result result = Cli.run("tail", dir.toString(), "--from-seq", "99", "--format", "csv");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.outLines()).singleElement().asString().startsWith("seq,time,type,");
    }

    @Test
    void maxRecordsStopsEarly() {
        TrailFixture.standard(dir, 25).close();

        Cli.Result result = Cli.run("tail", dir.toString(), "--from-seq", "3", "--max-records", "2",
                "--format", "csv");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(seqs(result.outLines().subList(1, result.outLines().size()))).containsExactly(3L, 4L);
    }

    @Test
    void stopsAtATamperedRecordWithExit1() throws Exception {
        TrailFixture.standard(dir, 25).close();
        TrailFixture.flipByteOf(dir, TrailFixture.agentId(11));

        Cli.Result result = Cli.run("tail", dir.toString(), "--from-seq", "5", "--format", "csv");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(seqs(result.outLines().subList(1, result.outLines().size())))
                .as("the verified records before the break, and nothing after")
                .containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(result.err()).startsWith("TAMPERED at record 11: hash mismatch").hasLineCount(1);
    }

    @Test
    void followStopsAtATamperedRecordBeforeFollowing() throws Exception {
        TrailFixture.standard(dir, 25).close();
        TrailFixture.flipByteOf(dir, TrailFixture.agentId(11));

        Cli.Result result = Cli.run("tail", dir.toString(), "-f", "--from-seq", "9", "--format", "csv");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(seqs(result.outLines().subList(1, result.outLines().size()))).containsExactly(9L, 10L);
        assertThat(result.err()).startsWith("TAMPERED at record 11: hash mismatch").hasLineCount(1);
    }

    @Test
    void followPicksUpRecordsAppendedAfterItStarted() throws Exception {
        try (TrailFixture trail = TrailFixture.standard(dir, 5)) {
            // Stops by itself after seqs 3..6, two of which do not exist yet; the idle exit only guards the test.
            running = new Running("tail", dir.toString(), "-f", "--from-seq", "3", "--max-records", "4",
                    "--idle-exit-ms", "30000", "--format", "csv");
            running.awaitOut(out -> out.contains("\n4,"));
            assertThat(running.thread.isAlive()).isTrue();

            trail.decision(RecordType.CALL_ALLOWED, "late-agent", 2, 2, "", "com.acme.Tools", "search", "()V")
                    .outcome(RecordType.CALL_RETURNED, 5, 42L, "", "");

            assertThat(running.join()).as(running.err.toString()).isEqualTo(ExitCodes.OK);
        }
        List<String> lines = running.out.toString().lines().toList();
        assertThat(lines.get(0)).startsWith("seq,time,type,");
        assertThat(seqs(lines.subList(1, lines.size()))).containsExactly(3L, 4L, 5L, 6L);
        assertThat(lines.get(3)).contains(",ALLOW,late-agent,");
        assertThat(lines.get(4)).contains(",RETURNED,").contains(",5,42,");
        assertThat(running.err.toString()).isEmpty();
    }

    @Test
    void followKeepsGoingUntilStopped() throws Exception {
        try (TrailFixture trail = TrailFixture.standard(dir, 3)) {
            running = new Running("tail", dir.toString(), "-f", "--format", "csv");
            running.awaitOut(out -> out.contains("\n2,"));
            for (int round = 0; round < 3; round++) {
                long allow = trail.size();
                trail.decision(RecordType.CALL_ALLOWED, "agent-r" + round, 2, 2, "", "com.acme.Tools", "search",
                        "()V").outcome(RecordType.CALL_RETURNED, allow, 7L, "", "");
                running.awaitOut(out -> out.contains("\n" + (allow + 1) + ","));
                // Idle at the end of the trail: it waits for more, and sleeps rather than spins while it waits.
                ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                long cpuBefore = threads.getThreadCpuTime(running.thread.getId());
                Thread.sleep(10 * TrailFollower.POLL_MILLIS);
                long cpuMillis = TimeUnit.NANOSECONDS.toMillis(
                        threads.getThreadCpuTime(running.thread.getId()) - cpuBefore);
                assertThat(running.thread.isAlive()).isTrue();
                assertThat(cpuMillis).as("CPU used in a second of waiting").isLessThan(250);
            }

            running.tail().stop();

            assertThat(running.join()).as(running.err.toString()).isEqualTo(ExitCodes.OK);
        }
        List<String> lines = running.out.toString().lines().toList();
        assertThat(seqs(lines.subList(1, lines.size()))).containsExactlyElementsOf(
                LongStream.range(0, 9).boxed().toList());
    }

    @Test
    void idleExitEndsFollowingWithExit0() {
        TrailFixture.standard(dir, 4).close();
        long start = System.nanoTime();

        Cli.Result result = Cli.run("tail", dir.toString(), "-f", "--idle-exit-ms", "300");

        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(result.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(result.outLines()).hasSize(4);
        assertThat(tookMillis).isGreaterThanOrEqualTo(300);
    }

    @Test
    void followStopsWithExit1AtABadRecordAppendedWhileFollowing() throws Exception {
        TrailFixture.standard(dir, 5).close();
        running = new Running("tail", dir.toString(), "-f", "--idle-exit-ms", "30000", "--format", "csv");
        running.awaitOut(out -> out.contains("\n4,"));

        // A well-formed record 5 whose chain hash is not SHA-256(previous hash || bytes): a forged append.
        RecordEncoder encoder = new RecordEncoder().decision(RecordType.CALL_ALLOWED, 5, TrailFixture.timeOf(5),
                0, 0, Utf8.encode("forger"), Utf8.encode(""), Utf8.encode("com.acme.Bank"), Utf8.encode("drain"),
                Utf8.encode("()V"), new ArgumentDigest().digest("arg"));
        byte[] stored = new byte[encoder.length() + TrailFormat.HASH_LENGTH];
        System.arraycopy(encoder.buffer(), 0, stored, 0, encoder.length());
        try (SingleChronicleQueue queue = TrailQueue.openForWriting(dir);
                ExcerptAppender appender = queue.createAppender();
                DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(stored);
        }

        assertThat(running.join()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(running.err.toString()).startsWith("TAMPERED at record 5: hash mismatch").hasLineCount(1);
        List<String> lines = running.out.toString().lines().toList();
        assertThat(seqs(lines.subList(1, lines.size()))).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(running.out.toString()).doesNotContain("forger");
    }

    @Test
    void followWaitsAfterATornLastRecordAsAfterAWriteInProgress() throws Exception {
        TrailFixture.standard(dir, 40).close();
        TrailFixture.markIncomplete(dir, TrailFixture.agentId(39));

        Cli.Result result = Cli.run("tail", dir.toString(), "-f", "--from-seq", "37", "--idle-exit-ms", "1000",
                "--format", "csv");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        assertThat(seqs(result.outLines().subList(1, result.outLines().size()))).containsExactly(37L, 38L);
    }

    @Test
    void followNamesADamagedHeaderMidTrailAsVerifyDoes() throws Exception {
        TrailFixture.standard(dir, 40).close();
        // Chronicle reads a header marked "not complete" as the end of the queue; its index knows better.
        TrailFixture.markIncomplete(dir, TrailFixture.agentId(17));

        Cli.Result result = Cli.run("tail", dir.toString(), "-f", "--from-seq", "16", "--idle-exit-ms", "30000",
                "--format", "csv");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(seqs(result.outLines().subList(1, result.outLines().size()))).containsExactly(16L);
        assertThat(result.err()).startsWith("TAMPERED at record 17: unreadable: reading stops here")
                .hasLineCount(1);
    }

    @Test
    void followCarriesOnIntoTheNextCycleFile() throws Exception {
        // A writer on a one-second roll cycle whose clock the test moves: each second is a new cycle file.
        SetTimeProvider clock = new SetTimeProvider(TrailFixture.START_MILLIS * 1_000_000L);
        try (RawTrail trail = new RawTrail(SingleChronicleQueueBuilder.single(dir.toFile())
                .rollCycle(TestRollCycles.TEST_SECONDLY).timeProvider(clock).build())) {
            trail.genesis().allow("first-cycle").returned(1);
            running = new Running("tail", dir.toString(), "-f", "--max-records", "6", "--idle-exit-ms", "30000",
                    "--format", "csv");
            running.awaitOut(out -> out.contains("\n2,"));

            clock.advanceMillis(1000);
            trail.allow("second-cycle").returned(3);
            clock.advanceMillis(1000);
            trail.allow("third-cycle");

            assertThat(running.join()).as(running.err.toString()).isEqualTo(ExitCodes.OK);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".cq4")).count()).isEqualTo(3);
        }
        List<String> lines = running.out.toString().lines().toList();
        assertThat(seqs(lines.subList(1, lines.size()))).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(lines.get(4)).contains(",ALLOW,second-cycle,");
        assertThat(lines.get(6)).contains(",ALLOW,third-cycle,");
        assertThat(Cli.run("verify", dir.toString()).out()).startsWith("OK 6 records");
    }

    @Test
    void badOptionsAreUsageErrors() {
        TrailFixture.standard(dir, 3).close();

        assertThat(Cli.run("tail", dir.toString(), "--idle-exit-ms", "100"))
                .satisfies(r -> assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREADABLE))
                .satisfies(r -> assertThat(r.err()).contains("--idle-exit-ms needs -f").hasLineCount(1));
        assertThat(Cli.run("tail", dir.toString(), "--from-seq", "-1"))
                .satisfies(r -> assertThat(r.exitCode()).isEqualTo(ExitCodes.UNREADABLE))
                .satisfies(r -> assertThat(r.out()).isEmpty());
        assertThat(Cli.run("tail", dir.toString(), "--max-records", "0").exitCode())
                .isEqualTo(ExitCodes.UNREADABLE);
        assertThat(Cli.run("tail", dir.toString(), "--format", "xml").exitCode()).isEqualTo(ExitCodes.UNREADABLE);
    }

    @Test
    void followingNoTrailIsUnreadable() {
        Cli.Result result = Cli.run("tail", dir.resolve("nope").toString(), "-f");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(result.err()).contains("not a trail:").contains("no such directory");
    }

    private static List<Long> seqs(List<String> csvRows) {
        return csvRows.stream().map(row -> Long.parseLong(row.substring(0, row.indexOf(',')))).toList();
    }

    private static List<String> concat(String first, List<String> rest) {
        return Stream.concat(Stream.of(first), rest.stream()).toList();
    }

    /** Writes a chained trail into a queue the test built, as the agent and {@link TrailFixture} do. */
    private static final class RawTrail implements AutoCloseable {
        private final SingleChronicleQueue queue;
        private final ExcerptAppender appender;
        private final RecordEncoder encoder = new RecordEncoder();
        private final ChainHasher hasher = new ChainHasher();
        private byte[] previous = TrailFormat.zeroHash();
        private long seq;

        RawTrail(SingleChronicleQueue queue) {
            this.queue = queue;
            this.appender = queue.createAppender();
        }

        RawTrail genesis() {
            encoder.genesis(seq, TrailFixture.timeOf(seq), Utf8.encode("writer-1"), TrailFixture.POLICY_DIGEST,
                    Utf8.encode("policy.yaml"));
            return append();
        }

        RawTrail allow(String agent) {
            encoder.decision(RecordType.CALL_ALLOWED, seq, TrailFixture.timeOf(seq), 2, 2, Utf8.encode(agent),
                    Utf8.encode(""), Utf8.encode("com.acme.Tools"), Utf8.encode("search"), Utf8.encode("()V"),
                    new ArgumentDigest().digest("arg"));
            return append();
        }

        RawTrail returned(long callSeq) {
            encoder.outcome(RecordType.CALL_RETURNED, seq, TrailFixture.timeOf(seq), callSeq, 5L, Utf8.encode(""),
                    Utf8.encode(""));
            return append();
        }

        private RawTrail append() {
            int len = encoder.length();
            byte[] stored = new byte[len + TrailFormat.HASH_LENGTH];
            System.arraycopy(encoder.buffer(), 0, stored, 0, len);
            hasher.chain(previous, stored, 0, len, stored, len);
            try (DocumentContext dc = appender.writingDocument()) {
                dc.wire().bytes().write(stored);
            }
            previous = Arrays.copyOfRange(stored, len, stored.length);
            seq++;
            return this;
        }

        @Override
        public void close() {
            appender.close();
            queue.close();
        }
    }

    /** A command line running on its own thread, its output readable while it runs. */
    private static final class Running {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cmd = AuditReader.commandLine();
        final Thread thread;
        volatile int exitCode = -1;

        Running(String... args) {
            cmd.setOut(new PrintWriter(out, true));
            cmd.setErr(new PrintWriter(err, true));
            thread = new Thread(() -> exitCode = cmd.execute(args), "tail-under-test");
            thread.start();
        }

        TailCommand tail() {
            return cmd.getSubcommands().get("tail").getCommand();
        }

        void awaitOut(Predicate<String> condition) throws InterruptedException {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!condition.test(out.toString())) {
                if (System.nanoTime() > deadline || !thread.isAlive()) {
                    throw new AssertionError("tail did not print what was expected; out: " + out + " err: " + err);
                }
                Thread.sleep(20);
            }
        }

        int join() throws InterruptedException {
            thread.join(PATIENCE.toMillis());
            assertThat(thread.isAlive()).as("tail ended; out: %s err: %s", out, err).isFalse();
            return exitCode;
        }
    }
}
