package dev.agentmesh.agent.fleet;

import dev.agentmesh.audit.format.FleetFormat;
import dev.agentmesh.audit.format.RecordView;
import dev.agentmesh.audit.format.TrailFormat;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a trail's stream on the audit topic ends: the seq of the last record of that trail the topic holds. The topic,
 * not a local file, is the truth here: a JVM that stopped after Kafka took a record but before it could note so would
 * otherwise send it again. The partition is read backwards from its end, in windows that double, so a trail that
 * wrote lately is found after reading a few hundred messages however long the topic is.
 */
final class ForwardedEnd {

    private static final int FIRST_WINDOW = 256;

    private ForwardedEnd() {
    }

    /**
     * @param consumer a consumer of no group; it is assigned the trail's partition
     * @param partition the trail's partition
     * @param key the trail's key
     * @param floor an offset below which the partition holds none of the trail's messages (0 if not known)
     * @param timeout how long to wait for the brokers when nothing comes
     * @return the seq of the last record of the trail on the topic, or -1 if it holds none
     * @throws IllegalStateException if nothing comes for {@code timeout}
     */
    static long lastSeq(Consumer<byte[], byte[]> consumer, TopicPartition partition, byte[] key, long floor,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        consumer.assign(List.of(partition));
        long begin = Math.max(floor, consumer.beginningOffsets(List.of(partition), timeout).get(partition));
        long to = consumer.endOffsets(List.of(partition), timeout).get(partition);
        long window = FIRST_WINDOW;
        RecordView view = new RecordView();
        while (to > begin) {
            long from = Math.max(begin, to - window);
            consumer.seek(partition, from);
            long found = -1;
            while (consumer.position(partition) < to) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + partition + " back to where this trail ends: "
                            + "nothing came for " + timeout);
                }
                var polled = consumer.poll(Duration.ofMillis(200));
                if (!polled.isEmpty()) {
                    deadline = System.nanoTime() + timeout.toNanos(); // a long partition is no timeout
                }
                for (ConsumerRecord<byte[], byte[]> r : polled) {
                    if (r.offset() < to && Arrays.equals(r.key(), key)
                            && FleetTopics.isRecord(r.headers().lastHeader(FleetFormat.KIND))
                            && r.value() != null && r.value().length > TrailFormat.HASH_LENGTH) {
                        try {
                            found = view.wrap(r.value(), 0, r.value().length - TrailFormat.HASH_LENGTH).seq();
                        } catch (RuntimeException malformed) {
                            // Not a record this agent wrote: the reader reports it; it ends nothing here.
                        }
                    }
                }
            }
            if (found >= 0) {
                return found;
            }
            to = from;
            window *= 2;
        }
        return -1;
    }
}
