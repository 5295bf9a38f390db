package dev.agentmesh.agent.audit;

import dev.agentmesh.api.AuditUnavailableException;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ChainHasher;
import dev.agentmesh.audit.format.MalformedRecordException;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.Utf8;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.TrailQueue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead, hash-chained trail in a Chronicle Queue.
 *
 * <p>The queue opens on a background thread, because a cold open costs about a second that would otherwise be
 * added to the application's start-up; the first governed call waits for it. A run continues the chain of the
 * trail already in the directory and opens with a GENESIS record.
 *
 * <p>{@link #append} numbers, time-stamps, hashes and writes a record as one step under this object's monitor: the
 * chain is a single sequence, so appends are inherently serial, and holding our own lock (rather than relying on
 * Chronicle's file lock) keeps the chain state's memory visibility plain Java. Chronicle's clock is the record's own
 * stamp while it is written ({@link RecordClock}). Any failure to write throws
 * {@link AuditUnavailableException}, so the caller denies the governed call.
 */
public final class AuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    private volatile Path dir;
    private final GenesisInfo genesis;
    private final long openTimeoutMillis;
    private final RollCycle rollCycle;
    private final CountDownLatch opened = new CountDownLatch(1);
    private volatile boolean ready;
    private volatile Throwable failure;

    // Guarded by this.
    private SingleChronicleQueue queue;
    private ExcerptAppender appender;
    private final ChainHasher hasher = new ChainHasher();
    private final RecordClock clock = new RecordClock();
    private long runGenesisSeq = -1;
    private final byte[] previousHash = TrailFormat.zeroHash();
    private final byte[] hash = new byte[TrailFormat.HASH_LENGTH];
    private PageToucher pages = new PageToucher();
    private long nextSeq;
    private final TrailWatch watch = new TrailWatch(this);
    /** The files were deleted under this JVM; the watch opens the trail again once the directory is back. */
    private volatile boolean filesLost;
    private volatile int generation;
    private WriterLock recoveryLock;
    private String recoveryFailure;

    /**
     * @param dir the audit directory
     * @param genesis what this run's GENESIS record says
     * @param openTimeoutMillis how long a call waits for the queue to open
     */
    public AuditTrail(Path dir, GenesisInfo genesis, long openTimeoutMillis) {
        this(dir, genesis, openTimeoutMillis, RollCycles.FAST_DAILY);
    }

    /**
     * @param dir the audit directory
     * @param genesis what this run's GENESIS record says
     * @param openTimeoutMillis how long a call waits for the queue to open
     * @param rollCycle how often a new trail rolls to a new cycle file
     */
    public AuditTrail(Path dir, GenesisInfo genesis, long openTimeoutMillis, RollCycle rollCycle) {
        this.rollCycle = rollCycle;
        this.dir = dir;
        this.genesis = genesis;
        this.openTimeoutMillis = openTimeoutMillis;
    }

    /**
     * Starts opening the queue on a daemon thread.
     *
     * @param contextLoader the loader Chronicle should see as the thread's context loader
     */
    public void openInBackground(ClassLoader contextLoader) {
        Thread t = new Thread(this::open, "agentmesh-audit-open");
        t.setDaemon(true);
        t.setContextClassLoader(contextLoader);
        t.start();
    }

    /** Opens the queue on the calling thread. */
    public void open() {
        try {
            Files.createDirectories(dir);
            synchronized (this) {
                openLocked(dir);
            }
            ready = true;
            pages.start();
            watch.start(Thread.currentThread().getContextClassLoader());
            LOG.info("audit trail open at {} (writer {})", dir.toAbsolutePath(), genesis.writerId());
        } catch (Throwable e) {
            ready = false;
            failure = e;
            LOG.error("the audit trail cannot be written at {}: {}; every governed call will be denied",
                    dir.toAbsolutePath(), describe(e));
        } finally {
            opened.countDown();
        }
    }

    /**
     * Test mode only: closes this trail and goes on in {@code newDir}, which opens with a GENESIS record and its own
     * chain (or continues the chain already there). Appends made meanwhile wait on this object's monitor.
     *
     * @param newDir the new audit directory
     * @throws AuditUnavailableException if the new trail cannot be opened; governed calls are then denied
     */
    public void switchTo(Path newDir) {
        if (!ready) {
            awaitOpen();
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Chronicle finds its parts through the context loader: the agent's, not the test's.
        thread.setContextClassLoader(AuditTrail.class.getClassLoader());
        try {
            synchronized (this) {
                ready = false;
                pages.stop();
                if (queue != null) {
                    queue.close();
                }
                queue = null;
                appender = null;
                dir = newDir;
                try {
                    Files.createDirectories(newDir);
                    openLocked(newDir);
                } catch (IOException | RuntimeException e) {
                    failure = e;
                    throw new AuditUnavailableException("cannot move the audit trail to " + newDir.toAbsolutePath()
                            + ": " + describe(e), e);
                }
                failure = null;
                pages = new PageToucher();
                pages.start();
                ready = true;
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Opens the queue in {@code d}, continues the chain already there (or starts one) and writes this run's GENESIS.
     * Holds this object's monitor.
     */
    private void openLocked(Path d) {
        java.util.Arrays.fill(previousHash, (byte) 0);
        nextSeq = 0;
        SingleChronicleQueue q = TrailQueue.openForWriting(d, rollCycle, clock);
        queue = q;
        int lastCycle = q.lastCycle();
        if (lastCycle != Integer.MIN_VALUE) {
            // A clock behind the one that wrote the trail must not file records into an earlier cycle file.
            clock.notBefore(q.epoch() + lastCycle * (long) q.rollCycle().lengthInMillis());
        }
        continueChain(TrailQueue.readLast(q, 2));
        appender = q.createAppender();
        // One appender, used only under this object's monitor, from any thread.
        appender.singleThreadedCheckDisabled(true);
        runGenesisSeq = appendLocked(new RecordEncoder().genesis(0, System.currentTimeMillis(),
                genesis.writerIdUtf8(), genesis.policyDigest(), genesis.policySourceUtf8()));
    }

    /** @return the sequence number of the last record written, -1 before the first */
    public synchronized long lastSeq() {
        return nextSeq - 1;
    }

    /**
     * @return the sequence number of the GENESIS record this JVM wrote when it last opened the trail: records
     *         before it were written by earlier runs (or the files were put there), -1 before it opened
     */
    public synchronized long runGenesisSeq() {
        return runGenesisSeq;
    }

    /**
     * Called by {@link TrailWatch} every few milliseconds. Chronicle writes into memory-mapped files, so deleting
     * the audit directory or its current cycle file under a running JVM does not fail a write: the records would go
     * into an unlinked file and be lost while calls were allowed. Once that is seen, governed calls are denied;
     * once the directory is there again, the trail opens in it anew (continuing the chain of any trail put back,
     * else starting one) with a GENESIS record, and calls go on.
     */
    void checkFiles() {
        if (ready) {
            java.io.File current = pages.currentFile();
            if (Files.isDirectory(dir) && (current == null || current.exists())) {
                return;
            }
            synchronized (this) {
                if (!ready) {
                    return;
                }
                ready = false;
                filesLost = true;
                failure = new IllegalStateException("its files were deleted while the JVM ran; governed calls are "
                        + "denied until the directory is back");
                pages.stop();
                closeQuietly();
            }
            LOG.error("the audit trail's files at {} were deleted while the JVM ran: governed calls are denied until"
                    + " the directory is back; records of the last {} ms before this may be lost",
                    dir.toAbsolutePath(), TrailWatch.PERIOD_MILLIS);
        } else if (filesLost && Files.isDirectory(dir)) {
            recover();
        }
    }

    private void recover() {
        try {
            if (recoveryLock == null) {
                recoveryLock = WriterLock.acquire(dir);
            }
        } catch (WriterLock.HeldElsewhereException e) {
            if (!e.heldByThisProcess()) {
                noteRecoveryFailure(e);
                return;
            }
        } catch (IOException | RuntimeException e) {
            noteRecoveryFailure(e);
            return;
        }
        synchronized (this) {
            try {
                openLocked(dir);
            } catch (RuntimeException e) {
                closeQuietly();
                noteRecoveryFailure(e);
                return;
            }
            generation++;
            filesLost = false;
            failure = null;
            recoveryFailure = null;
            pages = new PageToucher();
            pages.start();
            ready = true;
        }
        LOG.warn("the audit trail at {} is back and open again, seq {} onward (writer {})", dir.toAbsolutePath(),
                nextSeq - 1, genesis.writerId());
    }

    /** Logs why the trail cannot open again yet, once per different reason: the watch retries every period. */
    private void noteRecoveryFailure(Exception e) {
        String reason = describe(e);
        if (!reason.equals(recoveryFailure)) {
            recoveryFailure = reason;
            LOG.error("the audit trail cannot open again at {} yet: {}", dir.toAbsolutePath(), reason);
        }
    }

    private void closeQuietly() {
        try {
            if (queue != null) {
                queue.close();
            }
        } catch (RuntimeException e) {
            LOG.debug("closing the queue whose files were deleted: {}", e.toString());
        }
        queue = null;
        appender = null;
    }

    /** @return whether the trail's files were deleted under this JVM and it has not opened again since */
    public boolean filesLost() {
        return filesLost;
    }

    /**
     * @return how many times the trail has opened again after its files were deleted: a reader of the queue (the
     *     checkpointer) follows one generation only
     */
    public int generation() {
        return generation;
    }

    /**
     * Continues the chain of the trail already there, after checking its head: the last record must decode, follow
     * by sequence number from the one before it, and carry the chain hash of that one's hash and its own bytes (or,
     * as a trail's first record, of zeros). A trail that does not is not appended to: its damage is for the audit
     * reader to name, and records added after it would hide where it is.
     */
    private void continueChain(java.util.List<byte[]> tail) {
        if (tail.isEmpty()) {
            return;
        }
        byte[] last = tail.get(tail.size() - 1);
        AuditRecord record = decodeStored(last);
        byte[] before = null;
        if (tail.size() == 2) {
            AuditRecord previous = decodeStored(tail.get(0));
            if (record.seq() != previous.seq() + 1) {
                throw headBroken(record.seq(), "its sequence number does not follow the record before it ("
                        + previous.seq() + ")");
            }
            before = java.util.Arrays.copyOfRange(tail.get(0), tail.get(0).length - TrailFormat.HASH_LENGTH,
                    tail.get(0).length);
        } else if (record.seq() == 0) {
            before = TrailFormat.zeroHash();
        }
        int recordLength = last.length - TrailFormat.HASH_LENGTH;
        if (before != null) {
            byte[] expected = new byte[TrailFormat.HASH_LENGTH];
            hasher.chain(before, last, 0, recordLength, expected, 0);
            if (!java.util.Arrays.equals(expected, 0, expected.length, last, recordLength, last.length)) {
                throw headBroken(record.seq(), "its chain hash does not match its bytes and the record before it");
            }
        }
        nextSeq = record.seq() + 1;
        System.arraycopy(last, recordLength, previousHash, 0, TrailFormat.HASH_LENGTH);
    }

    private AuditRecord decodeStored(byte[] stored) {
        try {
            return AuditRecord.decode(stored, 0, stored.length - TrailFormat.HASH_LENGTH);
        } catch (MalformedRecordException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new IllegalStateException("the trail already in " + dir
                    + " ends with an unreadable record; verify it with the audit reader", e);
        }
    }

    private IllegalStateException headBroken(long seq, String why) {
        return new IllegalStateException("the trail already in " + dir + " does not verify at its head: record "
                + seq + ": " + why + "; verify it with the audit reader, and move it aside to start a new trail");
    }

    /**
     * Steps the clock records are stamped with, as an NTP adjustment steps the system's. Test mode only
     * ({@code Testing.shiftClock}): production has no way to call it.
     *
     * @param millis how far to step it; negative steps it back
     */
    public void shiftClock(long millis) {
        clock.shift(millis);
    }

    /**
     * Numbers, time-stamps, chains and writes the record the encoder holds.
     *
     * @param record an encoder holding one record; its seq and time are overwritten
     * @return the record's sequence number
     * @throws AuditUnavailableException if the record cannot be written
     */
    public long append(RecordEncoder record) {
        if (!ready) {
            awaitOpen();
        }
        synchronized (this) {
            return appendLocked(record);
        }
    }

    /**
     * Appends a CONTROL record: what an operator, or the runtime for one, did.
     *
     * @param event what happened
     * @param subject what it happened to, as {@code agent:<id>}, {@code session:<id>} or {@code all}
     * @param actor who did it (or, for a slash, whose fault it was)
     * @param reason why
     * @param detail what else the event's documentation says it carries
     * @return the record's sequence number
     * @throws AuditUnavailableException if the record cannot be written
     */
    public long control(dev.agentmesh.audit.format.ControlEvent event, String subject, String actor, String reason,
            String detail) {
        return append(CallScratch.get().eventEncoder.control(0, 0, event, Utf8.encode(subject), Utf8.encode(actor),
                Utf8.encode(reason), Utf8.encode(detail)));
    }

    /**
     * {@link #append(RecordEncoder)}, also handing back the record's chain hash: what a session's head is.
     *
     * @param record an encoder holding one record; its seq and time are overwritten
     * @param chainHash receives the record's 32-byte chain hash
     * @return the record's sequence number
     * @throws AuditUnavailableException if the record cannot be written
     */
    public long append(RecordEncoder record, byte[] chainHash) {
        if (!ready) {
            awaitOpen();
        }
        synchronized (this) {
            long seq = appendLocked(record);
            System.arraycopy(previousHash, 0, chainHash, 0, TrailFormat.HASH_LENGTH);
            return seq;
        }
    }

    private long appendLocked(RecordEncoder record) {
        if (appender == null && queue == null && failure != null) {
            // Lost while this append waited for the monitor.
            throw new AuditUnavailableException("the audit trail cannot be written at " + dir.toAbsolutePath()
                    + ": " + describe(failure), failure);
        }
        long seq = nextSeq;
        record.patchSeq(seq);
        record.patchTime(clock.stamp());
        hasher.chain(previousHash, record.buffer(), 0, record.length(), hash, 0);
        try {
            write(record);
        } finally {
            clock.clear();
        }
        System.arraycopy(hash, 0, previousHash, 0, TrailFormat.HASH_LENGTH);
        nextSeq = seq + 1;
        return seq;
    }

    private void write(RecordEncoder record) {
        DocumentContext dc = null;
        try {
            dc = appender.writingDocument();
            Bytes<?> bytes = dc.wire().bytes();
            bytes.write(record.buffer(), 0, record.length());
            bytes.write(hash, 0, TrailFormat.HASH_LENGTH);
            dc.close();
            pages.wrote(bytes);
        } catch (Throwable e) {
            if (dc != null) {
                try {
                    dc.rollbackOnClose();
                    dc.close();
                } catch (Throwable suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new AuditUnavailableException("cannot write to the audit trail at " + dir.toAbsolutePath()
                    + ": " + describe(e), e);
        }
    }

    private void awaitOpen() {
        try {
            if (!opened.await(openTimeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new AuditUnavailableException("the audit trail at " + dir.toAbsolutePath()
                        + " did not open within " + openTimeoutMillis + " ms", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailableException("interrupted while waiting for the audit trail to open", e);
        }
        Throwable f = failure;
        if (f != null) {
            throw new AuditUnavailableException("the audit trail cannot be written at " + dir.toAbsolutePath()
                    + ": " + describe(f), f);
        }
    }

    /**
     * Waits until the queue has opened, successfully or not.
     *
     * @return whether it is open for appends
     * @throws InterruptedException if interrupted
     */
    public boolean awaitOpened() throws InterruptedException {
        opened.await();
        return ready;
    }

    /**
     * Waits, at most {@code timeoutMillis}, until the queue has opened, successfully or not.
     *
     * @param timeoutMillis how long to wait at most
     * @throws InterruptedException if interrupted
     */
    public void awaitOpened(long timeoutMillis) throws InterruptedException {
        opened.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** @return the id of this writer run, as its GENESIS record names it */
    public String writerId() {
        return genesis.writerId();
    }

    /** @return the directory the trail is in */
    public Path dir() {
        return dir;
    }

    /** Closes the queue; later appends are denied. */
    public synchronized void close() {
        ready = false;
        filesLost = false;
        watch.stop();
        pages.stop();
        failure = new IllegalStateException("the audit trail is closed");
        if (queue != null) {
            queue.close();
        }
    }

    /** The failure and its root cause, on one line: the outer message often says what to do. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = oneLine(root);
        return root == e ? text : oneLine(e) + " (cause: " + text + ")";
    }

    private static String oneLine(Throwable t) {
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg.replace('\n', ' '));
    }
}
