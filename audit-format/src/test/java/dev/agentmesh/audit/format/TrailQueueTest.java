package dev.agentmesh.audit.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stored records in a real Chronicle queue: one document per record, bytes exactly as written. */
class TrailQueueTest {

    @TempDir
    Path dir;

    private static void append(SingleChronicleQueue queue, List<byte[]> stored) {
        try (ExcerptAppender appender = queue.createAppender()) {
            for (byte[] s : stored) {
                // write from a larger, reused buffer, as the agent's writer does
                byte[] buf = Arrays.copyOf(s, s.length + 100);
                try (DocumentContext dc = appender.writingDocument()) {
                    dc.wire().bytes().write(buf, 0, s.length);
                }
            }
        }
    }

    /** Stored records of mixed sizes, one larger than readAll's initial 512-byte buffer. */
    private static List<byte[]> sample() {
        List<byte[]> canonical = new ArrayList<>(Trails.canonicalTrail(5));
        canonical.add(new RecordEncoder().decision(RecordType.CALL_DENIED, 5, Trails.T0, 3, 0,
                Trails.utf8("agent-\u00e9".repeat(200)), Trails.utf8("s"), Trails.utf8("com.acme.Big"),
                Trails.utf8("m"), Trails.utf8("()V"), Trails.filled(1)).toByteArray());
        canonical.add(Trails.allow(6));
        List<byte[]> stored = Trails.store(canonical);
        assertThat(stored.get(5).length).isGreaterThan(1024);
        return stored;
    }

    @Test
    void readAllReturnsEveryRecordInOrderWithTheExactBytes() throws Exception {
        List<byte[]> stored = sample();
        try (SingleChronicleQueue queue = TrailQueue.openForWriting(dir)) {
            append(queue, stored);

            List<byte[]> read = new ArrayList<>();
            List<Long> indexes = new ArrayList<>();
            long n = TrailQueue.readAll(queue, (buf, length, queueIndex) -> {
                read.add(Arrays.copyOf(buf, length));
                indexes.add(queueIndex);
                return true;
            });

            assertThat(n).isEqualTo(stored.size());
            assertThat(read).hasSize(stored.size());
            for (int i = 0; i < stored.size(); i++) {
                assertThat(read.get(i)).as("record %d", i).isEqualTo(stored.get(i));
            }
            assertThat(indexes).doesNotHaveDuplicates().isSorted();
        }
    }

    @Test
    void readLastReturnsTheLastRecord() {
        List<byte[]> stored = sample();
        try (SingleChronicleQueue queue = TrailQueue.openForWriting(dir)) {
            append(queue, stored.subList(0, 3));
            assertThat(TrailQueue.readLast(queue)).isEqualTo(stored.get(2));
            append(queue, stored.subList(3, stored.size()));
            assertThat(TrailQueue.readLast(queue)).isEqualTo(stored.get(stored.size() - 1));
        }
    }

    @Test
    void readLastOfALargeRecordIsComplete() {
        List<byte[]> stored = sample().subList(0, 6); // the large DENY is last
        try (SingleChronicleQueue queue = TrailQueue.openForWriting(dir)) {
            append(queue, stored);
            assertThat(TrailQueue.readLast(queue)).isEqualTo(stored.get(5));
        }
    }

    @Test
    void readLastOnAnEmptyQueueReturnsNull() throws Exception {
        try (SingleChronicleQueue queue = TrailQueue.openForWriting(dir)) {
            assertThat(TrailQueue.readLast(queue)).isNull();
            assertThat(TrailQueue.readAll(queue, (b, l, i) -> {
                throw new AssertionError("no records expected");
            })).isZero();
        }
    }

    @Test
    void aReaderOpenedLaterSeesTheSameTrailAndItVerifies() throws Exception {
        List<byte[]> stored = sample();
        try (SingleChronicleQueue writer = TrailQueue.openForWriting(dir)) {
            append(writer, stored);
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".cq4")).count()).isPositive();
        }

        try (SingleChronicleQueue reader = TrailQueue.openForReading(dir)) {
            ChainVerifier verifier = new ChainVerifier();
            long n = TrailQueue.readAll(reader, (buf, length, queueIndex) -> {
                verifier.accept(buf, length);
                return true;
            });
            assertThat(n).isEqualTo(stored.size());
            assertThat(verifier.count()).isEqualTo(stored.size());
            assertThat(verifier.headHash()).isEqualTo(Trails.head(stored));
            assertThat(TrailQueue.readLast(reader)).isEqualTo(stored.get(stored.size() - 1));
        }
    }

    @Test
    void aNewWriterRunContinuesTheChainFromReadLast() throws Exception {
        List<byte[]> canonical = Trails.canonicalTrail(4);
        List<byte[]> firstRun = Trails.store(canonical);
        try (SingleChronicleQueue queue = TrailQueue.openForWriting(dir)) {
            append(queue, firstRun);
        }
        try (SingleChronicleQueue queue = TrailQueue.openForWriting(dir)) {
            byte[] last = TrailQueue.readLast(queue);
            assertThat(last).isEqualTo(firstRun.get(3));
            byte[] previous = Arrays.copyOfRange(last, last.length - 32, last.length);
            AuditRecord lastRecord = AuditRecord.decode(last, 0, last.length - 32);
            byte[] genesis = Trails.genesis(lastRecord.seq() + 1);
            byte[] hash = new byte[32];
            new ChainHasher().chain(previous, genesis, 0, genesis.length, hash, 0);
            append(queue, List.of(Trails.concat(genesis, hash)));

            ChainVerifier verifier = new ChainVerifier();
            assertThat(TrailQueue.readAll(queue, (b, l, i) -> verifier.accept(b, l) != null)).isEqualTo(5);
            assertThat(verifier.headHash()).isEqualTo(hash);
        }
    }

    @Test
    void readAllStopsWhenTheVisitorSaysSo() throws Exception {
        List<byte[]> stored = sample();
        try (SingleChronicleQueue queue = TrailQueue.openForWriting(dir)) {
            append(queue, stored);
            List<byte[]> seen = new ArrayList<>();
            long n = TrailQueue.readAll(queue, (buf, length, queueIndex) -> {
                seen.add(Arrays.copyOf(buf, length));
                return seen.size() < 2;
            });
            assertThat(n).isEqualTo(2);
            assertThat(seen).hasSize(2);
            assertThat(seen.get(1)).isEqualTo(stored.get(1));
        }
    }

    @Test
    void readAllPassesOnWhatTheVisitorThrows() {
        List<byte[]> stored = Trails.store(Trails.canonicalTrail(3));
        try (SingleChronicleQueue queue = TrailQueue.openForWriting(dir)) {
            append(queue, stored);
            assertThatThrownBy(() -> TrailQueue.readAll(queue, (b, l, i) -> {
                throw new ChainBreak(0, "stop");
            })).isInstanceOf(ChainBreak.class).hasMessage("record 0: stop");
        }
    }

    @Test
    void newTrailsUseTheDocumentedRollCycle() {
        try (SingleChronicleQueue queue = TrailQueue.openForWriting(dir)) {
            assertThat(queue.rollCycle()).isEqualTo(net.openhft.chronicle.queue.RollCycles.FAST_DAILY);
        }
    }

    @Test
    void silenceChronicleSetsTheProperties() {
        TrailQueue.silenceChronicle();
        assertThat(System.getProperty("chronicle.analytics.disable")).isEqualTo("true");
        assertThat(System.getProperty("chronicle.announcer.disable")).isEqualTo("true");
    }
}
