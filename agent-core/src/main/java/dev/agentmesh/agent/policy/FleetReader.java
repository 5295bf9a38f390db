package dev.agentmesh.agent.policy;

import dev.agentmesh.agent.fleet.FleetConfig;
import dev.agentmesh.audit.checkpoint.CheckpointFileException;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;

/** Reads the policy's {@code fleet:} section ({@link FleetConfig}), naming the line of every mistake. */
final class FleetReader {

    private static final List<String> FLEET_KEYS = List.of("kafka", "auditTopic", "controlTopic", "operatorKey",
            "operatorKeyName", "controlWaitSeconds");
    /** The operators' key name when the policy gives none: the name {@code keygen} gives by default. */
    static final String DEFAULT_KEY_NAME = "agentmesh";
    private static final List<String> KAFKA_KEYS = List.of("bootstrap", "client");
    /** Kafka's own rule for topic names. */
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    /** {@code host:port}, comma-separated; hosts as names, IPv4 or bracketed IPv6. */
    private static final Pattern BOOTSTRAP = Pattern.compile(
            "(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5}(?:,(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]):[0-9]{1,5})*");

    private final String source;

    private FleetReader(String source) {
        this.source = source;
    }

    static FleetConfig read(String source, Node value) {
        return new FleetReader(source).fleet(value);
    }

    private FleetConfig fleet(Node value) {
        FleetConfig.Builder b = FleetConfig.builder();
        boolean kafka = false;
        Node keyNode = null;
        String keyName = DEFAULT_KEY_NAME;
        for (MappingEntries.Entry e : entries(value, "fleet", FLEET_KEYS)) {
            switch (e.key()) {
                case "kafka" -> {
                    kafka(e.value(), b);
                    kafka = true;
                }
                case "auditTopic" -> b.auditTopic(topic(e.value(), "fleet.auditTopic"));
                case "controlTopic" -> b.controlTopic(topic(e.value(), "fleet.controlTopic"));
                case "operatorKey" -> keyNode = e.value();
                case "operatorKeyName" -> {
                    keyName = Nodes.text(e.value());
                    if (keyName == null || keyName.isBlank()) {
                        throw Nodes.error(source, e.value(), "fleet.operatorKeyName must be a key name, got "
                                + Nodes.describe(e.value()));
                    }
                }
                case "controlWaitSeconds" -> b.controlWaitSeconds(Nodes.integer(source, e.value(),
                        "fleet.controlWaitSeconds", 0, 300, "a number of seconds from 0 to 300"));
                default -> throw new IllegalStateException("key not in FLEET_KEYS: " + e.key());
            }
        }
        if (!kafka) {
            throw Nodes.error(source, value, "fleet needs kafka: {bootstrap: host:port} to say where the brokers are");
        }
        if (keyNode != null) {
            Path file = file(keyNode, "fleet.operatorKey");
            try {
                b.operatorKey(file, keyName, KeyFiles.readVerifierKey(file, keyName));
            } catch (CheckpointFileException e) {
                throw Nodes.error(source, keyNode, "fleet.operatorKey: " + e.getMessage());
            }
        }
        return b.build();
    }

    private void kafka(Node value, FleetConfig.Builder b) {
        boolean bootstrap = false;
        for (MappingEntries.Entry e : entries(value, "fleet.kafka", KAFKA_KEYS)) {
            switch (e.key()) {
                case "bootstrap" -> {
                    String text = Nodes.text(e.value());
                    if (text == null || !BOOTSTRAP.matcher(text).matches()) {
                        throw Nodes.error(source, e.value(), "fleet.kafka.bootstrap must be host:port[,host:port...], "
                                + "got " + Nodes.describe(e.value()));
                    }
                    b.bootstrap(text);
                    bootstrap = true;
                }
                case "client" -> {
                    if (Nodes.isNull(e.value())) {
                        continue;
                    }
                    for (MappingEntries.Entry p : MappingEntries.read(source, mapping(e.value(),
                            "fleet.kafka.client must map Kafka client properties to values"), "property",
                            "under fleet.kafka.client", List.of())) {
                        String v = Nodes.text(p.value());
                        if (v == null) {
                            throw Nodes.error(source, p.value(), "fleet.kafka.client." + p.key() + " must be a value, "
                                    + "got " + Nodes.describe(p.value()));
                        }
                        b.client(p.key(), v);
                    }
                }
                default -> throw new IllegalStateException("key not in KAFKA_KEYS: " + e.key());
            }
        }
        if (!bootstrap) {
            throw Nodes.error(source, value, "fleet.kafka needs bootstrap: host:port");
        }
    }

    private String topic(Node value, String what) {
        String text = Nodes.text(value);
        if (text == null || !TOPIC.matcher(text).matches() || text.equals(".") || text.equals("..")) {
            throw Nodes.error(source, value, what + " must be a Kafka topic name (letters, digits, '.', '_', '-'), got "
                    + Nodes.describe(value));
        }
        return text;
    }

    /** A path as written, relative to the policy file's folder. */
    private Path file(Node value, String what) {
        String text = Nodes.text(value);
        if (text == null || text.isBlank()) {
            throw Nodes.error(source, value, what + " must be a file path, got " + Nodes.describe(value));
        }
        Path path = Path.of(text);
        Path folder = Path.of(source).toAbsolutePath().getParent();
        return path.isAbsolute() || folder == null ? path : folder.resolve(path);
    }

    private List<MappingEntries.Entry> entries(Node value, String what, List<String> allowed) {
        return MappingEntries.section(source, value, what, allowed);
    }

    private MappingNode mapping(Node value, String expectation) {
        return Nodes.mapping(source, value, expectation);
    }
}
