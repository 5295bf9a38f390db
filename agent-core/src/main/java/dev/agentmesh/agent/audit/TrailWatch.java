package dev.agentmesh.agent.audit;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks, every {@value #PERIOD_MILLIS} ms on its own daemon thread, whether the trail's files are still there
 * ({@link AuditTrail#checkFiles}). A stat of two paths per period costs nothing a governed call would notice, where
 * checking on every append would.
 */
final class TrailWatch {

    private static final Logger LOG = LoggerFactory.getLogger(TrailWatch.class);

    /** How often the files are looked at: the most time records can go into deleted files unnoticed. */
    static final long PERIOD_MILLIS = 20;

    private final AuditTrail trail;
    private volatile boolean stopped;
    private Thread thread;

    TrailWatch(AuditTrail trail) {
        this.trail = trail;
    }

    /**
     * Starts watching, once.
     *
     * @param contextLoader the loader Chronicle should see when the trail opens again from this thread
     */
    synchronized void start(ClassLoader contextLoader) {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::run, "agentmesh-audit-watch");
        thread.setDaemon(true);
        thread.setContextClassLoader(contextLoader);
        thread.start();
    }

    /** Stops watching. */
    void stop() {
        stopped = true;
    }

    private void run() {
        while (!stopped) {
            try {
                trail.checkFiles();
            } catch (Throwable e) {
                // The next period looks again; a failure to reopen is logged by the trail itself.
                LOG.debug("looking at the trail's files: {}", e.toString());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PERIOD_MILLIS));
        }
    }
}
