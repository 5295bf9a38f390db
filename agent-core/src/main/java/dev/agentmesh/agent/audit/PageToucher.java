package dev.agentmesh.agent.audit;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.MappedBytes;
import net.openhft.chronicle.bytes.MappedBytesStore;
import net.openhft.chronicle.bytes.MappedFile;
import net.openhft.chronicle.core.io.ReferenceOwner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults in the pages of the queue file just ahead of the writer, on its own thread, so the governed call that
 * writes a record does not pay for the page fault. Measured on this project's 2-core VM, first touches of fresh
 * file pages were most of Chronicle's per-record cost (see BENCHMARKS.md). Chronicle Queue's own pretoucher is not
 * in its open-source edition, hence this small one.
 *
 * <p>A page is touched by a compare-and-swap of 0 with 0 on its first int: atomic, so it can never overwrite a
 * header or data the writer puts there at the same moment, yet it counts as a write and maps the page writable.
 */
final class PageToucher {

    private static final Logger LOG = LoggerFactory.getLogger(PageToucher.class);
    private static final long PAGE = 4096;
    /** How far ahead of the writer pages are kept touched. */
    static final long AHEAD = 1L << 20;
    private static final long PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    private final ReferenceOwner owner = ReferenceOwner.temporary("agentmesh-page-toucher");
    private volatile MappedFile file;
    private volatile long writePosition;
    private volatile boolean stopped;

    /**
     * Tells the toucher where the writer is. Called under the trail's lock after each record; two plain-cost stores.
     *
     * @param bytes the appender's bytes after a write
     */
    void wrote(Bytes<?> bytes) {
        if (bytes instanceof MappedBytes) {
            MappedFile f = ((MappedBytes) bytes).mappedFile();
            if (f != file) {
                file = f;
            }
            writePosition = bytes.writePosition();
        }
    }

    /** @return the queue file the writer last wrote to, or {@code null} before its first write */
    java.io.File currentFile() {
        MappedFile f = file;
        return f == null ? null : f.file();
    }

    /** Starts touching on a daemon thread. */
    void start() {
        Thread t = new Thread(this::run, "agentmesh-audit-pages");
        t.setDaemon(true);
        t.start();
    }

    /** Stops the thread. */
    void stop() {
        stopped = true;
    }

    private void run() {
        MappedFile current = null;
        MappedBytesStore store = null;
        long touchedUpTo = 0;
        try {
            while (!stopped) {
                MappedFile f = file;
                long pos = writePosition;
                if (f != current) {
                    store = release(store);
                    current = f;
                    touchedUpTo = 0;
                }
                if (f != null) {
                    long from = Math.max(touchedUpTo, (pos / PAGE + 1) * PAGE);
                    long to = pos + AHEAD;
                    for (long p = from; p < to && !stopped; p += PAGE) {
                        if (store == null || !store.inside(p, 4)) {
                            store = release(store);
                            store = f.acquireByteStore(owner, p);
                        }
                        store.compareAndSwapInt(p, 0, 0);
                    }
                    touchedUpTo = Math.max(touchedUpTo, to);
                }
                LockSupport.parkNanos(PAUSE_NANOS);
            }
        } catch (Throwable e) {
            // Only an optimisation: the writer touches its own pages if this stops.
            LOG.debug("page toucher stopped: {}", e.toString());
        } finally {
            release(store);
        }
    }

    private MappedBytesStore release(MappedBytesStore store) {
        if (store != null) {
            try {
                store.release(owner);
            } catch (RuntimeException e) {
                LOG.debug("could not release a mapping: {}", e.toString());
            }
        }
        return null;
    }
}
