package dev.agentmesh.agent.audit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentmesh.api.AuditUnavailableException;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.format.ChainHasher;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.TrailQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link AuditTrail} against a real Chronicle queue. */
class AuditTrailTest {

    private static final byte[] POLICY_DIGEST = filled(0x5C);
    private static final byte[] NO_BYTES = new byte[0];

    @TempDir
    Path tmp;

    private final List<AuditTrail> opened = new ArrayList<>();

    @AfterEach
    void closeTrails() {
        opened.forEach(AuditTrail::close);
    }

    // ---- helpers ----

    private static byte[] filled(int value) {
        byte[] b = new byte[TrailFormat.HASH_LENGTH];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(UTF_8);
    }

    private AuditTrail trail(Path dir, String writerId) {
        AuditTrail trail = new AuditTrail(dir, new GenesisInfo(writerId, POLICY_DIGEST, "policy.yaml"), 5_000);
        opened.add(trail);
        return trail;
    }

    private AuditTrail openTrail(Path dir, String writerId) {
        AuditTrail trail = trail(dir, writerId);
        trail.open();
        return trail;
    }

    /** A decision record with dummy fields; its seq and time are deliberately wrong, the trail overwrites both. */
    private static RecordEncoder decision(RecordEncoder encoder, RecordType type, String agent) {
        return encoder.decision(type, 999_999, 42, 2, 3, utf8(agent), NO_BYTES, utf8("com.acme.Tools"),
                utf8("search"), utf8("(Ljava/lang/String;)V"), filled(0x01));
    }

    private static RecordEncoder returned(RecordEncoder encoder, long callSeq) {
        return encoder.outcome(RecordType.CALL_RETURNED, 999_999, 42, callSeq, 1_000, NO_BYTES, NO_BYTES);
    }

    private static RecordEncoder threw(RecordEncoder encoder, long callSeq) {
        return encoder.outcome(RecordType.CALL_THREW, 999_999, 42, callSeq, 2_000, utf8("java.io.IOException"),
                NO_BYTES);
    }

    /** Appends stored records (canonical bytes || hash) with the raw Chronicle API. */
    private static void writeRaw(Path dir, byte[]... stored) {
        try (SingleChronicleQueue queue = TrailQueue.openForWriting(dir);
                ExcerptAppender appender = queue.createAppender()) {
            for (byte[] s : stored) {
                try (DocumentContext dc = appender.writingDocument()) {
                    dc.wire().bytes().write(s);
                }
            }
        }
    }

    private static byte[] lastStored(Path dir) {
        try (SingleChronicleQueue queue = TrailQueue.openForReading(dir)) {
            return TrailQueue.readLast(queue);
        }
    }

    private static byte[] hashOf(byte[] stored) {
        return Arrays.copyOfRange(stored, stored.length - TrailFormat.HASH_LENGTH, stored.length);
    }

    /** Chains a canonical record onto {@code previousHash}: the stored record, bytes || hash. */
    private static byte[] chain(byte[] previousHash, byte[] canonical) {
        byte[] hash = new byte[TrailFormat.HASH_LENGTH];
        new ChainHasher().chain(previousHash, canonical, 0, canonical.length, hash, 0);
        byte[] stored = Arrays.copyOf(canonical, canonical.length + hash.length);
        System.arraycopy(hash, 0, stored, canonical.length, hash.length);
        return stored;
    }

    // ---- writing and verifying ----

