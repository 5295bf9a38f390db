package dev.agentmesh.agent.fleet;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.killswitch.KillSwitch;
import dev.agentmesh.agent.liability.Quarantines;
import dev.agentmesh.api.KillTarget;
import dev.agentmesh.audit.checkpoint.CheckpointVerifierKey;
import dev.agentmesh.audit.format.ControlEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes operators' signed commands ({@link FleetCommand}) from the fleet's control topic and applies them in this JVM,
 * through the same kill switch and quarantines as the API and JMX, each recorded on this JVM's own trail ({@code via
 * kafka}). It reads the topic from its start, so a JVM that starts later applies the fleet's kills too, and polls
 * every {@value #POLL_MILLIS} ms, so a command takes effect within about that much of reaching the topic.
 *
 * <p>A starting JVM's application waits, a bounded time ({@link FleetConfig#controlWaitSeconds()}), for the commands
 * already on the topic to be applied ({@link #awaitReplayed}): past it, with Kafka out of reach, the application runs
 * and the commands apply when they come.
 *
 * <p>A command is refused, and the refusal recorded ({@code COMMAND_REFUSED}), if it is not signed by the operators'
 * key, if its id was seen before (a replay), or if a command for the same target issued later was applied already
 * (an old command put back on the topic). A quarantine runs from when it was issued, so reading an old one again
 * never lengthens it.
 */
public final class FleetControl {

    private static final Logger LOG = LoggerFactory.getLogger(FleetControl.class);
    static final int POLL_MILLIS = 100;
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    /** A first connection to the brokers can take more than a second on a busy machine. */
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
    /** How often the control topic's partitions are listed again, to follow partitions added to it. */
    private static final Duration LIST_EVERY = Duration.ofSeconds(30);

    private final FleetConfig config;
    private final CheckpointVerifierKey operatorKey;
    private final KillSwitch killSwitch;
    private final Quarantines quarantines;
    private final AuditTrail trail;
    private final Set<String> seen = new HashSet<>();
    private final Map<String, Long> lastIssued = new HashMap<>();
    /** Per partition, the offset of the next message to handle. */
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final CountDownLatch replayed = new CountDownLatch(1);
    private volatile boolean stopping;

    /**
     * @param config the fleet section
     * @param operatorKey the key every command must be signed with
     * @param killSwitch this JVM's kill switch
     * @param quarantines this JVM's quarantines
     * @param trail where refusals are recorded
     */
    public FleetControl(FleetConfig config, CheckpointVerifierKey operatorKey, KillSwitch killSwitch,
            Quarantines quarantines, AuditTrail trail) {
        this.config = config;
        this.operatorKey = operatorKey;
        this.killSwitch = killSwitch;
        this.quarantines = quarantines;
        this.trail = trail;
    }

    /** @param contextLoader the context class loader Kafka should see */
    public void start(ClassLoader contextLoader) {
        Thread t = new Thread(this::run, "agentmesh-fleet-control");
        t.setDaemon(true);
        t.setContextClassLoader(contextLoader);
        t.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopping = true, "agentmesh-fleet-control-stop"));
    }

    private void run() {
        while (!stopping) {
            try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(config,
                    "agentmesh-control-" + trail.writerId())) {
                follow(consumer);
            } catch (Exception | LinkageError e) {
                LOG.warn("reading operators' commands from Kafka topic {} stopped, and starts again: {}",
                        config.controlTopic(), e.toString());
                LockSupport.parkNanos(RETRY_PAUSE.toNanos());
            }
        }
    }

    /**
     * Waits until every command on the control topic when this JVM started is applied (or refused), or {@code wait}
     * passes: a JVM that starts where the fleet killed an agent must not run it first.
     *
     * @param wait how long at most
     * @return whether it has read them all
     */
    public boolean awaitReplayed(Duration wait) throws InterruptedException {
        return replayed.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return whether every command on the control topic at start-up was applied or refused */
    public boolean replayed() {
        return replayed.getCount() == 0;
    }

    private void follow(KafkaConsumer<byte[], byte[]> consumer) {
        List<TopicPartition> partitions = partitions(consumer);
        while (partitions.isEmpty() && !stopping) {
            replayed.countDown(); // no command was ever sent: there is nothing to read first
            LockSupport.parkNanos(RETRY_PAUSE.toNanos());
            partitions = partitions(consumer);
        }
        consumer.assign(partitions);
        for (TopicPartition tp : partitions) {
            // After a failure, from the message after the last one handled: none is handled twice.
            Long from = next.get(tp);
            if (from == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, from);
            }
        }
        Map<TopicPartition, Long> endAtStart = replayed.getCount() == 0 ? Map.of()
                : consumer.endOffsets(partitions, METADATA_TIMEOUT);
        long nextListing = System.nanoTime() + LIST_EVERY.toNanos();
        while (!stopping) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(POLL_MILLIS))) {
                handle(r.value(), r.topic() + "/" + r.partition() + "@" + r.offset());
                next.put(new TopicPartition(r.topic(), r.partition()), r.offset() + 1);
            }
            if (replayed.getCount() > 0 && endAtStart.entrySet().stream()
                    .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                replayed.countDown();
            }
            if (System.nanoTime() > nextListing) {
                nextListing = System.nanoTime() + LIST_EVERY.toNanos();
                if (partitions(consumer).size() > partitions.size()) {
                    return; // the topic grew: assigned again, the new partitions from their start
                }
            }
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer) {
        List<TopicPartition> partitions = new ArrayList<>();
        List<PartitionInfo> infos = consumer.partitionsFor(config.controlTopic(), METADATA_TIMEOUT);
        if (infos != null) {
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(config.controlTopic(), info.partition()));
            }
        }
        return partitions;
    }

    /**
     * Applies one message of the control topic, or refuses it and records why.
     *
     * @param note the message
     * @param where its place on the topic, for the record
     */
    void handle(byte[] note, String where) {
        FleetCommand c;
        try {
            c = FleetCommand.verified(note == null ? new byte[0] : note, operatorKey);
        } catch (IllegalArgumentException e) {
            refuse(where, "-", "unsigned or forged: " + e.getMessage());
            return;
        }
        if (!seen.add(c.id())) {
            refuse(where, c.operator(), "replayed: command " + c.id() + " was read before");
            return;
        }
        Long later = lastIssued.get(c.target());
        if (later != null && c.issuedMillis() <= later) {
            refuse(where, c.operator(), "stale: command " + c.id() + " for " + c.target() + " was issued before one "
                    + "already applied");
            return;
        }
        lastIssued.put(c.target(), c.issuedMillis());
        try {
            apply(c);
        } catch (RuntimeException e) {
            refuse(where, c.operator(), "could not be applied: " + e.getMessage());
        }
    }

    private void apply(FleetCommand c) {
        String reason = c.reason() + " (fleet command " + c.id() + ")";
        switch (c.action()) {
            case KILL -> killSwitch.kill(KillTarget.parse(c.target()), reason, c.operator(), "kafka");
            case REVIVE -> killSwitch.revive(KillTarget.parse(c.target()), reason, c.operator(), "kafka");
            case QUARANTINE -> {
                // From its issue time, and never longer than asked: an issue time ahead of this clock (an operator's
                // clock ahead, or moved past a command from one) must not stretch it.
                Duration left = Duration.ofMillis(Math.min(c.duration().toMillis(),
                        c.issuedMillis() + c.duration().toMillis() - System.currentTimeMillis()));
                if (left.isNegative() || left.isZero()) {
                    return; // over already: reading it again must not start it again
                }
                quarantines.quarantine(KillTarget.parse(c.target()).id(), left, c.mode(), reason, c.operator(),
                        "kafka");
            }
            case RELEASE -> quarantines.release(KillTarget.parse(c.target()).id(), reason, c.operator(), "kafka");
        }
    }

    private void refuse(String where, String operator, String why) {
        LOG.warn("refused the fleet command at {}: {}", where, why);
        try {
            trail.control(ControlEvent.COMMAND_REFUSED, "fleet command at " + where, operator, why, "via kafka");
        } catch (RuntimeException e) {
            LOG.error("could not record the refusal of the fleet command at {}: {}", where, e.toString());
        }
    }
}
