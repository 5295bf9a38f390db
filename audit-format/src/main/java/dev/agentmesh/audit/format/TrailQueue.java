package dev.agentmesh.audit.format;

import java.nio.file.Path;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * How the trail sits in a Chronicle Queue: one queue document per record, whose bytes are exactly the stored
 * record (canonical bytes followed by the 32-byte chain hash). Writer and reader both open queues here.
 */
public final class TrailQueue {

    /**
     * A bound on the longest stored record the format allows: a header, ten bytes of numbers, ten maximal
     * strings, two digests, a hash (no type has all of these; a version 3 decision record has the most strings).
     * A document longer than this is damage, and is refused before a buffer is sized for it.
     */
    public static final int MAX_STORED_LENGTH = TrailFormat.HEADER_LENGTH + 10
            + 10 * (2 + TrailFormat.MAX_STRING_BYTES) + 3 * TrailFormat.HASH_LENGTH;

    private TrailQueue() {
    }

    /**
     * Turns off Chronicle's usage analytics and start-up banner. Call before any Chronicle class initialises;
     * opening a queue here does it first.
     */
    public static void silenceChronicle() {
        System.setProperty("chronicle.analytics.disable", "true");
        System.setProperty("chronicle.announcer.disable", "true");
    }

    /**
     * Opens (creating if needed) a trail for appending, rolling daily.
     *
     * @param dir the audit directory
     * @return the queue
     */
    public static SingleChronicleQueue openForWriting(Path dir) {
        return openForWriting(dir, RollCycles.FAST_DAILY);
    }

    /**
     * Opens (creating if needed) a trail for appending. A new trail rolls to a new cycle file every
     * {@code rollCycle}; an existing trail keeps the roll cycle it was created with (Chronicle reads it from the
     * queue's metadata). The chain runs on across cycle files.
     *
     * @param dir the audit directory
     * @param rollCycle how often a new trail starts a new file
     * @return the queue
     */
    public static SingleChronicleQueue openForWriting(Path dir, RollCycle rollCycle) {
        return openForWriting(dir, rollCycle, SystemTimeProvider.INSTANCE);
    }

    /**
     * {@link #openForWriting(Path, RollCycle)}, with the clock Chronicle picks each append's cycle file by.
     *
     * @param dir the audit directory
     * @param rollCycle how often a new trail starts a new file
     * @param clock the queue's clock
     * @return the queue
     */
    public static SingleChronicleQueue openForWriting(Path dir, RollCycle rollCycle, TimeProvider clock) {
        silenceChronicle();
        return SingleChronicleQueueBuilder.single(dir.toFile()).rollCycle(rollCycle).timeProvider(clock).build();
    }

    /**
     * The roll cycles a trail may use, by the name the agent option takes: {@code five_minutely},
     * {@code ten_minutely}, {@code twenty_minutely}, {@code half_hourly}, {@code hourly}, {@code two_hourly},
     * {@code four_hourly}, {@code six_hourly}, {@code daily} (the default) and {@code weekly}.
     *
     * @param name the name, in any case
     * @return the roll cycle
     * @throws IllegalArgumentException naming the accepted names, if there is no such roll cycle
     */
    public static RollCycle rollCycleNamed(String name) {
        String n = name.trim().toUpperCase(java.util.Locale.ROOT);
        switch (n) {
            case "HOURLY":
            case "DAILY":
                return RollCycles.valueOf("FAST_" + n);
            case "FIVE_MINUTELY":
            case "TEN_MINUTELY":
            case "TWENTY_MINUTELY":
            case "HALF_HOURLY":
            case "TWO_HOURLY":
            case "FOUR_HOURLY":
            case "SIX_HOURLY":
            case "WEEKLY":
                return RollCycles.valueOf(n);
            default:
                throw new IllegalArgumentException("unknown roll cycle '" + name + "'; use five_minutely, "
                        + "ten_minutely, twenty_minutely, half_hourly, hourly, two_hourly, four_hourly, six_hourly, "
                        + "daily or weekly");
        }
    }

    /**
     * Opens an existing trail read-only.
     *
     * @param dir the audit directory
     * @return the queue
     */
    public static SingleChronicleQueue openForReading(Path dir) {
        silenceChronicle();
        return SingleChronicleQueueBuilder.single(dir.toFile()).readOnly(true).build();
    }

    /**
     * Opens an existing trail read-only, waiting at most {@code timeoutMillis} for a header Chronicle expects to
     * find. Chronicle's own default (10 s per wait) suits a live writer; an offline reader of a damaged file should
     * fail fast instead.
     *
     * @param dir the audit directory
     * @param timeoutMillis how long to wait for a missing header
     * @return the queue
     */
    public static SingleChronicleQueue openForReading(Path dir, long timeoutMillis) {
        silenceChronicle();
        return SingleChronicleQueueBuilder.single(dir.toFile()).readOnly(true).timeoutMS(timeoutMillis).build();
    }

    /** Receives stored records, in order. */
    @FunctionalInterface
    public interface StoredRecordVisitor {
        /**
         * @param stored buffer holding the stored record from offset 0; reused for the next record
         * @param length its length
         * @param queueIndex the record's Chronicle index (cycle and position)
         * @return whether to go on
         * @throws Exception to stop reading
         */
        boolean visit(byte[] stored, int length, long queueIndex) throws Exception;
    }

    /**
     * Reads every stored record from the start of the trail, in constant memory.
     *
     * @param queue an open trail
     * @param visitor receives each record
     * @return how many records were read
     * @throws Exception whatever the visitor threw
     */
    public static long readAll(SingleChronicleQueue queue, StoredRecordVisitor visitor) throws Exception {
        StoredRecordReader reader = new StoredRecordReader();
        long n = 0;
        try (ExcerptTailer tailer = queue.createTailer()) {
            while (reader.next(tailer)) {
                n++;
                if (!visitor.visit(reader.bytes(), reader.length(), reader.index())) {
                    return n;
                }
            }
            return n;
        }
    }

    /**
     * Reads the last stored record, so a new writer run can continue the chain.
     *
     * @param queue an open trail
     * @return the last stored record's bytes, or {@code null} if the trail is empty
     */
    public static byte[] readLast(SingleChronicleQueue queue) {
        java.util.List<byte[]> last = readLast(queue, 1);
        return last.isEmpty() ? null : last.get(0);
    }

    /**
     * Reads the last {@code count} stored records, for a writer to check the head of the chain it continues.
     *
     * @param queue an open trail
     * @param count how many
     * @return up to {@code count} stored records, oldest first; fewer if the trail holds fewer, empty if none
     * @throws IllegalStateException if a document is longer than any record can be
     */
    public static java.util.List<byte[]> readLast(SingleChronicleQueue queue, int count) {
        java.util.ArrayDeque<byte[]> out = new java.util.ArrayDeque<>(count);
        try (ExcerptTailer tailer = queue.createTailer().direction(TailerDirection.BACKWARD).toEnd()) {
            while (out.size() < count) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Bytes<?> bytes = dc.wire().bytes();
                    long remaining = bytes.readRemaining();
                    if (remaining > MAX_STORED_LENGTH) {
                        throw new IllegalStateException("a document near the end, of " + remaining
                                + " bytes, is longer than any record can be");
                    }
                    byte[] stored = new byte[(int) remaining];
                    bytes.read(stored);
                    out.addFirst(stored);
                }
            }
        }
        return new java.util.ArrayList<>(out);
    }
}
