package dev.agentmesh.reader;

import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.format.ChainVerifier;
import dev.agentmesh.audit.format.FleetFormat;
import dev.agentmesh.audit.format.MalformedRecordException;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.RecordView;
import dev.agentmesh.audit.format.TrailFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Trails that agents in fleet mode shipped to a Kafka topic ({@link FleetFormat}): every writer's stream, each record
 * verified against its own writer's chain before anything sees it. The topic is read from the start of each
 * partition to the end it had when the read began, so records arriving meanwhile wait for the next read. Memory grows
 * with the number of writers, not records.
 */
final class TopicTrails {

    private static final Duration POLL = Duration.ofMillis(200);

    /** Receives each verified record, in its writer's order. */
    @FunctionalInterface
    interface Sink {
        /**
         * @param writer the writer id
         * @param record the verified record; reused, valid only during the call
         */
        void accept(String writer, VerifiedRecord record);
    }

    /** One writer's stream as read so far. */
    static final class Writer {
        final String id;
        final ChainVerifier chain = new ChainVerifier();
        final TreeWitness tree;
        long denials;
        /** The time of the last record, for clock notices. */
        final ClockSteps clock = new ClockSteps();

        Writer(String id, TreeWitness tree) {
            this.id = id;
            this.tree = tree;
        }
    }

    /**
     * A fleet's audit topic and its checkpoint topic, as this class reads them: through the Kafka client
     * ({@link Source}), or, in tests, from memory. Verification sees only the messages, so both are verified alike.
     */
    interface Topic {

        /** @return the audit topic's name, for messages and headings */
        String topic();

        /** @return where it is (the brokers), for messages and headings */
        String bootstrap();

        /**
         * Reads every message of the audit topic, from the start of each partition to the end it has now.
         *
         * @param messages receives each message, in its partition's order
         * @throws Verdict {@code UNREADABLE} if the topic is missing or cannot be read, or what {@code messages}
         *     throws
         */
        void readRecords(Messages messages) throws Verdict;

        /**
         * Reads every message of the checkpoint topic, as {@link #readRecords}; nothing if there is none.
         *
         * @param messages receives each message, in its partition's order
         * @throws Verdict {@code UNREADABLE} if the topic cannot be read, or what {@code messages} throws
         */
        void readCheckpoints(Messages messages) throws Verdict;
    }

    /** Where the topic is and how to reach it: a {@link Topic} read through the Kafka client. */
    record Source(String bootstrap, String topic, Map<String, String> clientProperties, Duration timeout)
            implements Topic {

        @Override
        public void readRecords(Messages messages) throws Verdict {
            read(this, topic, false, messages);
        }

        @Override
        public void readCheckpoints(Messages messages) throws Verdict {
            read(this, FleetFormat.checkpointTopic(topic), true, messages);
        }
    }

    private TopicTrails() {
    }

    /**
     * @param topic the topic
     * @return each writer's newest signed checkpoint note on the checkpoint topic, by writer id; empty if there is
     *     no checkpoint topic
     */
    static Map<String, byte[]> newestCheckpoints(Topic topic) throws Verdict {
        Map<String, byte[]> newest = new LinkedHashMap<>();
        topic.readCheckpoints((key, kind, value) -> {
            if (FleetFormat.CHECKPOINT.equals(kind) && value != null) {
                newest.put(key, value); // partition order: the last one read is the newest
            }
        });
        return newest;
    }

    /**
     * Verifies every writer's stream on the topic.
     *
     * @param topic the topic
     * @param trees a writer's tree witness, for the sizes its checkpoints need (or {@code null} for none)
     * @param sink receives each verified record
     * @return every writer's verified stream, in the order their first messages were read
     * @throws Verdict {@code TAMPERED} naming the writer and the record at the first gap, duplicate, changed,
     *     foreign or unreadable message; {@code UNREADABLE} if the topic cannot be read
     */
    static Map<String, Writer> verify(Topic topic, Function<String, TreeWitness> trees, Sink sink) throws Verdict {
        Map<String, Writer> writers = new LinkedHashMap<>();
        VerifiedRecord verified = new VerifiedRecord();
        topic.readRecords((writer, kind, value) -> {
            if (!FleetFormat.RECORD.equals(kind)) {
                throw new Verdict(ExitCodes.TAMPERED, "TAMPERED: writer " + writer + ": a message that is not a "
                        + "record (" + FleetFormat.KIND + ": " + kind + ") among its records");
            }
            Writer w = writers.computeIfAbsent(writer, id -> new Writer(id, trees.apply(id)));
            RecordView record = check(w, value);
            if (w.tree != null) {
                w.tree.add(value, value.length - TrailFormat.HASH_LENGTH);
            }
            if (record.type() == RecordType.CALL_DENIED) {
                w.denials++;
            }
            w.clock.accept(record.seq(), record.timeMillis());
            sink.accept(writer, verified.set(record, value, value.length));
        });
        return writers;
    }

