package dev.agentmesh.agent.fleet;

import dev.agentmesh.audit.checkpoint.CheckpointVerifierKey;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Fleet mode, as the policy's {@code fleet:} section sets it: where this JVM ships its audit records (Apache Kafka),
 * and where it takes operators' signed commands from. Without the section nothing leaves the JVM. Immutable; build
 * one with {@link #builder}.
 *
 * <pre>
 * fleet:
 *   kafka:
 *     bootstrap: kafka-1:9092,kafka-2:9092
 *     client: {security.protocol: SSL}     # any further Kafka client properties
 *   auditTopic: agentmesh-audit             # the default
 *   controlTopic: agentmesh-control         # the default
 *   operatorKey: operator.pub.pem           # Ed25519 public key (PEM or vkey); relative to the policy file
 *   operatorKeyName: ops                    # the key's name in signed notes; default agentmesh
 *   controlWaitSeconds: 10                  # the default: how long a starting JVM waits to read the commands
 * </pre>
 */
public final class FleetConfig {

    /** The audit topic when the policy names none. */
    public static final String DEFAULT_AUDIT_TOPIC = dev.agentmesh.audit.format.FleetFormat.DEFAULT_AUDIT_TOPIC;
    /** The control topic when the policy names none. */
    public static final String DEFAULT_CONTROL_TOPIC = "agentmesh-control";
    /** How long a starting JVM waits, by default, to have read the operators' commands before it runs. */
    public static final int DEFAULT_CONTROL_WAIT_SECONDS = 10;

    private final String bootstrap;
    private final Map<String, String> client;
    private final String auditTopic;
    private final String controlTopic;
    private final Path operatorKeyFile;
    private final String operatorKeyName;
    private final CheckpointVerifierKey operatorKey;
    private final int controlWaitSeconds;

    private FleetConfig(Builder b) {
        this.bootstrap = Objects.requireNonNull(b.bootstrap, "fleet.kafka.bootstrap");
        this.client = Map.copyOf(b.client);
        this.auditTopic = b.auditTopic;
        this.controlTopic = b.controlTopic;
        this.operatorKeyFile = b.operatorKeyFile;
        this.operatorKeyName = b.operatorKeyName;
        this.operatorKey = b.operatorKey;
        this.controlWaitSeconds = b.controlWaitSeconds;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the Kafka brokers to bootstrap from, {@code host:port[,host:port…]} */
    public String bootstrap() {
        return bootstrap;
    }

    /** @return further Kafka client properties (security, timeouts), as the policy gives them */
    public Map<String, String> client() {
        return client;
    }

    /** @return the topic this JVM's audit records go to */
    public String auditTopic() {
        return auditTopic;
    }

    /** @return the topic operators' signed commands come from */
    public String controlTopic() {
        return controlTopic;
    }

    /**
     * @return the operators' Ed25519 public key, read from its file when the policy was: commands are taken from the
     *     control topic only if there is one
     */
    public Optional<CheckpointVerifierKey> operatorKey() {
        return Optional.ofNullable(operatorKey);
    }

    /**
     * @return how long, at most, a starting JVM waits to have read every command on the control topic before its
     *     application runs, so that an agent the fleet killed does not run on a new pod; 0 for not at all
     */
    public int controlWaitSeconds() {
        return controlWaitSeconds;
    }

    /** @return the file the operators' key was read from, if any */
    public Optional<Path> operatorKeyFile() {
        return Optional.ofNullable(operatorKeyFile);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FleetConfig other && bootstrap.equals(other.bootstrap) && client.equals(other.client)
                && auditTopic.equals(other.auditTopic) && controlTopic.equals(other.controlTopic)
                && Objects.equals(operatorKeyFile, other.operatorKeyFile)
                && Objects.equals(operatorKeyName, other.operatorKeyName)
                && controlWaitSeconds == other.controlWaitSeconds;
    }

    @Override
    public int hashCode() {
        return Objects.hash(bootstrap, client, auditTopic, controlTopic, operatorKeyFile, operatorKeyName,
                controlWaitSeconds);
    }

    @Override
    public String toString() {
        return "fleet{kafka " + bootstrap + ", audit " + auditTopic + ", control " + controlTopic
                + (operatorKeyFile == null ? "" : ", operator key " + operatorKeyFile + " (" + operatorKeyName + ")")
                + "}";
    }

    /** Builds a {@link FleetConfig}. */
    public static final class Builder {
        private String bootstrap;
        private final Map<String, String> client = new TreeMap<>();
        private String auditTopic = DEFAULT_AUDIT_TOPIC;
        private String controlTopic = DEFAULT_CONTROL_TOPIC;
        private Path operatorKeyFile;
        private String operatorKeyName;
        private CheckpointVerifierKey operatorKey;
        private int controlWaitSeconds = DEFAULT_CONTROL_WAIT_SECONDS;

        private Builder() {
        }

        /** @param bootstrap {@code host:port[,host:port…]} @return this */
        public Builder bootstrap(String bootstrap) {
            this.bootstrap = bootstrap;
            return this;
        }

        /** @param key a Kafka client property @param value its value @return this */
        public Builder client(String key, String value) {
            client.put(key, value);
            return this;
        }

        /** @param topic the audit topic @return this */
        public Builder auditTopic(String topic) {
            this.auditTopic = topic;
            return this;
        }

        /** @param topic the control topic @return this */
        public Builder controlTopic(String topic) {
            this.controlTopic = topic;
            return this;
        }

        /**
         * @param file the file the operators' key was read from
         * @param name the key's name in signed notes
         * @param key the key
         * @return this
         */
        public Builder operatorKey(Path file, String name, CheckpointVerifierKey key) {
            this.operatorKeyFile = Objects.requireNonNull(file, "file");
            this.operatorKeyName = Objects.requireNonNull(name, "name");
            this.operatorKey = Objects.requireNonNull(key, "key");
            return this;
        }

        /** @param seconds see {@link FleetConfig#controlWaitSeconds()} @return this */
        public Builder controlWaitSeconds(int seconds) {
            if (seconds < 0) {
                throw new IllegalArgumentException("controlWaitSeconds must not be negative");
            }
            this.controlWaitSeconds = seconds;
            return this;
        }

        /** @return the configuration */
        public FleetConfig build() {
            return new FleetConfig(this);
        }
    }
}
