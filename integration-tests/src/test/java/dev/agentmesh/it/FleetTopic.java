package dev.agentmesh.it;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.format.ChainVerifier;
import dev.agentmesh.audit.format.FleetFormat;
import dev.agentmesh.audit.format.TrailFormat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the fleet's audit topic holds, read straight from the broker: each trail's messages, by key. */
final class FleetTopic {

    /** One message of a trail: its kind header and its bytes. */
    record Message(String kind, byte[] value) {
    }

    private FleetTopic() {
    }

    /**
     * @param audit a local audit directory
     * @return its trail's key on the topics: the writer id of its first record, and the start of that record's hash
     */
    static String key(java.nio.file.Path audit) throws Exception {
        Map<String, String> first = Trails.export(audit).get(0);
        return FleetFormat.trailKey(first.get("writerId"), java.util.HexFormat.of().parseHex(first.get("hash")));
    }

    /** @return every message on the topic now, grouped by key (the trail's key), in partition order */
    static Map<String, List<Message>> read(KafkaBroker broker, String topic) {
        Map<String, List<Message>> byKey = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Header kind = r.headers().lastHeader(FleetFormat.KIND);
                    byKey.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new ArrayList<>())
                            .add(new Message(kind == null ? "" : new String(kind.value(), StandardCharsets.UTF_8),
                                    r.value()));
                }
            }
        }
        return byKey;
    }

    /** What to put in a copy in place of a writer's {@code i}-th message. */
    @FunctionalInterface
    interface Edit {
        List<Message> apply(int i, Message m);
    }

    /**
     * Writes {@code messages} to a new topic, each trail to one partition in order, {@code writer}'s messages
     * edited by {@code edit}.
     */
    static void copy(KafkaBroker broker, Map<String, List<Message>> messages, String topic, String writer, Edit edit)
            throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Map.Entry<String, List<Message>> e : messages.entrySet()) {
                byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
                List<Message> trail = e.getValue();
                for (int i = 0; i < trail.size(); i++) {
                    for (Message m : e.getKey().equals(writer) ? edit.apply(i, trail.get(i)) : List.of(trail.get(i))) {
                        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, 0, key, m.value());
                        r.headers().add(FleetFormat.KIND, m.kind().getBytes(StandardCharsets.UTF_8));
                        producer.send(r).get();
                    }
                }
            }
        }
    }

    /** @return {@code m} with one byte of its value changed */
    static Message withByteFlipped(Message m, int at) {
        byte[] changed = m.value().clone();
        changed[at] ^= 0x01;
        return new Message(m.kind(), changed);
    }

    /**
     * @param messages one trail's messages
     * @return its records, each checked against the chain of those before it
     * @throws ChainBreak at the first record that does not follow (a gap, a duplicate, a changed record)
     */
    static List<AuditRecord> verifiedRecords(List<Message> messages) throws ChainBreak {
        ChainVerifier chain = new ChainVerifier();
        List<AuditRecord> records = new ArrayList<>();
        for (Message m : messages) {
            if (m.kind().equals("record")) {
                chain.check(m.value(), m.value().length);
                records.add(AuditRecord.decode(m.value(), 0, m.value().length - TrailFormat.HASH_LENGTH));
            }
        }
        return records;
    }
}
