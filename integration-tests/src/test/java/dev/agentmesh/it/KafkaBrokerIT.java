package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet tests' broker ({@link KafkaBroker}) is a real one: it serves clients and keeps its data over a restart. */
class KafkaBrokerIT {

    @Test
    void theTestBrokerServesAndKeepsItsDataOverARestart(@TempDir Path tmp) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("kafka"))) {
            send(broker, "before-", 50);
            broker.stop();
            broker.startAgain();
            send(broker, "after-", 50);
            List<String> read = readAll(broker, 100);
            assertThat(read).hasSize(100).startsWith("before-0").endsWith("after-49");
        }
    }

    private static void send(KafkaBroker broker, String prefix, int count) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                // One partition: the order read back is the order sent.
                producer.send(new ProducerRecord<>("broker-check", 0, "k", prefix + i)).get();
            }
        }
    }

    private static List<String> readAll(KafkaBroker broker, int expected) {
        List<String> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()),
                new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition("broker-check", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (read.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(r.value());
                }
            }
        }
        return read;
    }
}