    @Test
    void openWritesGenesisThenAppendsChainAndVerify() throws Exception {
        Path dir = tmp.resolve("audit");
        long before = System.currentTimeMillis();
        AuditTrail trail = openTrail(dir, "writer-1");
        RecordEncoder e = new RecordEncoder();

        long allow1 = trail.append(decision(e, RecordType.CALL_ALLOWED, "researcher"));
        long ret1 = trail.append(returned(e, allow1));
        long deny = trail.append(decision(e, RecordType.CALL_DENIED, "intruder"));
        long allow2 = trail.append(decision(e, RecordType.CALL_ALLOWED, "researcher"));
        long threw2 = trail.append(threw(e, allow2));
        long after = System.currentTimeMillis();

        assertThat(List.of(allow1, ret1, deny, allow2, threw2)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(trail.dir()).isEqualTo(dir);

        List<AuditRecord> records = VerifiedTrail.read(dir);

        assertThat(records).extracting(AuditRecord::type).containsExactly(RecordType.GENESIS,
                RecordType.CALL_ALLOWED, RecordType.CALL_RETURNED, RecordType.CALL_DENIED, RecordType.CALL_ALLOWED,
                RecordType.CALL_THREW);
        assertThat(records).extracting(AuditRecord::seq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        AuditRecord genesis = records.get(0);
        assertThat(genesis.writerId()).isEqualTo("writer-1");
        assertThat(genesis.policyDigest()).isEqualTo(POLICY_DIGEST);
        assertThat(genesis.policySource()).isEqualTo("policy.yaml");
        // the trail stamps times itself, in order, with the wall clock (not the encoder's 42)
        assertThat(records).allSatisfy(r -> assertThat(r.timeMillis()).isBetween(before, after));
        assertThat(records.get(1).agentId()).isEqualTo("researcher");
        assertThat(records.get(1).className()).isEqualTo("com.acme.Tools");
        assertThat(records.get(2).callSeq()).isEqualTo(1);
        assertThat(records.get(3).agentId()).isEqualTo("intruder");
        assertThat(records.get(5).callSeq()).isEqualTo(4);
        assertThat(records.get(5).exceptionClass()).isEqualTo("java.io.IOException");
    }

    @Test
    void aReaderSeesRecordsWhileTheTrailIsStillOpen() throws Exception {
        Path dir = tmp.resolve("audit");
        AuditTrail trail = openTrail(dir, "w");
        trail.append(decision(new RecordEncoder(), RecordType.CALL_DENIED, "a"));

        // write-ahead: the record is in the queue when append returns, not when the trail closes
        assertThat(VerifiedTrail.read(dir)).extracting(AuditRecord::type)
                .containsExactly(RecordType.GENESIS, RecordType.CALL_DENIED);
    }

    @Test
    void aSecondTrailOnTheSameDirectoryContinuesTheChain() throws Exception {
        Path dir = tmp.resolve("audit");
        AuditTrail first = openTrail(dir, "run-1");
        RecordEncoder e = new RecordEncoder();
        long call = first.append(decision(e, RecordType.CALL_ALLOWED, "a"));
        first.append(returned(e, call));
        first.append(decision(e, RecordType.CALL_DENIED, "b"));
        first.close();
        int n = VerifiedTrail.read(dir).size();
        assertThat(n).isEqualTo(4);

        AuditTrail second = openTrail(dir, "run-2");
        long next = second.append(decision(e, RecordType.CALL_DENIED, "c"));

        assertThat(next).isEqualTo(n + 1);
        List<AuditRecord> records = VerifiedTrail.read(dir);
        assertThat(records).hasSize(n + 2);
        AuditRecord genesis2 = records.get(n);
        assertThat(genesis2.type()).isEqualTo(RecordType.GENESIS);
        assertThat(genesis2.seq()).isEqualTo(n);
        assertThat(genesis2.writerId()).isEqualTo("run-2");
        assertThat(records.get(0).writerId()).isEqualTo("run-1");
        assertThat(records.stream().filter(r -> r.type() == RecordType.GENESIS).count()).isEqualTo(2);
    }

    @Test
    void concurrentAppendsFormOneUnbrokenChain() throws Exception {
        int threads = 4;
        int perThread = 5_000; // an ALLOW and its RETURNED per iteration pair
        Path dir = tmp.resolve("audit");
        AuditTrail trail = openTrail(dir, "concurrent");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<Long>>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                String agent = "agent-" + t;
                futures.add(pool.submit(() -> {
                    RecordEncoder e = new RecordEncoder();
                    List<Long> seqs = new ArrayList<>(perThread);
                    start.await();
                    for (int i = 0; i < perThread / 2; i++) {
                        long call = trail.append(decision(e, RecordType.CALL_ALLOWED, agent));
                        seqs.add(call);
                        seqs.add(trail.append(returned(e, call)));
                    }
                    return seqs;
                }));
            }
            start.countDown();
            Set<Long> allSeqs = new HashSet<>();
            for (Future<List<Long>> f : futures) {
                List<Long> seqs = f.get(60, TimeUnit.SECONDS);
                assertThat(seqs).hasSize(perThread).isSorted();
                allSeqs.addAll(seqs);
            }
            int total = threads * perThread;
            assertThat(allSeqs).as("every append got its own position")
                    .isEqualTo(LongStream.rangeClosed(1, total).boxed().collect(Collectors.toSet()));

            List<AuditRecord> records = VerifiedTrail.read(dir);

            assertThat(records).hasSize(1 + total);
            assertThat(records.get(0).type()).isEqualTo(RecordType.GENESIS);
            // every outcome closes an ALLOW of the same agent, which the verifier saw still open
            for (AuditRecord r : records) {
                if (r.type() == RecordType.CALL_RETURNED) {
                    AuditRecord call = records.get((int) r.callSeq());
                    assertThat(call.type()).isEqualTo(RecordType.CALL_ALLOWED);
                }
            }
            assertThat(records.stream().filter(r -> r.type() == RecordType.CALL_ALLOWED)
                    .collect(Collectors.groupingBy(AuditRecord::agentId, Collectors.counting())))
                    .containsOnlyKeys("agent-0", "agent-1", "agent-2", "agent-3")
                    .allSatisfy((agent, count) -> assertThat(count).isEqualTo(perThread / 2));
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- failing closed ----

    @Test
    void anUnwritableDirectoryMakesAppendThrowNamingTheDirectory() throws Exception {
        Path regularFile = Files.writeString(tmp.resolve("not-a-dir"), "x");
        Path dir = regularFile.resolve("audit");
        AuditTrail trail = openTrail(dir, "w");

        for (int attempt = 0; attempt < 2; attempt++) {
            Throwable t = catchThrowable(() -> trail.append(decision(new RecordEncoder(),
                    RecordType.CALL_ALLOWED, "a")));
            assertThat(t).as("attempt %d", attempt).isInstanceOf(AuditUnavailableException.class)
                    .hasMessageContaining(dir.toAbsolutePath().toString());
            assertThat(t.getCause()).isNotNull();
        }
        assertThat(Files.isRegularFile(regularFile)).isTrue();
    }

    @Test
    void appendOnATrailThatNeverOpensTimesOut() {
        Path dir = tmp.resolve("audit");
        AuditTrail trail = new AuditTrail(dir, new GenesisInfo("w", POLICY_DIGEST, "p"), 50);
        long start = System.nanoTime();

        assertThatThrownBy(() -> trail.append(decision(new RecordEncoder(), RecordType.CALL_ALLOWED, "a")))
                .isInstanceOf(AuditUnavailableException.class).hasMessageContaining("did not open within 50 ms")
                .hasMessageContaining(dir.toAbsolutePath().toString());
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(45);
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    void anInterruptedWaitDeniesAndKeepsTheInterrupt() {
        AuditTrail trail = new AuditTrail(tmp.resolve("audit"), new GenesisInfo("w", POLICY_DIGEST, "p"), 10_000);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> trail.append(decision(new RecordEncoder(), RecordType.CALL_ALLOWED, "a")))
                    .isInstanceOf(AuditUnavailableException.class).hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void openInBackgroundOpensOnADaemonThreadWithTheGivenContextLoaderAndAppendWaitsForIt() throws Exception {
        Path dir = tmp.resolve("audit");
        AuditTrail trail = trail(dir, "bg");
        ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {
        };
        Set<Thread> before = Thread.getAllStackTraces().keySet();

        trail.openInBackground(loader);
        long seq = trail.append(decision(new RecordEncoder(), RecordType.CALL_DENIED, "a"));

        assertThat(seq).isEqualTo(1);
        assertThat(VerifiedTrail.read(dir)).hasSize(2);
        // the opener thread, if still around, is a daemon with the agent's loader
        Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                .filter(t -> t.getName().equals("agentmesh-audit-open")).forEach(t -> {
                    assertThat(t.isDaemon()).isTrue();
                    assertThat(t.getContextClassLoader()).isSameAs(loader);
                });
    }

    @Test
    void aClosedTrailDeniesFurtherAppends() throws Exception {
        Path dir = tmp.resolve("audit");
        AuditTrail trail = openTrail(dir, "w");
        trail.append(decision(new RecordEncoder(), RecordType.CALL_DENIED, "a"));
        trail.close();

        assertThatThrownBy(() -> trail.append(decision(new RecordEncoder(), RecordType.CALL_DENIED, "b")))
                .isInstanceOf(AuditUnavailableException.class).hasMessageContaining("closed");
        assertThat(VerifiedTrail.read(dir)).hasSize(2);
    }

    @Test
    void aTrailEndingInACorruptRecordIsNotContinued() throws Exception {
        Path dir = tmp.resolve("audit");
        AuditTrail first = openTrail(dir, "run-1");
        first.append(decision(new RecordEncoder(), RecordType.CALL_DENIED, "a"));
        first.close();
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0xFF);
        writeRaw(dir, garbage);

        AuditTrail second = openTrail(dir, "run-2");
        Throwable t = catchThrowable(() -> second.append(decision(new RecordEncoder(), RecordType.CALL_DENIED, "b")));

        assertThat(t).isInstanceOf(AuditUnavailableException.class)
                .hasMessageContaining(dir.toAbsolutePath().toString());
        assertThat(t.getCause()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("unreadable record");
        // nothing was added after the corrupt record: the garbage is still last, no GENESIS of run-2
        assertThat(lastStored(dir)).isEqualTo(garbage);
    }

    @Test
    void aTrailWhoseHeadDoesNotVerifyIsNotContinued() throws Exception {
        Path dir = tmp.resolve("audit");
        AuditTrail first = openTrail(dir, "run-1");
        long seq = first.append(decision(new RecordEncoder(), RecordType.CALL_DENIED, "a"));
        first.close();
        // A well-formed next record, numbered right, but chained onto a hash that is not the last record's.
        byte[] canonical = new RecordEncoder().decision(RecordType.CALL_ALLOWED, seq + 1, 42, 2, 3, utf8("forger"),
                NO_BYTES, utf8("com.acme.Tools"), utf8("search"), utf8("()V"), filled(0x01)).toByteArray();
        byte[] forged = chain(filled(0x66), canonical);
        writeRaw(dir, forged);

        AuditTrail second = openTrail(dir, "run-2");
        Throwable t = catchThrowable(() -> second.append(decision(new RecordEncoder(), RecordType.CALL_DENIED, "b")));

        assertThat(t).isInstanceOf(AuditUnavailableException.class).hasMessageContaining(dir.toAbsolutePath().toString());
        assertThat(t.getCause()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not verify at its head: record " + (seq + 1))
                .hasMessageContaining("chain hash");
        assertThat(lastStored(dir)).as("nothing appended after it").isEqualTo(forged);
    }

    @Test
    void aTrailWhoseLastRecordSkipsASequenceNumberIsNotContinued() throws Exception {
        Path dir = tmp.resolve("audit");
        AuditTrail first = openTrail(dir, "run-1");
        long seq = first.append(decision(new RecordEncoder(), RecordType.CALL_DENIED, "a"));
        first.close();
        byte[] canonical = new RecordEncoder().decision(RecordType.CALL_ALLOWED, seq + 2, 42, 2, 3, utf8("forger"),
                NO_BYTES, utf8("com.acme.Tools"), utf8("search"), utf8("()V"), filled(0x01)).toByteArray();
        writeRaw(dir, chain(hashOf(lastStored(dir)), canonical));

        AuditTrail second = openTrail(dir, "run-2");
        Throwable t = catchThrowable(() -> second.append(decision(new RecordEncoder(), RecordType.CALL_DENIED, "b")));

        assertThat(t.getCause()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("record " + (seq + 2)).hasMessageContaining("does not follow");
    }

    @Test
    void aTrailEndingInATruncatedRecordIsNotContinued() throws Exception {
        Path dir = tmp.resolve("audit");
        AuditTrail first = openTrail(dir, "run-1");
        first.close();
        writeRaw(dir, new byte[] {1, 3, 0, 0}); // shorter than a hash

        AuditTrail second = openTrail(dir, "run-2");

        assertThatThrownBy(() -> second.append(decision(new RecordEncoder(), RecordType.CALL_DENIED, "b")))
                .isInstanceOf(AuditUnavailableException.class).hasMessageContaining(dir.toAbsolutePath().toString())
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(lastStored(dir)).containsExactly(1, 3, 0, 0);
    }

    // ---- the checker catches violations ----

    @Test
    void theCheckerCatchesAForgedHash() throws Exception {
        Path dir = tmp.resolve("audit");
        AuditTrail trail = openTrail(dir, "w");
        trail.append(decision(new RecordEncoder(), RecordType.CALL_DENIED, "a"));
        trail.close();
        assertThat(VerifiedTrail.read(dir)).hasSize(2); // intact before the forgery
        // the right seq and a plausible time, so only the hash is wrong
        byte[] canonical = new RecordEncoder().decision(RecordType.CALL_DENIED, 2, System.currentTimeMillis(), 3, 0,
                utf8("forger"), NO_BYTES, utf8("X"), utf8("m"), utf8("()V"), filled(0)).toByteArray();
        byte[] forged = Arrays.copyOf(canonical, canonical.length + TrailFormat.HASH_LENGTH); // zero hash
        writeRaw(dir, forged);

        assertThatThrownBy(() -> VerifiedTrail.read(dir)).isInstanceOf(ChainBreak.class)
                .hasMessageContaining("record 2").hasMessageContaining("hash mismatch");
    }

    @Test
    void theCheckerCatchesASequenceGap() throws Exception {
        Path dir = tmp.resolve("audit");
        AuditTrail trail = openTrail(dir, "w");
        trail.close();
        byte[] previous = hashOf(lastStored(dir));
        byte[] skipped = new RecordEncoder().decision(RecordType.CALL_DENIED, 2, System.currentTimeMillis(), 3, 0,
                utf8("a"), NO_BYTES, utf8("X"), utf8("m"), utf8("()V"), filled(0)).toByteArray();
        writeRaw(dir, chain(previous, skipped));

        assertThatThrownBy(() -> VerifiedTrail.read(dir)).isInstanceOf(ChainBreak.class)
                .hasMessageContaining("record 1").hasMessageContaining("sequence number 2");
    }

    @Test
    void theCheckerCatchesTimeGoingBackwards() throws Exception {
        Path dir = tmp.resolve("audit");
        byte[] genesis = new RecordEncoder().genesis(0, 2_000, utf8("w"), POLICY_DIGEST, utf8("p")).toByteArray();
        byte[] deny = new RecordEncoder().decision(RecordType.CALL_DENIED, 1, 1_999, 3, 0, utf8("a"), NO_BYTES,
                utf8("X"), utf8("m"), utf8("()V"), filled(0)).toByteArray();
        byte[] storedGenesis = chain(new byte[TrailFormat.HASH_LENGTH], genesis);
        writeRaw(dir, storedGenesis, chain(hashOf(storedGenesis), deny));
        // the same chain with equal times passes, so only the time order is at fault above
        Path inOrder = tmp.resolve("in-order");
        byte[] sameTime = new RecordEncoder().decision(RecordType.CALL_DENIED, 1, 2_000, 3, 0, utf8("a"), NO_BYTES,
                utf8("X"), utf8("m"), utf8("()V"), filled(0)).toByteArray();
        writeRaw(inOrder, storedGenesis, chain(hashOf(storedGenesis), sameTime));
        assertThat(VerifiedTrail.read(inOrder)).hasSize(2);

        assertThatThrownBy(() -> VerifiedTrail.read(dir)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("record 1").hasMessageContaining("before");
    }

    /**
     * A thread whose interrupt flag is set while it writes: opening and mapping a new cycle file goes through a
     * {@code FileChannel}, which an interrupted thread would close for everyone. The clock is stepped an hour on
     * every few records, so the trail rolls to a new file twenty times, each time under an interrupted thread:
     * every record is written, the flag stays set for the application, another thread goes on writing, and the
     * trail verifies.
     */
    @Test
    void aThreadInterruptedWhileItWritesLosesNothingAndBreaksNothing() throws Exception {
        Path dir = tmp.resolve("audit");
        AuditTrail trail = hourlyTrail(dir);
        trail.open();
        RecordEncoder e = new RecordEncoder();
        int records = 2_000;
        int interruptedKept = 0;
        for (int i = 0; i < records; i++) {
            if (i % 100 == 0) {
                trail.shiftClock(3_600_000L);
            }
            Thread.currentThread().interrupt();
            trail.append(decision(e, RecordType.CALL_DENIED, "interrupted"));
            if (Thread.interrupted()) {
                interruptedKept++;
            }
        }
        assertThat(interruptedKept).as("the flag is the application's: never cleared").isEqualTo(records);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            other.submit(() -> trail.append(decision(new RecordEncoder(), RecordType.CALL_DENIED, "other"))).get();
        } finally {
            other.shutdown();
        }
        trail.close();
        assertThat(chainedInFileOrder(dir)).hasSize(1 + records + 1);
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".cq4")).count()).isEqualTo(21);
        }
    }

    /**
     * An NTP step back across a cycle boundary: Chronicle, left to itself, files the next records into an earlier
     * cycle file, which reads first, so the chain breaks. The records keep the time the clock said (the reader
     * reports the step); the trail stays in sequence, in one chain, in this JVM and in the next one.
     */
    @Test
    void aClockSteppedBackAcrossCyclesKeepsTheTrailInOrderInThisRunAndTheNext() throws Exception {
        Path dir = tmp.resolve("audit");
        long threeHours = 3 * 3_600_000L;
        AuditTrail trail = hourlyTrail(dir);
        trail.open();
        RecordEncoder e = new RecordEncoder();
        trail.append(decision(e, RecordType.CALL_ALLOWED, "before"));
        trail.shiftClock(-threeHours);
        trail.append(decision(e, RecordType.CALL_ALLOWED, "stepped-back"));
        trail.shiftClock(threeHours);
        trail.append(decision(e, RecordType.CALL_ALLOWED, "caught-up"));
        trail.close();

        AuditTrail next = hourlyTrail(dir);
        next.shiftClock(-threeHours); // the next JVM's clock is behind the one that wrote the trail
        next.open();
        next.append(decision(e, RecordType.CALL_ALLOWED, "next-run"));
        next.close();

        List<AuditRecord> records = chainedInFileOrder(dir);
        assertThat(records).extracting(AuditRecord::seq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
        assertThat(records).extracting(AuditRecord::agentId).containsExactly("", "before", "stepped-back",
                "caught-up", "", "next-run");
        assertThat(records.get(2).timeMillis()).as("the record keeps the time the clock said")
                .isLessThanOrEqualTo(records.get(1).timeMillis() - threeHours + 60_000);
        assertThat(records.get(5).timeMillis()).isLessThan(records.get(3).timeMillis() - threeHours + 60_000);
    }

    private AuditTrail hourlyTrail(Path dir) {
        AuditTrail trail = new AuditTrail(dir, new GenesisInfo("w", POLICY_DIGEST, "p"), 5_000,
                net.openhft.chronicle.queue.RollCycles.FAST_HOURLY);
        opened.add(trail);
        return trail;
    }

    /** The records as the queue's files hold them, checked against the chain only (not against time order). */
    private static List<AuditRecord> chainedInFileOrder(Path dir) throws Exception {
        List<AuditRecord> records = new ArrayList<>();
        dev.agentmesh.audit.format.ChainVerifier verifier = new dev.agentmesh.audit.format.ChainVerifier();
        try (SingleChronicleQueue queue = TrailQueue.openForReading(dir)) {
            TrailQueue.readAll(queue, (stored, length, index) -> {
                records.add(verifier.accept(stored, length));
                return true;
            });
        }
        return records;
    }

    @Test
    void theCheckerCatchesATrailThatDoesNotOpenWithGenesisAndAnOrphanOutcome() throws Exception {
        Path noGenesis = tmp.resolve("no-genesis");
        byte[] deny = new RecordEncoder().decision(RecordType.CALL_DENIED, 0, 1, 3, 0, utf8("a"), NO_BYTES,
                utf8("X"), utf8("m"), utf8("()V"), filled(0)).toByteArray();
        writeRaw(noGenesis, chain(new byte[TrailFormat.HASH_LENGTH], deny));
        assertThatThrownBy(() -> VerifiedTrail.read(noGenesis)).isInstanceOf(ChainBreak.class)
                .hasMessageContaining("GENESIS");

        Path orphan = tmp.resolve("orphan");
        AuditTrail trail = openTrail(orphan, "w");
        RecordEncoder e = new RecordEncoder();
        long denied = trail.append(decision(e, RecordType.CALL_DENIED, "a"));
        trail.append(returned(e, denied)); // the trail writes what it is given; the checker must object
        trail.close();
        assertThatThrownBy(() -> VerifiedTrail.read(orphan)).isInstanceOf(ChainBreak.class)
                .hasMessageContaining("record 2").hasMessageContaining("not an earlier ALLOW");
    }

    // ---- files deleted under the running trail ----

    @Test
    void aDeletedDirectoryDeniesAppendsUntilItIsBackThenTheTrailOpensAgain() throws Exception {
        Path dir = tmp.resolve("audit");
        AuditTrail trail = openTrail(dir, "writer-1");
        RecordEncoder e = new RecordEncoder();
        trail.append(decision(e, RecordType.CALL_ALLOWED, "researcher"));

        deleteTree(dir);
        Throwable refused = appendUntilRefused(trail, e);
        assertThat(refused).isInstanceOf(AuditUnavailableException.class)
                .hasMessageContaining(dir.toAbsolutePath().toString()).hasMessageContaining("deleted");
        Thread.sleep(5 * TrailWatch.PERIOD_MILLIS);
        assertThat(catchThrowable(() -> trail.append(decision(e, RecordType.CALL_ALLOWED, "researcher"))))
                .as("still denied while the directory is gone").isInstanceOf(AuditUnavailableException.class);
        assertThat(dir).as("nothing puts the directory back but its owner").doesNotExist();

        Files.createDirectories(dir);
        long seq = appendUntilAccepted(trail, e);

        List<AuditRecord> records = VerifiedTrail.read(dir);
        assertThat(records).extracting(AuditRecord::type).containsExactly(RecordType.GENESIS, RecordType.CALL_ALLOWED);
        assertThat(records.get(1).seq()).isEqualTo(seq).isEqualTo(1);
        assertThat(trail.generation()).isEqualTo(1);
    }

    @Test
    void aDeletedCycleFileIsSeenTooAndTheTrailOpensAgainInTheSameDirectory() throws Exception {
        Path dir = tmp.resolve("audit");
        AuditTrail trail = openTrail(dir, "writer-1");
        RecordEncoder e = new RecordEncoder();
        trail.append(decision(e, RecordType.CALL_ALLOWED, "researcher"));
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path cycle : files.filter(f -> f.toString().endsWith(".cq4")).collect(Collectors.toList())) {
                Files.delete(cycle);
            }
        }

        appendUntilRefused(trail, e);
        appendUntilAccepted(trail, e);

        assertThat(VerifiedTrail.read(dir)).extracting(AuditRecord::type)
                .containsExactly(RecordType.GENESIS, RecordType.CALL_ALLOWED);
    }

    /** Appends until the watch has seen the files go; records made before that went into a deleted file. */
    private static Throwable appendUntilRefused(AuditTrail trail, RecordEncoder e) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Throwable t = catchThrowable(() -> trail.append(decision(e, RecordType.CALL_ALLOWED, "researcher")));
            if (t != null) {
                return t;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("appends were still accepted 10 s after the trail's files were deleted");
    }

    private static long appendUntilAccepted(AuditTrail trail, RecordEncoder e) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                return trail.append(decision(e, RecordType.CALL_ALLOWED, "researcher"));
            } catch (AuditUnavailableException refused) {
                Thread.sleep(1);
            }
        }
        throw new AssertionError("appends were still refused 10 s after the directory was back");
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(p);
            }
        }
    }
}
