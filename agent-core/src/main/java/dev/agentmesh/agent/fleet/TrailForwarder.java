package dev.agentmesh.agent.fleet;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.checkpoint.CheckpointConfig;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import dev.agentmesh.audit.format.FleetFormat;
import dev.agentmesh.audit.format.RecordView;
import dev.agentmesh.audit.format.StoredRecordReader;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.TrailQueue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships this JVM's audit trail to the fleet's Kafka topic, on a thread of its own: a governed call never waits for
 * Kafka. The local queue stays the write-ahead source of truth; this thread follows it with a tailer of its own, as
 * the checkpointer does, and sends each record's stored bytes as they are, so the trail's chain (and the tree the
 * checkpoints sign) arrive intact. Each signed checkpoint the checkpointer writes follows, on the checkpoint topic
 * ({@link FleetFormat}).
 *
 * <p>Exactly once, in order: the trail goes to one partition, keyed by its writer id ({@link FleetFormat}); the
 * producer is idempotent and retries a send for as long as the broker is away, while the records wait in the local
 * queue. When it starts, and after any failure, it reads where the trail's stream on the topic ends
 * ({@link ForwardedEnd}) and goes on from the record after it: no gap, no duplicate, across restarts and outages.
 *
 * <p>{@link #lag()} says how many records are written but not yet acknowledged by Kafka; a growing lag is logged.
 */
public final class TrailForwarder {

    private static final Logger LOG = LoggerFactory.getLogger(TrailForwarder.class);
    /** Records sent and not yet acknowledged, at most: the rest wait in the local queue, not in the client's buffer. */
    private static final int WINDOW = 8192;
    private static final long IDLE_NANOS = 2_000_000;
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    private static final Duration FIND_END_TIMEOUT = Duration.ofSeconds(30);
    private static final long LAG_LOG_MILLIS = 30_000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final long CHECKPOINT_LOOK_NANOS = 250_000_000;
    /** How long shutting down waits for Kafka to acknowledge anything more before it gives up. */
    private static final long STALLED_NANOS = 5_000_000_000L;
    /** How long, stopping, the forwarder waits for the checkpointer's last checkpoint. */
    private static final long FINAL_CHECKPOINT_WAIT_NANOS = 3_000_000_000L;

    private final AuditTrail trail;
    private final FleetConfig config;
    /** The seq of the last record Kafka acknowledged, in the trail's files of {@link #shippingGeneration}. */
    private final AtomicLong acknowledged = new AtomicLong(-1);
    /** The trail's files being shipped ({@link AuditTrail#generation()}): seqs start again in new ones. */
    private volatile int shippingGeneration = -1;
    private final AtomicReference<Exception> failed = new AtomicReference<>();
    private volatile long sent = -1;
    private volatile boolean stopping;
    /** Stopping, and Kafka acknowledged nothing for a while: what is pending is left to the next run. */
    private volatile boolean abandoned;
    private volatile boolean caughtUp;
    /** Whether Kafka acknowledged anything in this run, or a pass failed: what tells a stall from a slow start. */
    private volatile boolean everAcknowledged;
    private volatile boolean everFailed;
    private volatile String trailKey = "";
    private Thread thread;
    private long lastLagLog;
    private long nextCheckpointLook;
    /** The checkpoint last sent in this pass, as the file held it. */
    private byte[] lastCheckpoint;
    /** The size of the checkpoint last sent in this pass; -1 before one. */
    private long lastCheckpointSize = -1;
    private final boolean checkpointed;
    /**
     * For each trail this run started and has sent under (by key), where its partition ended before the first send:
     * none of the trail's messages lies below it.
     */
    private final Map<String, Long> floors = new HashMap<>();
    /** Whether the trail's files of {@link #shippingGeneration} were read to their end and all of it acknowledged. */
    private boolean generationDrained;

    /**
     * @param trail the trail to ship
     * @param config where to
     * @param checkpointed whether a checkpointer signs this trail: then, stopping, the forwarder waits a moment for
     *     its last checkpoint, which it signs as the JVM exits, so that the topic ends with a checkpoint of the whole
     *     trail
     */
    public TrailForwarder(AuditTrail trail, FleetConfig config, boolean checkpointed) {
        this.trail = trail;
        this.config = config;
        this.checkpointed = checkpointed;
    }

    /**
     * Starts the thread, and a shutdown hook that gives it a few seconds to ship what is left.
     *
     * @param contextLoader the context class loader Chronicle and Kafka should see
     */
    public synchronized void start(ClassLoader contextLoader) {
        thread = new Thread(this::run, "agentmesh-forwarder");
        thread.setDaemon(true);
        thread.setContextClassLoader(contextLoader);
        thread.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAndWait(Duration.ofSeconds(10)),
                "agentmesh-forwarder-shutdown"));
    }

    /**
     * @return how many records of this trail are written but not yet acknowledged by Kafka
     */
    public long lag() {
        long written = trail.lastSeq();
        return shippingGeneration == trail.generation() ? Math.max(0, written - acknowledged.get()) : written + 1;
    }

    /** @return whether Kafka acknowledged the current trail up to {@code seq} */
    private boolean shipped(long seq) {
        return shippingGeneration == trail.generation() && acknowledged.get() >= seq;
    }

    /** @return the seq of the last record written to the local trail, -1 before any */
    public long writtenSeq() {
        return trail.lastSeq();
    }

    /** @return the trail's key on the topic, or empty before the forwarder read its first record */
    public String trailKey() {
        return trailKey;
    }

    /** @return the seq of the last record Kafka acknowledged, -1 before any */
    public long acknowledgedSeq() {
        return acknowledged.get();
    }

    /**
     * Ships what is written, then stops: waits until every record written so far is acknowledged, or {@code wait}
     * passes.
     *
     * @param wait how long at most
     */
    public void stopAndWait(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        long target = trail.lastSeq();
        long progress = acknowledged.get();
        long stalledSince = System.nanoTime();
        while (!shipped(target) && System.nanoTime() < deadline && thread != null && thread.isAlive()) {
            LockSupport.parkNanos(10_000_000);
            long now = System.nanoTime();
            if (acknowledged.get() != progress) {
                progress = acknowledged.get();
                stalledSince = now;
            } else if (now - stalledSince > STALLED_NANOS && (everAcknowledged || everFailed)) {
                // Only once the brokers answered, or failed, in this run: a first connection may just be slow.
                abandoned = true; // Kafka is away: waiting longer only delays the JVM's exit; the next run ships it
                break;
            }
        }
        stopping = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!shipped(target)) {
            LOG.warn("stopped with {} records not yet in Kafka; they are in the local trail, and the next run ships "
                    + "them", lag());
        }
    }

    private void run() {
        try {
            if (!trail.awaitOpened()) {
                return; // the trail could not open: there is nothing to ship
            }
        } catch (InterruptedException e) {
            return;
        }
        while (!stopping) {
            try {
                forwardGeneration();
            } catch (Exception | LinkageError e) {
                everFailed = true;
                LOG.warn("shipping the audit trail to Kafka ({}) stopped, and starts again: {}", config.bootstrap(),
                        e.toString());
                LockSupport.parkNanos(RETRY_PAUSE.toNanos());
            }
        }
    }

    /**
     * Ships the trail in its current files until they change (deleted and opened anew: then what can still be read
     * of them), this stops, or a failure.
     */
    private void forwardGeneration() throws Exception {
        int generation = trail.generation();
        if (generation != shippingGeneration) {
            if (shippingGeneration >= 0 && !generationDrained) {
                LOG.warn("the audit trail whose files were deleted under this JVM reached Kafka up to record {}; "
                        + "what it held after that went with its files", acknowledged.get());
            }
            generationDrained = false;
            acknowledged.set(-1);
            sent = -1;
            shippingGeneration = generation;
        }
        Path dir = trail.dir();
        failed.set(null);
        lastCheckpoint = null;
        lastCheckpointSize = -1;
        KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(config, "agentmesh-" + trail.writerId());
        try (SingleChronicleQueue queue = TrailQueue.openForReading(dir);
                ExcerptTailer tailer = queue.createTailer()) {
            StoredRecordReader reader = new StoredRecordReader();
            RecordView view = new RecordView();
            byte[] key = null;
            int partition = -1;
            long resumeAfter = -1;
            while (!abandoned && (!stopping || !caughtUp)) {
                Exception e = failed.get();
                if (e != null) {
                    throw e;
                }
                // The trail's files were deleted and it opened anew: what can still be read of them goes first.
                boolean lastPass = trail.generation() != generation;
                int read = 0;
                // Nothing more once a send failed: the next pass goes on from where the topic's stream ends.
                while (sent - acknowledged.get() < WINDOW && failed.get() == null && reader.next(tailer)) {
                    read++;
                    byte[] stored = reader.bytes();
                    int length = reader.length();
                    view.wrap(stored, 0, length - TrailFormat.HASH_LENGTH);
                    long seq = view.seq();
                    if (key == null) {
                        // The trail's first record names the run that started it and the trail: its key for good.
                        String origin = view.toRecord().writerId();
                        key = FleetFormat.trailKey(origin,
                                Arrays.copyOfRange(stored, length - TrailFormat.HASH_LENGTH, length))
                                .getBytes(StandardCharsets.UTF_8);
                        trailKey = new String(key, StandardCharsets.UTF_8);
                        partition = FleetTopics.partition(key, producer.partitionsFor(config.auditTopic()).size());
                        resumeAfter = forwardedEnd(new TopicPartition(config.auditTopic(), partition), key,
                                origin.equals(trail.writerId()));
                        acknowledged.set(resumeAfter);
                        sent = resumeAfter;
                        LOG.info("shipping the audit trail to Kafka topic {} from record {}", config.auditTopic(),
                                resumeAfter + 1);
                    }
                    if (seq <= resumeAfter) {
                        continue; // Kafka has it already
                    }
                    send(producer, partition, key, Arrays.copyOf(stored, length), seq);
                }
                if (lastPass) {
                    // No checkpoint now: the file in the directory is the new trail's, if any.
                    if (read == 0 && acknowledged.get() >= sent) {
                        generationDrained = true;
                        return;
                    }
                    LockSupport.parkNanos(IDLE_NANOS);
                    continue;
                }
                sendCheckpointIfDue(producer, dir, key);
                caughtUp = read == 0 && shipped(trail.lastSeq());
                logLag();
                if (read == 0) {
                    LockSupport.parkNanos(IDLE_NANOS);
                }
            }
            if (!abandoned) {
                // Stopping, with every record acknowledged: the newest checkpoint goes too. The checkpointer signs its
                // last one as the JVM exits, at the same time as this: wait for it, a little.
                long deadline = System.nanoTime() + FINAL_CHECKPOINT_WAIT_NANOS;
                do {
                    nextCheckpointLook = 0;
                    sendCheckpointIfDue(producer, dir, key);
                    if (!checkpointed || lastCheckpointSize > trail.lastSeq()) {
                        break;
                    }
                    LockSupport.parkNanos(20_000_000);
                } while (System.nanoTime() < deadline);
                producer.flush();
            }
        } finally {
            // Bounded: sends pending past it fail, and the next pass starts from where the topic's stream ends.
            producer.close(abandoned ? Duration.ZERO : CLOSE_TIMEOUT);
        }
    }

    /**
     * The seq of the trail's last record on the topic. A trail this run started, under a key it has not sent to
     * before, has none there (its key holds this run's random writer id): no need to read the partition, however
     * long it is. Otherwise the partition is read back from its end, no further than where it ended before this run
     * first sent under the key, if it did.
     */
    private long forwardedEnd(TopicPartition partition, byte[] key, boolean startedByThisRun) {
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(config,
                "agentmesh-" + trail.writerId() + "-resume")) {
            String k = new String(key, StandardCharsets.UTF_8);
            Long floor = floors.get(k);
            if (startedByThisRun && floor == null) {
                floors.put(k, consumer.endOffsets(List.of(partition), FIND_END_TIMEOUT).get(partition));
                return -1;
            }
            return ForwardedEnd.lastSeq(consumer, partition, key, floor == null ? 0 : floor, FIND_END_TIMEOUT);
        }
    }

    private void send(KafkaProducer<byte[], byte[]> producer, int partition, byte[] key, byte[] stored, long seq) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(FleetFormat.KIND, FleetTopics.recordKind());
        sent = seq;
        producer.send(new ProducerRecord<>(config.auditTopic(), partition, null, key, stored, headers),
                (metadata, e) -> {
                    if (e != null) {
                        failed.compareAndSet(null, e);
                    } else {
                        // Callbacks of one partition come in order: the highest acknowledged seq only grows.
                        acknowledged.accumulateAndGet(seq, Math::max);
                        everAcknowledged = true;
                    }
                });
    }

    /**
     * Sends the checkpointer's newest signed checkpoint, once Kafka has every record it covers: a reader must never
     * find a checkpoint on the topic ahead of its records. Looks at the file a few times a second, not on every pass.
     */
    private void sendCheckpointIfDue(KafkaProducer<byte[], byte[]> producer, Path dir, byte[] key) {
        long now = System.nanoTime();
        if (key == null || now < nextCheckpointLook) {
            return;
        }
        nextCheckpointLook = now + CHECKPOINT_LOOK_NANOS;
        byte[] note;
        long size;
        try {
            Path file = dir.resolve(CheckpointConfig.FILE_NAME);
            if (!Files.isRegularFile(file)) {
                return;
            }
            note = Files.readAllBytes(file);
            if (Arrays.equals(note, lastCheckpoint)) {
                return;
            }
            size = SignedCheckpoint.parse(note).checkpoint().size();
        } catch (java.io.IOException | RuntimeException e) {
            return; // being replaced: the next look sends it
        }
        if (acknowledged.get() < size - 1) {
            return; // its records first
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(FleetFormat.KIND, FleetTopics.checkpointKind());
        String topic = FleetFormat.checkpointTopic(config.auditTopic());
        int partition = FleetTopics.partition(key, producer.partitionsFor(topic).size());
        producer.send(new ProducerRecord<>(topic, partition, null, key, note, headers), (metadata, e) -> {
            if (e != null) {
                failed.compareAndSet(null, e);
            }
        });
        lastCheckpoint = note;
        lastCheckpointSize = size;
    }

    private void logLag() {
        long now = System.currentTimeMillis();
        if (now - lastLagLog >= LAG_LOG_MILLIS) {
            long lag = lag();
            if (lag > WINDOW) {
                LOG.warn("{} audit records are not yet in Kafka ({}); they wait in the local trail", lag,
                        config.bootstrap());
            }
            lastLagLog = now;
        }
    }
}
