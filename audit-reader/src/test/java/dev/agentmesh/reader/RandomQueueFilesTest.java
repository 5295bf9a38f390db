package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Random bytes where the reader expects a Chronicle cycle file ({@code *.cq4}), and real cycle files cut short,
 * given to {@code verify} and {@code export}: the reader ends with one line on stderr (or, for {@code verify}, its
 * verdict on stdout) and a documented exit code, never a stack trace or a failure of its own ({@code error: ...}),
 * and within a bound, never hanging, its exit included. {@code ReaderFuzzIT} (integration-tests) flips, zeroes and
 * cuts an agent-written trail and forks the reader jar for {@code verify}; this covers whole files of noise, noise
 * after a real queue header, and {@code export}, with every build of the reader.
 *
 * <p>Each run is a fresh JVM running {@link AuditReader#main}, as the command line does, killed if it outlives
 * {@link #BOUND}. Not in-process: Chronicle maps a cycle file whole, so reading past the end of one that is cut
 * short (and noise is always shorter than a real cycle file) faults, and once the reading code is compiled the JVM
 * raises that fault as an asynchronous {@link InternalError}, at whatever the thread does next. Run in-process,
 * again and again in one long-lived JVM, that once left a JDK lock (of Chronicle's background releaser) held by a
 * thread that had ended, which wedged every later read and the JVM's exit. A reader run is one command in its own
 * JVM, and that is what is tested, exit included. Half the runs have assertions on ({@code java -ea}), where
 * Chronicle's own asserts on what it reads fail before its other checks.
 */
class RandomQueueFilesTest {

    private static final int RECORDS = 40;
    /** Generous: a run takes about a second, and a damaged header costs it at most a few 500 ms header waits. */
    private static final Duration BOUND = Duration.ofSeconds(60);

    private static Path base;
    private static Path pristine;
    private static String cycleFile;
    /** The cycle file's written part: the rest of it, to {@link #cycleLength}, is unwritten (sparse, zeros). */
    private static byte[] cycleBytes;
    private static long cycleLength;
    /** Where GENESIS's writer id is, so inside the first record: a real header comes before it. */
    private static int firstRecord;
    /** Where the last record's agent id is, so inside the last record. */
    private static int lastRecord;

    @BeforeContainer
    static void writeTrail() throws Exception {
        base = Files.createTempDirectory("agentmesh-random-cq4");
        pristine = base.resolve("pristine");
        TrailFixture.standard(pristine, RECORDS).close();
        // With a checkpoint of every record, any record lost from the end fails verify too (exit 2).
        ProofSupport.writeCheckpoint(pristine.resolve(VerifyCommand.CHECKPOINT_FILE), RECORDS,
                ProofSupport.rootOf(pristine, RECORDS), CheckpointSigner.generate("ops"));
        Map.Entry<Path, Long> genesis = TrailFixture.offsetOf(pristine, "writer-1");
        cycleFile = genesis.getKey().getFileName().toString();
        firstRecord = Math.toIntExact(genesis.getValue());
        lastRecord = Math.toIntExact(TrailFixture.offsetOf(pristine, TrailFixture.agentId(RECORDS - 1)).getValue());
        cycleBytes = writtenPart(genesis.getKey());
        cycleLength = Files.size(genesis.getKey());
        assertThat(cycleBytes.length).isGreaterThan(lastRecord);
    }

    /**
     * @return the file up to its last non-zero byte, rounded up to a page: a cycle file is tens of megabytes, mostly
     *     never written, and copying it whole for every try would write all of it
     */
    private static byte[] writtenPart(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer bytes = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            int end = bytes.limit();
            while (end > 0 && bytes.get(end - 1) == 0) {
                end--;
            }
            byte[] written = new byte[Math.min(bytes.limit(), (end + 4095) / 4096 * 4096)];
            bytes.get(0, written);
            return written;
        }
    }

    @AfterContainer
    static void deleteFiles() throws IOException {
        if (base != null) {
            deleteTree(base);
        }
    }

    @Example
    void theUndamagedTrailVerifiesAndExports() throws Exception {
        Path dir = copy("clean");
        Files.write(dir.resolve(cycleFile), cycleBytes);
        try (RandomAccessFile raf = new RandomAccessFile(dir.resolve(cycleFile).toFile(), "rw")) {
            raf.setLength(cycleLength);
        }
        Cli.Result verify = run("verify", dir, false);
        assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(ExitCodes.OK);
        assertThat(verify.out()).startsWith("OK " + RECORDS + " records, ").endsWith(", checkpoint at " + RECORDS
                + " matching\n");
        Cli.Result export = run("export", dir, true);
        assertThat(export.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(export.outLines()).hasSize(RECORDS);
    }

    /** A cycle file of noise, alone in its directory or with the trail's real queue metadata beside it. */
    @Property(tries = 2, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void randomBytesAsACycleFileAreAOneLineError(@ForAll("noise") byte[] noise, @ForAll boolean withMetadata,
            @ForAll boolean assertions) throws Exception {
        Path dir = withMetadata ? copy("noise") : Files.createDirectory(base.resolve("noise-" + System.nanoTime()));
        try {
            Files.write(dir.resolve(cycleFile), noise);
            String what = noise.length + " random bytes as " + cycleFile + (withMetadata ? ", with" : ", without")
                    + " the queue's metadata";
            checkBroken(dir, what, assertions);
        } finally {
            deleteTree(dir);
        }
    }

    /** The real queue header, then noise: Chronicle finds its header and reads documents out of the noise. */
    @Property(tries = 2, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void noiseAfterARealHeaderIsAOneLineError(@ForAll("prefixes") int prefix, @ForAll("noise") byte[] noise,
            @ForAll boolean assertions) throws Exception {
        Path dir = copy("header-noise");
        try {
            byte[] file = Arrays.copyOf(cycleBytes, prefix + noise.length);
            System.arraycopy(noise, 0, file, prefix, noise.length);
            Files.write(dir.resolve(cycleFile), file);
            checkBroken(dir, "the first " + prefix + " bytes of a real cycle file, then " + noise.length
                    + " random bytes", assertions);
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * A real cycle file cut at any length up to a little past its last record: {@code verify} passes only with every
     * record (the checkpoint catches one lost from the end), and {@code export} prints exactly the records before the
     * break it names.
     */
    @Property(tries = 3, shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void aCycleFileCutShortIsAOneLineVerdict(@ForAll("cuts") int length, @ForAll boolean assertions)
            throws Exception {
        Path dir = copy("cut");
        try {
            Files.write(dir.resolve(cycleFile), Arrays.copyOf(cycleBytes, length));
            String what = cycleFile + " cut to " + length + " bytes (records from " + firstRecord + " to past "
                    + lastRecord + ")";

            Cli.Result verify = run("verify", dir, assertions);
            String context = what + ": " + verify;
            assertOneLine(verify, context);
            assertThat(verify.exitCode()).as(context).isIn(ExitCodes.OK, ExitCodes.TAMPERED, ExitCodes.TRUNCATED);
            if (verify.exitCode() == ExitCodes.OK) {
                assertThat(verify.out()).as("passed without every record: " + context)
                        .startsWith("OK " + RECORDS + " records, ");
            } else {
                assertThat(verify.out()).as(context).matches("(TAMPERED|TRUNCATED)[ :].*\n");
            }
            if (length <= lastRecord) {
                assertThat(verify.exitCode()).as("a cut inside the records passed: " + context)
                        .isNotEqualTo(ExitCodes.OK);
            }

            Cli.Result export = run("export", dir, assertions);
            context = what + ": " + export;
            assertThat(export.exitCode()).as(context).isIn(ExitCodes.OK, ExitCodes.TAMPERED);
            int printed = export.outLines().size();
            assertThat(printed).as(context).isLessThanOrEqualTo(RECORDS);
            for (int seq = 0; seq < printed; seq++) {
                assertThat(export.outLines().get(seq)).as(context).startsWith("{\"seq\":" + seq + ",");
            }
            if (export.exitCode() == ExitCodes.TAMPERED) {
                assertThat(export.err()).as(context).startsWith("TAMPERED at record " + printed + ": ")
                        .hasLineCount(1).doesNotContain("\tat ");
            } else {
                assertThat(export.err()).as(context).isEmpty();
            }
            Statistics.label("verify").collect(verify.exitCode());
            Statistics.label("export").collect(export.exitCode());
        } finally {
            deleteTree(dir);
        }
    }

    @Provide
    Arbitrary<byte[]> noise() {
        // From a few bytes (less than a header) to more than a page of documents.
        return Arbitraries.integers().between(1, 256 * 1024).flatMap(
                n -> Arbitraries.bytes().array(byte[].class).ofSize(n));
    }

    @Provide
    Arbitrary<Integer> prefixes() {
        return Arbitraries.integers().between(0, firstRecord);
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.integers().between(0, firstRecord)),
                Tuple.of(4, Arbitraries.integers().between(firstRecord, lastRecord + 512)));
    }

    /**
     * Runs {@code verify} and {@code export} on a trail whose only cycle file holds no record that can verify: each
     * ends in exactly one line, exit 1 (damage inside a trail) or 4 (no trail to judge), and {@code export} prints no
     * record.
     */
    private static void checkBroken(Path dir, String what, boolean assertions) throws Exception {
        Cli.Result verify = run("verify", dir, assertions);
        String context = what + ": " + verify;
        assertOneLine(verify, context);
        assertThat(verify.exitCode()).as(context).isIn(ExitCodes.TAMPERED, ExitCodes.UNREADABLE);
        if (verify.exitCode() == ExitCodes.TAMPERED) {
            assertThat(verify.out()).as(context).startsWith("TAMPERED at record 0: ");
        } else {
            assertThat(verify.err()).as(context).startsWith("not a trail: " + dir + ": ");
        }

        Cli.Result export = run("export", dir, assertions);
        context = what + ": " + export;
        assertOneLine(export, context);
        assertThat(export.out()).as("nothing unverified is printed: " + context).isEmpty();
        assertThat(export.exitCode()).as(context).isIn(ExitCodes.TAMPERED, ExitCodes.UNREADABLE);
        assertThat(export.err()).as(context).startsWith(export.exitCode() == ExitCodes.TAMPERED
                ? "TAMPERED at record 0: " : "not a trail: " + dir + ": ");
        Statistics.label("exit").collect(verify.exitCode(), export.exitCode());
    }

    /** One line in all, on stdout or stderr; no stack trace; not the reader's own failure. */
    private static void assertOneLine(Cli.Result r, String context) {
        assertThat(r.out() + r.err()).as(context).hasLineCount(1).doesNotContain("\tat ");
        assertThat(r.err()).as(context).doesNotStartWith("error: ");
    }

    /**
     * Runs {@code command} on {@code dir} in a fresh JVM, on this JVM's class path and with its module flags (which
     * Chronicle needs), as the reader's jar runs.
     *
     * @param assertions whether to run with {@code -ea}
     */
    private static Cli.Result run(String command, Path dir, boolean assertions) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("--add-"))
                .forEach(cmd::add);
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        if (assertions) {
            cmd.add("-ea");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), AuditReader.class.getName(), command,
                dir.toString()));
        Path out = base.resolve("run.out");
        Path err = base.resolve("run.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError(command + (assertions ? " -ea" : "") + " did not end within " + BOUND + " on "
                    + dir + "\n--- stdout so far\n" + Files.readString(out) + "--- stderr so far\n"
                    + Files.readString(err));
        }
        return new Cli.Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /** A fresh copy of the pristine trail but its cycle file, which each test writes: its metadata and checkpoint. */
    private static Path copy(String name) throws IOException {
        Path dir = Files.createDirectory(base.resolve(name + "-" + System.nanoTime()));
        List<Path> files;
        try (Stream<Path> list = Files.list(pristine)) {
            files = list.filter(f -> !f.getFileName().toString().equals(cycleFile)).toList();
        }
        for (Path f : files) {
            Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        }
        return dir;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
