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
    private final byte[] previousHash = TrailFormat.zeroHash();
    private final byte[] hash = new byte[TrailFormat.HASH_LENGTH];
    private PageToucher pages = new PageToucher();
    private long nextSeq;

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
            RecordEncoder genesisRecord = new RecordEncoder().genesis(0, System.currentTimeMillis(),
                    genesis.writerIdUtf8(), genesis.policyDigest(), genesis.policySourceUtf8());
            Files.createDirectories(dir);
            SingleChronicleQueue q = TrailQueue.openForWriting(dir, rollCycle, clock);
            synchronized (this) {
                queue = q;
                continueChain(TrailQueue.readLast(q));
                appender = q.createAppender();
                // One appender, used only under this object's monitor, from any thread.
                appender.singleThreadedCheckDisabled(true);
                appendLocked(genesisRecord);
            }
            ready = true;
            pages.start();
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
                java.util.Arrays.fill(previousHash, (byte) 0);
                nextSeq = 0;
                dir = newDir;
                try {
                    Files.createDirectories(newDir);
                    SingleChronicleQueue q = TrailQueue.openForWriting(newDir, rollCycle, clock);
                    queue = q;
                    continueChain(TrailQueue.readLast(q));
                    appender = q.createAppender();
                    appender.singleThreadedCheckDisabled(true);
                    appendLocked(new RecordEncoder().genesis(0, System.currentTimeMillis(), genesis.writerIdUtf8(),
                            genesis.policyDigest(), genesis.policySourceUtf8()));
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

    private void continueChain(byte[] last) {
        if (last == null) {
            return;
        }
        int recordLength = last.length - TrailFormat.HASH_LENGTH;
        try {
            AuditRecord record = AuditRecord.decode(last, 0, recordLength);
            nextSeq = record.seq() + 1;
        } catch (MalformedRecordException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new IllegalStateException("the trail already in " + dir
                    + " ends with an unreadable record; verify it with the audit reader", e);
        }
        System.arraycopy(last, recordLength, previousHash, 0, TrailFormat.HASH_LENGTH);
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
