package dev.agentmesh.reader;

import dev.agentmesh.audit.format.FleetFormat;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options naming a Kafka topic that agents in fleet mode ship their trails to. */
final class KafkaOptions {

    @Option(names = "--kafka", paramLabel = "<bootstrap>",
            description = "Read the trails agents in fleet mode shipped to Kafka: the brokers, host:port[,host:port].")
    private String bootstrap;

    @Option(names = "--topic", paramLabel = "<topic>", defaultValue = FleetFormat.DEFAULT_AUDIT_TOPIC,
            description = "The audit topic, with --kafka. Default: ${DEFAULT-VALUE}.")
    private String topic;

    @Option(names = "--kafka-property", paramLabel = "<key=value>",
            description = "A Kafka client property, with --kafka (security.protocol=SSL, ...); repeatable.")
    private Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--kafka-timeout", paramLabel = "<seconds>", defaultValue = "30",
            description = "How long to wait for the brokers when they do not answer, with --kafka. Default: "
                    + "${DEFAULT-VALUE}.")
    private long timeoutSeconds;

    /** @return whether {@code --kafka} was given */
    boolean given() {
        return bootstrap != null;
    }

    /** @return the topic to read */
    TopicTrails.Source source() throws Verdict {
        if (timeoutSeconds < 1) {
            throw new Verdict(ExitCodes.UNREADABLE, "--kafka-timeout must be at least 1 second");
        }
        return new TopicTrails.Source(bootstrap, topic, Map.copyOf(properties), Duration.ofSeconds(timeoutSeconds));
    }
}