    /** Checks the next message of a writer's stream, naming a gap or a duplicate as such. */
    private static RecordView check(Writer w, byte[] value) throws Verdict {
        long expected = w.chain.count();
        if (value == null) {
            throw new Verdict(ExitCodes.TAMPERED, "TAMPERED: writer " + w.id + " at record " + expected
                    + ": an empty message");
        }
        try {
            return w.chain.check(value, value.length);
        } catch (ChainBreak e) {
            String at = "TAMPERED: writer " + w.id + " at record " + expected + ": ";
            long seq = seqOf(value);
            if (seq >= 0 && seq < expected) {
                throw new Verdict(ExitCodes.TAMPERED, at + "a duplicate: record " + seq + " appears again");
            }
            if (seq > expected) {
                throw new Verdict(ExitCodes.TAMPERED, at + "a gap: " + (seq - 1 > expected ? "records " + expected
                        + " to " + (seq - 1) + " are" : "record " + expected + " is") + " missing, record " + seq
                        + " comes next");
            }
            throw new Verdict(ExitCodes.TAMPERED, at + e.reason());
        }
    }

    /** @return the seq a stored record claims, or -1 if it cannot be read */
    private static long seqOf(byte[] stored) {
        try {
            return new RecordView().wrap(stored, 0, stored.length - TrailFormat.HASH_LENGTH).seq();
        } catch (MalformedRecordException | IndexOutOfBoundsException e) {
            return -1;
        }
    }

    /** Receives each message read from a {@link Topic}. */
    @FunctionalInterface
    interface Messages {
        /**
         * @param key the message's key in UTF-8 (the trail key), empty if it has none
         * @param kind its {@link FleetFormat#KIND} header, {@code (none)} if it has none
         * @param value its value, or {@code null} for an empty message
         * @throws Verdict if the message breaks what is being read
         */
        void accept(String key, String kind, byte[] value) throws Verdict;
    }

    /** Reads every partition of {@code topic} from its start to the end it has now. */
    private static void read(Source source, String topic, boolean mayBeMissing, Messages messages) throws Verdict {
        Map<String, Object> p = new LinkedHashMap<>();
        // Big fetches: a topic is read whole, start to end, and its records are small. The user's properties may
        // tune these further; what the read relies on (below them) they may not change.
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20_000);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
        p.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 4 << 20);
        p.putAll(source.clientProperties());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, source.bootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "agentmesh-audit-reader");
        p.put(ConsumerConfig.ENABLE_METRICS_PUSH_CONFIG, false);
        long deadline = System.nanoTime() + source.timeout().toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, source.timeout());
            if (infos == null || infos.isEmpty()) {
                if (mayBeMissing) {
                    return;
                }
                throw new Verdict(ExitCodes.UNREADABLE, "no topic " + topic + " at " + source.bootstrap());
            }
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : infos) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, source.timeout());
            // By partition number, and keys and kinds decoded once each: this loop runs once per record.
            long[] endOf = new long[partitions.stream().mapToInt(TopicPartition::partition).max().orElse(0) + 1];
            end.forEach((tp, offset) -> endOf[tp.partition()] = offset);
            Map<ByteBuffer, String> texts = new HashMap<>();
            while (behind(consumer, partitions, end)) {
                if (System.nanoTime() > deadline) {
                    throw new Verdict(ExitCodes.UNREADABLE, "could not read " + topic + " at " + source.bootstrap()
                            + " to its end: nothing came for " + source.timeout().toSeconds() + " s");
                }
                var polled = consumer.poll(POLL);
                if (!polled.isEmpty()) {
                    deadline = System.nanoTime() + source.timeout().toNanos(); // a long topic is no timeout
                }
                for (ConsumerRecord<byte[], byte[]> r : polled) {
                    if (r.offset() >= endOf[r.partition()]) {
                        continue; // arrived after the read began
                    }
                    Header kind = r.headers().lastHeader(FleetFormat.KIND);
                    messages.accept(r.key() == null ? "" : text(texts, r.key()),
                            kind == null || kind.value() == null ? "(none)" : text(texts, kind.value()), r.value());
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new Verdict(ExitCodes.UNREADABLE, "cannot read " + topic + " at " + source.bootstrap() + ": "
                    + e.getMessage());
        }
    }

    /** @return {@code utf8} decoded, the same string for the same bytes; as many entries as writers and kinds */
    private static String text(Map<ByteBuffer, String> texts, byte[] utf8) {
        String t = texts.get(ByteBuffer.wrap(utf8));
        if (t == null) {
            t = new String(utf8, StandardCharsets.UTF_8);
            texts.put(ByteBuffer.wrap(utf8), t);
        }
        return t;
    }

    private static boolean behind(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
            Map<TopicPartition, Long> end) {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < end.get(tp)) {
                return true;
            }
        }
        return false;
    }
}
