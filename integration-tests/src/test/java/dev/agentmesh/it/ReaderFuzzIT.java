package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.it.apps.NumberedCallsApp;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
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
 * Random corruptions of a real trail never crash the real reader: {@code verify} exits only with 0, 1, 2 or 4,
 * prints exactly one line, and never a stack trace. And whenever the corruption reaches a record (a data document's
 * header or bytes, or cuts the file before the last record ends), it does not pass: the trail carries the agent's
 * signed checkpoint of all its records, so even a lost last record is caught (exit 2). Exit 0 is allowed only for
 * damage outside the records: padding, or bytes of Chronicle's own header and index that reading does not rely on.
 *
 * <p>One trail is written by the agent once (12 numbered calls, every fourth denied: 22 records, with a checkpoint
 * key); each try corrupts a fresh copy of it. Each try forks the reader jar, so the tries are few.
 */
class ReaderFuzzIT {

    private static final int RECORDS = 1 + 9 * 2 + 3;

    private static Path base;
    private static Path pristine;
    private static Path cq4;
    private static long fileLength;
    private static int firstRecord;
    private static int usedEnd;
    private static final List<int[]> recordRanges = new ArrayList<>();

    @BeforeContainer
    static void writeTrail() throws Exception {
        base = Files.createTempDirectory("agentmesh-fuzz");
        KeyFiles.generate(base.resolve("ops.pem"), base.resolve("ops.pub.pem"), "ops");
        Path policy = Trails.policy(base, Trails.MATRIX_POLICY);
        pristine = base.resolve("pristine");
        ForkedJvm.Result run = ForkedJvm.main(NumberedCallsApp.class)
                .withAgent("policy=" + policy + ",audit.dir=" + pristine + ",checkpoint.key="
                        + base.resolve("ops.pem") + ",checkpoint.key.name=ops")
                .args("1", "12", "4").run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        cq4 = TrailFiles.onlyCycleFile(pristine);
        fileLength = Files.size(cq4);
        List<TrailFiles.Doc> records = TrailFiles.records(pristine);
        assertThat(records).hasSize(RECORDS);
        for (TrailFiles.Doc doc : records) {
            recordRanges.add(new int[] {doc.offset(), doc.payload() + doc.length()});
        }
        firstRecord = records.get(0).offset();
        usedEnd = TrailFiles.usedEnd(cq4);
        assertThat(usedEnd).isEqualTo(records.get(RECORDS - 1).end());
    }

    @AfterContainer
    static void deleteTrails() throws IOException {
        if (base != null) {
            try (Stream<Path> files = Files.walk(base)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Example
    void aCleanTrailVerifies() throws Exception {
        Path trail = Files.createTempDirectory(base, "clean");
        TrailFiles.copyTrail(pristine, trail);
        ReaderRuns.Run r = ReaderRuns.run("verify", trail.toString(), "--pubkey", base.resolve("ops.pub.pem").toString(),
                "--key-name", "ops");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.line()).startsWith("OK " + RECORDS + " records, ")
                .endsWith(", checkpoint at " + RECORDS + " signed and matching");
    }

    /**
     * Each try forks the reader, so no shrinking (a failure reports its corruption and jqwik's seed), and no
     * generated edge cases, to keep every try for random damage; the smallest cut has its own test,
     * {@link #aCycleFileCutToLessThanAHeaderIsNamedQuickly}. How many tries is {@code jqwik.tries.default}, which the
     * build sets from {@code -Dit.fuzz.tries} (12 in the default suite; a soak run passes hundreds).
     */
    @Property(shrinking = ShrinkingMode.OFF, edgeCases = EdgeCasesMode.NONE)
    void corruptionsNeverCrashTheReader(@ForAll("corruptions") Corruption corruption) throws Exception {
        Path trail = Files.createTempDirectory(base, "try");
        try {
            TrailFiles.copyTrail(pristine, trail);
            Path file = trail.resolve(cq4.getFileName());
            boolean hitsRecords = corruption.apply(file);

            ReaderRuns.Run r = ReaderRuns.run(60, "verify", trail.toString());
            Statistics.label("corruption").collect(corruption.kind(), hitsRecords ? "hits records" : "misses records");
            Statistics.label("exit").collect(r.exitCode());
            String context = corruption + "\n" + r;
            assertThat(r.exitCode()).as(context).isIn(0, 1, 2, 4);
            assertThat(r.stdout() + r.stderr()).as(context).doesNotContain("\tat ").doesNotContain("Exception in thread");
            assertThat(r.lines()).as(context).hasSize(1);
            if (hitsRecords) {
                assertThat(r.exitCode()).as("damage to the records passed: " + context).isNotZero();
            }
        } finally {
            deleteTree(trail);
        }
    }

    /**
     * A cycle file shorter than one header (as a crash right after Chronicle created it would leave it) is damage
     * at record 0, and the reader says so within seconds: the reader opens the queue with a short header timeout
     * ({@code Trail.HEADER_TIMEOUT_MILLIS}) instead of Chronicle's 10 s per wait.
     */
    @Example
    void aCycleFileCutToLessThanAHeaderIsNamedQuickly() throws Exception {
        Path trail = Files.createTempDirectory(base, "cut");
        TrailFiles.copyTrail(pristine, trail);
        new Truncate(1).apply(trail.resolve(cq4.getFileName()));
        ReaderRuns.Run r = ReaderRuns.run(10, "verify", trail.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.line()).isEqualTo("TAMPERED at record 0: unreadable: the queue files hold no complete record");
    }

    @Provide
    Arbitrary<Corruption> corruptions() {
        Arbitrary<Corruption> flips = Combinators.combine(offsets().list().ofMinSize(1).ofMaxSize(8),
                Arbitraries.integers().between(1, 255).list().ofSize(8))
                .as((offsets, masks) -> new Flip(offsets, masks.subList(0, offsets.size())));
        Arbitrary<Corruption> truncations = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.longs().between(firstRecord, usedEnd + 64L)),
                Tuple.of(1, Arbitraries.longs().between(0, fileLength - 1)))
                .map(Truncate::new);
        Arbitrary<Corruption> zeros = Combinators.combine(offsets(), Arbitraries.integers().between(1, 512))
                .as(Zero::new);
        return Arbitraries.oneOf(flips, truncations, zeros);
    }

