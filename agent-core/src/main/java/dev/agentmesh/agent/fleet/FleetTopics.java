package dev.agentmesh.agent.fleet;

import dev.agentmesh.audit.format.FleetFormat;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;

/** Where the forwarder puts a trail's messages, as {@link FleetFormat} lays them out. */
final class FleetTopics {

    private static final byte[] RECORD_BYTES = FleetFormat.RECORD.getBytes(StandardCharsets.UTF_8);
    private static final byte[] CHECKPOINT_BYTES = FleetFormat.CHECKPOINT.getBytes(StandardCharsets.UTF_8);

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
    static int partition(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    /** @return the header value saying a message is a record */
    static byte[] recordKind() {
        return RECORD_BYTES.clone();
    }

    /** @return the header value saying a message is a checkpoint */
    static byte[] checkpointKind() {
        return CHECKPOINT_BYTES.clone();
    }

    /**
     * @param kind a message's {@link FleetFormat#KIND} header, or {@code null}
     * @return whether it says the message is a record
     */
    static boolean isRecord(Header kind) {
        return kind != null && kind.value() != null
                && FleetFormat.RECORD.equals(new String(kind.value(), StandardCharsets.UTF_8));
    }
}
