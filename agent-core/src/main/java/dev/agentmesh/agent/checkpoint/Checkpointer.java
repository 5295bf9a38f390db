package dev.agentmesh.agent.checkpoint;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.audit.checkpoint.Checkpoint;
import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.format.ChainVerifier;
import dev.agentmesh.audit.format.StoredRecordReader;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.TrailQueue;
import dev.agentmesh.audit.merkle.MerkleAccumulator;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the RFC 6962 Merkle tree of the trail and writes signed checkpoints of it, on its own thread, so no
 * governed call pays for a leaf hash or a signature.
 *
 * <p>It reads the trail back as it is written: each record's leaf is {@code SHA-256(0x00 || canonical bytes)}
 * (the stored record without its chain hash). Every {@code everyRecords} records, every {@code intervalMillis}
 * while records arrive, and at JVM shutdown, it signs (size, root, time) with the configured Ed25519 key and
 * writes the signed note to {@value CheckpointConfig#FILE_NAME} in the audit directory and to the anchor file,
 * each replaced atomically. On start it replays the whole trail once to rebuild the tree, checking the chain of
 * every record earlier runs wrote: the agent verified only the trail's head before appending, and a signature over
 * a record damaged further back would vouch for it. A break stops the checkpoints, with an error naming the record;
 * the audit reader finds the same break.
 *
 * <p>It signs at most once per {@link #MIN_GAP_MILLIS} ms, however small {@code everyRecords} is: a signature and
 * two file replacements cost about a millisecond, so a writer doing a million records a second with a checkpoint
 * every thousand would otherwise keep this thread signing on a core the application needs, and fall behind. Under
 * such a load a checkpoint covers more than {@code everyRecords} records; the shutdown checkpoint always covers
 * every record this thread has read.
 */
public final class Checkpointer {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    /** The least time between two checkpoints, except the one at shutdown. */
    static final long MIN_GAP_MILLIS = 100;

    private final AuditTrail trail;
    private final Path dir;
    private final CheckpointConfig config;
    private final CheckpointSigner signer;
    private final MerkleAccumulator tree = new MerkleAccumulator();
    private volatile boolean stopping;
    private Thread thread;
    private String origin;
    private long checkpointedSize = -1;
    private long lastCheckpointMillis = System.currentTimeMillis();
    /** The trail's generation this thread follows: its files, and so its tree. */
    private int generation;
    /** Checks the records earlier runs wrote, up to this run's GENESIS; {@code null} after it. */
    private ChainVerifier replayed = new ChainVerifier();
    private long runGenesisSeq;

    /**
     * @param trail the trail to checkpoint; its checkpoints go in its directory
     * @param config when and where
     * @param signer the signing key
     */
    public Checkpointer(AuditTrail trail, CheckpointConfig config, CheckpointSigner signer) {
        this.trail = trail;
        this.dir = trail.dir();
        this.config = config;
        this.signer = signer;
    }

    /**
     * Starts the thread, and a shutdown hook that writes a last checkpoint covering every record written.
     *
     * @param contextLoader the context class loader Chronicle should see
     */
    public synchronized void start(ClassLoader contextLoader) {
        thread = new Thread(this::run, "agentmesh-checkpoints");
        thread.setDaemon(true);
        thread.setContextClassLoader(contextLoader);
        thread.start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAndWait, "agentmesh-checkpoints-shutdown"));
    }

    /** Asks for a last checkpoint of everything written so far and waits for it (at most 5 s). */
    public void stopAndWait() {
        stopping = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            if (!trail.awaitOpened()) {
                return; // the trail could not open; every governed call is denied, and there is nothing to sign
            }
        } catch (InterruptedException e) {
            return;
        }
        generation = trail.generation();
        runGenesisSeq = trail.runGenesisSeq();
        try (SingleChronicleQueue queue = TrailQueue.openForReading(dir);
                ExcerptTailer tailer = queue.createTailer()) {
            StoredRecordReader reader = new StoredRecordReader();
            while (true) {
                boolean last = stopping;
                int read = 0;
                while (reader.next(tailer)) {
                    add(reader.bytes(), reader.length());
                    read++;
                    if (dueByCount() && System.currentTimeMillis() - lastCheckpointMillis >= MIN_GAP_MILLIS) {
                        checkpoint();
                    }
                }
                long sinceLast = System.currentTimeMillis() - lastCheckpointMillis;
                if (tree.size() > Math.max(checkpointedSize, 0) && (last || sinceLast >= config.intervalMillis()
                        || (dueByCount() && sinceLast >= MIN_GAP_MILLIS))) {
                    checkpoint();
                }
                if (last) {
                    return;
                }
                if (read == 0) {
                    LockSupport.parkNanos(IDLE_NANOS);
                }
            }
        } catch (Throwable e) {
            LOG.error("checkpoints stopped: {}", e.toString());
        }
    }

    private boolean dueByCount() {
        return tree.size() - Math.max(checkpointedSize, 0) >= config.everyRecords();
    }

    private void add(byte[] stored, int length) {
        if (replayed != null) {
            checkReplayed(stored, length);
        }
        int recordLength = length - TrailFormat.HASH_LENGTH;
        if (origin == null) {
            // The trail's origin is its first writer: stable for the life of the trail.
            String writer = AuditRecord.decode(stored, 0, recordLength).writerId();
            origin = Checkpoint.trailOrigin(writer.isEmpty() ? "unknown" : writer);
        }
        tree.appendData(stored, 0, recordLength);
    }

    private void checkReplayed(byte[] stored, int length) {
        try {
            if (replayed.check(stored, length).seq() >= runGenesisSeq) {
                replayed = null; // from here on, this JVM's own records, chained as it wrote them
            }
        } catch (ChainBreak e) {
            throw new IllegalStateException("the trail in " + dir.toAbsolutePath() + " does not verify at "
                    + e.getMessage() + "; no checkpoint is signed over it (the audit reader shows the break)");
        }
    }

    private void checkpoint() {
        if (trail.filesLost() || trail.generation() != generation || !Files.isDirectory(dir)) {
            // Its tree is of files that are gone: signing it into the directory would vouch for records that are not
            // there. The next run replays the trail it finds and signs again.
            throw new IllegalStateException("the trail's files were deleted under this JVM; its checkpoints stop"
                    + " until the JVM starts again");
        }
        long now = System.currentTimeMillis();
        SignedCheckpoint signed = SignedCheckpoint.sign(Checkpoint.of(origin, tree.size(), tree.root(), now), signer);
        byte[] text = signed.toBytes();
        try {
            // Never into a directory this thread would have to create: the trail's own may just have been deleted.
            replace(dir.resolve(CheckpointConfig.FILE_NAME), text, false);
            if (config.anchor() != null) {
                replace(config.anchor(), text, true);
            }
            checkpointedSize = tree.size();
            lastCheckpointMillis = now;
            LOG.debug("checkpoint at {} records", tree.size());
        } catch (IOException e) {
            LOG.error("could not write the checkpoint at {} records: {}", tree.size(), e.toString());
        }
    }

    /** Written beside, then moved over, so a reader never sees half a checkpoint. */
    private static void replace(Path file, byte[] text, boolean createParent) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (createParent) {
            Files.createDirectories(parent);
        }
        Path tmp = Files.createTempFile(parent, ".checkpoint", ".tmp");
        try {
            Files.write(tmp, text);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** @return how many records the tree holds (for tests) */
    long treeSize() {
        return tree.size();
    }
}
