package dev.agentmesh.reader;

import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.format.ChainVerifier;
import dev.agentmesh.audit.format.RecordView;
import dev.agentmesh.audit.format.TrailQueue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Follows a trail as it is written: verifies it from its first record, hands on each record once it verifies, and
 * at the end polls for more every {@link #POLL_MILLIS} ms (sleeping in between, never spinning) until
 * {@link #stop()}, an idle limit, or a break.
 *
 * <p>The checks are those of {@link Trail#verify}: the chain, and Chronicle damage reported as a break at the
 * record it hit. One more applies while waiting: if the queue's own index holds records the tailer cannot reach
 * for several polls in a row (a damaged document header makes Chronicle stop quietly), that is a break too. A
 * writer completes a record in microseconds, so a record still being written never lasts that long.
 */
final class TrailFollower {

    /** How long to sleep at the end of the trail before looking again. */
    static final long POLL_MILLIS = 100;

    /** How many polls in a row the queue may index records the tailer cannot read before that is damage. */
    private static final int STUCK_POLLS = 5;

    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Makes {@link #follow} return after the record in hand; safe from any thread, including a shutdown hook. */
    void stop() {
        stopped.countDown();
    }

    boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /**
     * Reads and verifies from the first record, then follows.
     *
     * @param dir the audit directory
     * @param sink receives each verified record
     * @param atEnd runs each time the reader catches up with the writer, before it sleeps (to flush output)
     * @param idleExitMillis return once no record has come for this long; 0 to wait until stopped
     * @return how many records verified
     * @throws ChainBreak at the first record that fails verification or cannot be read
     * @throws IOException if {@code atEnd} fails
     * @throws NotATrailException if {@code dir} holds no trail
     */
    long follow(Path dir, Trail.Sink sink, AtEnd atEnd, long idleExitMillis) throws ChainBreak, IOException {
        Trail.requireQueueFiles(dir);
        ChainVerifier verifier = new ChainVerifier();
        try (SingleChronicleQueue queue = Trail.open(dir)) {
            // As in Trail: taken before reading, so a live writer's appends cannot look like missing records.
            long indexedAtStart = Trail.lastIndexed(queue);
            boolean caughtUp = false;
            long lastRead = -1;
            long lastProgress = System.nanoTime();
            int stuck = 0;
            byte[] buf = new byte[512];
            VerifiedRecord verified = new VerifiedRecord();
            try (ExcerptTailer tailer = queue.createTailer()) {
                while (!isStopped()) {
                    int length = -1;
                    long index = -1;
                    try (DocumentContext dc = tailer.readingDocument()) {
                        if (dc.isPresent()) {
                            Bytes<?> bytes = dc.wire().bytes();
                            long remaining = bytes.readRemaining();
                            if (remaining > TrailQueue.MAX_STORED_LENGTH) {
                                throw new IllegalStateException("a document of " + remaining
                                        + " bytes is longer than any record can be");
                            }
                            length = (int) remaining;
                            if (length > buf.length) {
                                buf = new byte[Math.max(length, buf.length * 2)];
                            }
                            bytes.read(buf, 0, length);
                            index = dc.index();
                        }
                    } catch (RuntimeException | InternalError | AssertionError e) {
                        // As in Trail: Chronicle failing to read the next document is damage at that record.
                        ChainBreak unreadable = new ChainBreak(verifier.count(), "unreadable: " + e);
                        unreadable.initCause(e);
                        throw unreadable;
                    }
                    if (length >= 0) {
                        RecordView record = verifier.check(buf, length);
                        lastRead = index;
                        lastProgress = System.nanoTime();
                        stuck = 0;
                        sink.accept(verified.set(record, buf, length));
                        continue;
                    }
                    atEnd.caughtUp();
                    if (!caughtUp) {
                        caughtUp = true;
                        if (lastRead < indexedAtStart) {
                            throw stopsShort(verifier, indexedAtStart);
                        }
                    } else {
                        long indexed = Trail.lastIndexed(queue);
                        stuck = indexed != Long.MAX_VALUE && indexed > lastRead ? stuck + 1 : 0;
                        if (stuck >= STUCK_POLLS) {
                            throw stopsShort(verifier, indexed);
                        }
                    }
                    if (idleExitMillis > 0
                            && System.nanoTime() - lastProgress >= TimeUnit.MILLISECONDS.toNanos(idleExitMillis)) {
                        break;
                    }
                    if (sleep()) {
                        break;
                    }
                }
            }
        }
        if (verifier.count() == 0) {
            // As verify says it: cycle files with no complete record are not a trail that verifies.
            throw new ChainBreak(0, "unreadable: the queue files hold no complete record");
        }
        return verifier.count();
    }

    /** Runs each time the follower has read all there is for now. */
    @FunctionalInterface
    interface AtEnd {
        void caughtUp() throws IOException;
    }

    /** @return whether to stop: stopped, or interrupted */
    private boolean sleep() {
        try {
            return stopped.await(POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static ChainBreak stopsShort(ChainVerifier verifier, long indexed) {
        return new ChainBreak(verifier.count(), "unreadable: reading stops here, but the queue holds more"
                + (indexed == Long.MAX_VALUE ? "" : " (up to queue index " + Long.toHexString(indexed) + ")"));
    }
}
