package dev.agentmesh.agent.fleet;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;

/**
 * How a trail travels on the audit topic. Each message is keyed by the trail's writer id (the id of the JVM run that
 * started the trail, in UTF-8), so one trail stays in one partition, in order. A message is one of:
 * <ul>
 *   <li>a record ({@code agentmesh-kind: record}): its stored bytes exactly as in the local queue, the canonical
 *       record followed by its 32-byte chain hash;</li>
 *   <li>a signed checkpoint ({@code agentmesh-kind: checkpoint}): the note as the checkpointer wrote it.</li>
 * </ul>
 */
public final class FleetTopics {

    /** The header naming what a message holds. */
    public static final String KIND = "agentmesh-kind";
    /** {@link #KIND} of a record. */
    public static final String RECORD = "record";
    /** {@link #KIND} of a signed checkpoint. */
    public static final String CHECKPOINT = "checkpoint";

    private static final byte[] RECORD_BYTES = RECORD.getBytes(StandardCharsets.UTF_8);
    private static final byte[] CHECKPOINT_BYTES = CHECKPOINT.getBytes(StandardCharsets.UTF_8);

    private FleetTopics() {
    }

    /**
     * The partition a trail goes to, chosen here rather than by the producer's partitioner, so that the forwarder
     * looking for where its trail ends reads the partition it writes to by construction. Kafka's own rule for keys:
     * changing the topic's partition count moves trails, as it moves any keyed stream.
     *
     * @param key the trail's key
     * @param partitions the topic's partition count
     * @return the partition
     */
    public static int partition(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    /** @return the header saying a message is a record */
    static byte[] recordKind() {
        return RECORD_BYTES.clone();
    }

    /** @return the header saying a message is a checkpoint */
    static byte[] checkpointKind() {
        return CHECKPOINT_BYTES.clone();
    }

    /**
     * @param kind the message's {@link #KIND} header, or {@code null}
     * @return what it says: {@link #RECORD} (also when there is no header), {@link #CHECKPOINT}, or the text
     */
    public static String kind(Header kind) {
        return kind == null ? RECORD : new String(kind.value(), StandardCharsets.UTF_8);
    }
}
