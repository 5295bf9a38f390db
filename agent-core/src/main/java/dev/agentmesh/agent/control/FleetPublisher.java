package dev.agentmesh.agent.control;

import dev.agentmesh.agent.fleet.FleetCommand;
import dev.agentmesh.agent.fleet.FleetConfig;
import dev.agentmesh.audit.checkpoint.CheckpointFileException;
import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Option;

/**
 * Where an operator's command goes in fleet mode: signed with the operators' private key and put on the fleet's
 * control topic, from which every agent JVM subscribed takes it ({@code FleetControl}). Done when the brokers have it.
 */
final class FleetPublisher {

    @Option(names = "--kafka", required = true, paramLabel = "<bootstrap>",
            description = "Send the command to every JVM of the fleet through Kafka: the brokers, host:port[,...].")
    String bootstrap;

    @Option(names = "--key", required = true, paramLabel = "<file>",
            description = "The operators' Ed25519 private key (PEM), with --kafka.")
    Path key;

    @Option(names = "--key-name", defaultValue = "agentmesh", paramLabel = "<name>",
            description = "The key's name, as the agents' policy names it (fleet.operatorKeyName). Default: "
                    + "${DEFAULT-VALUE}.")
    String keyName;

    @Option(names = "--topic", defaultValue = FleetConfig.DEFAULT_CONTROL_TOPIC, paramLabel = "<topic>",
            description = "The control topic, with --kafka. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(names = "--kafka-property", paramLabel = "<key=value>",
            description = "A Kafka client property (security.protocol=SSL, ...); repeatable.")
    Map<String, String> properties = new HashMap<>();

    /**
     * @param command the command
     * @return what to print: the command was sent
     */
    String send(FleetCommand command) throws Exception {
        CheckpointSigner signer;
        try {
            signer = KeyFiles.readSigner(key, keyName);
        } catch (CheckpointFileException e) {
            throw new ControlCli.Failure(ControlCli.USAGE, "operator key: " + e.getMessage());
        }
        Map<String, Object> p = new HashMap<>(properties);
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(CommonClientConfigs.ENABLE_METRICS_PUSH_CONFIG, false);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            // One partition for every command: agents apply them in the order the operators sent them.
            producer.send(new ProducerRecord<>(topic, 0, command.target().getBytes(StandardCharsets.UTF_8),
                    command.sign(signer))).get(45, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause(); // the root says what is wrong: a timeout, a bad property
            }
            throw new ControlCli.Failure(ControlCli.UNREACHABLE, "cannot send the command to Kafka topic " + topic
                    + " at " + bootstrap + ": " + cause.getMessage());
        }
        return "sent " + command.action().name().toLowerCase(java.util.Locale.ROOT) + " of " + command.target()
                + " to every JVM on " + topic + " (command " + command.id() + ")";
    }
}