    /** Mostly in the records, sometimes in Chronicle's header and index before them, sometimes anywhere. */
    private static Arbitrary<Long> offsets() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.longs().between(firstRecord, usedEnd - 1)),
                Tuple.of(2, Arbitraries.longs().between(0, firstRecord - 1)),
                Tuple.of(2, Arbitraries.longs().between(0, fileLength - 1)));
    }

    /** One kind of damage to the cycle file. */
    interface Corruption {
        /** @return whether it changed a byte of a record (a data document) or cut one off */
        boolean apply(Path file) throws IOException;

        String kind();
    }

    /** Flips bits: XORs bytes at the offsets with the masks. */
    record Flip(List<Long> offsets, List<Integer> masks) implements Corruption {
        @Override
        public boolean apply(Path file) throws IOException {
            boolean hit = false;
            for (int i = 0; i < offsets.size(); i++) {
                TrailFiles.xor(file, offsets.get(i), masks.get(i));
                hit |= inRecord(offsets.get(i));
            }
            // Two flips of the same byte may cancel out.
            return hit && changedRecords(file);
        }

        @Override
        public String kind() {
            return "flip";
        }
    }

    /** Cuts the file to {@code length} bytes. */
    record Truncate(long length) implements Corruption {
        @Override
        public boolean apply(Path file) throws IOException {
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(length);
            }
            return length < recordRanges.get(recordRanges.size() - 1)[1];
        }

        @Override
        public String kind() {
            return "truncate";
        }
    }

    /** Zeroes {@code length} bytes from {@code offset} (less at the end of the file). */
    record Zero(long offset, int length) implements Corruption {
        @Override
        public boolean apply(Path file) throws IOException {
            int n = (int) Math.min(length, fileLength - offset);
            TrailFiles.write(file, offset, new byte[n]);
            return changedRecords(file);
        }

        @Override
        public String kind() {
            return "zero";
        }
    }

    private static boolean inRecord(long offset) {
        for (int[] range : recordRanges) {
            if (offset >= range[0] && offset < range[1]) {
                return true;
            }
        }
        return false;
    }

    /** @return whether any byte of any record (header included) differs from the pristine trail's */
    private static boolean changedRecords(Path file) throws IOException {
        int from = recordRanges.get(0)[0];
        int to = recordRanges.get(recordRanges.size() - 1)[1];
        byte[] now = slice(file, from, to);
        byte[] was = slice(cq4, from, to);
        for (int[] range : recordRanges) {
            for (int i = range[0]; i < range[1]; i++) {
                if (now[i - from] != was[i - from]) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] slice(Path file, int from, int to) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            byte[] bytes = new byte[to - from];
            raf.seek(from);
            raf.readFully(bytes);
            return bytes;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
