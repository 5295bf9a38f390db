package dev.agentmesh.agent.fleet;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The agent's and the operators' Kafka clients, configured from a {@code fleet:} section. */
public final class KafkaClients {

    private KafkaClients() {
    }

    /**
     * A producer that keeps each key's records in order and writes each once, however often it retries: idempotent,
     * acknowledged by every in-sync replica, retrying a send for as long as the broker is away (the local queue holds
     * everything meanwhile).
     *
     * @param config the fleet section
     * @param clientId names the client in the broker's logs
     * @return the producer
     */
    public static KafkaProducer<byte[], byte[]> producer(FleetConfig config, String clientId) {
        return producer(config, clientId, Integer.MAX_VALUE);
    }

    /**
     * {@link #producer(FleetConfig, String)}, giving up on a send after {@code deliveryTimeoutMillis}: for the
     * operators' command line, which must say whether a command went, not retry it for ever.
     *
     * @param config the fleet section
     * @param clientId names the client in the broker's logs
     * @param deliveryTimeoutMillis how long a send may take, retries included
     * @return the producer
     */
    public static KafkaProducer<byte[], byte[]> producer(FleetConfig config, String clientId,
            int deliveryTimeoutMillis) {
        // The policy's properties first: security and tuning are the operator's, but what keeps each trail whole and
        // in order (acks, idempotence, retrying for as long as it takes) is not.
        Map<String, Object> p = new HashMap<>(config.client());
        p.putAll(common(config, clientId));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeoutMillis);
        if (deliveryTimeoutMillis < Integer.MAX_VALUE) {
            // Kafka requires a delivery timeout of at least linger + one request's: a few tries fit in it.
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, deliveryTimeoutMillis / 3);
        }
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // Batches of about a thousand records: a backlog ships at the broker's pace, not at five small batches a
        // round trip. A batch.size in the policy's client properties wins.
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * @param config the fleet section
     * @param clientId names the client in the broker's logs
     * @return a consumer of no group: it is assigned partitions and keeps no offsets in Kafka
     */
    public static KafkaConsumer<byte[], byte[]> consumer(FleetConfig config, String clientId) {
        Map<String, Object> p = new HashMap<>(config.client());
        p.putAll(common(config, clientId));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Map<String, Object> common(FleetConfig config, String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        // The client's metrics stay in this JVM: none are pushed to the broker (KIP-714).
        p.put(CommonClientConfigs.ENABLE_METRICS_PUSH_CONFIG, false);
        return p;
    }
}
