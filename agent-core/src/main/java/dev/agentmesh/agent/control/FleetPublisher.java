package dev.agentmesh.agent.control;

import dev.agentmesh.agent.fleet.FleetCommand;
import dev.agentmesh.agent.fleet.FleetConfig;
import dev.agentmesh.agent.fleet.KafkaClients;
import dev.agentmesh.audit.checkpoint.CheckpointFileException;
import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Option;

/**
 * Where an operator's command goes in fleet mode: signed with the operators' private key and put on the fleet's
 * control topic, from which every agent JVM subscribed takes it ({@code FleetControl}). Done when the brokers have it.
 */
final class FleetPublisher {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

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
        FleetConfig.Builder b = FleetConfig.builder().bootstrap(bootstrap).controlTopic(topic);
        properties.forEach(b::client);
        FleetConfig config = b.build();
        FleetCommand stamped;
        KafkaProducer<byte[], byte[]> producer = null;
        try {
            stamped = command.issuedAfter(newestIssued(config, command.target(), signer));
            // Given up on before the wait below ends: "cannot send" then means it was not sent.
            producer = KafkaClients.producer(config, "agentmesh-operator", 30_000);
            // One partition for every command: agents apply them in the order the operators sent them.
            producer.send(new ProducerRecord<>(topic, 0, command.target().getBytes(StandardCharsets.UTF_8),
                    stamped.sign(signer))).get(45, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause(); // the root says what is wrong: a timeout, a bad property
            }
            throw new ControlCli.Failure(ControlCli.UNREACHABLE, "cannot send the command to Kafka topic " + topic
                    + " at " + bootstrap + ": " + cause.getMessage());
        } finally {
            if (producer != null) {
                producer.close(Duration.ofSeconds(5)); // bounded: its sends retry for as long as they are let
            }
        }
        return "sent " + command.action().name().toLowerCase(java.util.Locale.ROOT) + " of " + command.target()
                + " to every JVM on " + topic + " (command " + command.id() + ")";
    }

    /**
     * The newest issue time among the operators' commands for {@code target} on the control topic: the new command
     * is issued after it, so no agent takes it for an old one put back, even if this machine's clock is behind the
     * one that sent the last command. Only commands signed with the operators' key count.
     */
    private long newestIssued(FleetConfig config, String target, CheckpointSigner signer) throws TimeoutException {
        long newest = -1;
        try (KafkaConsumer<byte[], byte[]> consumer = KafkaClients.consumer(config, "agentmesh-operator")) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic, READ_TIMEOUT)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            if (partitions.isEmpty()) {
                return newest;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("could not read the commands already on the topic within "
                            + READ_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        FleetCommand c = FleetCommand.verified(r.value() == null ? new byte[0] : r.value(),
                                signer.verifierKey());
                        if (c.target().equals(target)) {
                            newest = Math.max(newest, c.issuedMillis());
                        }
                    } catch (IllegalArgumentException notTheOperators) {
                        // Forged or damaged: the agents refuse it, and it moves nothing here.
                    }
                }
            }
        }
        return newest;
    }
}
