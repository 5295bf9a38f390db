package dev.agentmesh.agent.fleet;

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
 *   operatorKey: operator.pub               # Ed25519 public key; relative to the policy file
 * </pre>
 */
public final class FleetConfig {

    /** The audit topic when the policy names none. */
    public static final String DEFAULT_AUDIT_TOPIC = "agentmesh-audit";
    /** The control topic when the policy names none. */
    public static final String DEFAULT_CONTROL_TOPIC = "agentmesh-control";

    private final String bootstrap;
    private final Map<String, String> client;
    private final String auditTopic;
    private final String controlTopic;
    private final Path operatorKey;

    private FleetConfig(Builder b) {
        this.bootstrap = Objects.requireNonNull(b.bootstrap, "fleet.kafka.bootstrap");
        this.client = Map.copyOf(b.client);
        this.auditTopic = b.auditTopic;
        this.controlTopic = b.controlTopic;
        this.operatorKey = b.operatorKey;
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

    /** @return the operators' Ed25519 public key, if commands are taken from the control topic */
    public Optional<Path> operatorKey() {
        return Optional.ofNullable(operatorKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FleetConfig other && bootstrap.equals(other.bootstrap) && client.equals(other.client)
                && auditTopic.equals(other.auditTopic) && controlTopic.equals(other.controlTopic)
                && Objects.equals(operatorKey, other.operatorKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(bootstrap, client, auditTopic, controlTopic, operatorKey);
    }

    @Override
    public String toString() {
        return "fleet{kafka " + bootstrap + ", audit " + auditTopic + ", control " + controlTopic
                + (operatorKey == null ? "" : ", operator key " + operatorKey) + "}";
    }

    /** Builds a {@link FleetConfig}. */
    public static final class Builder {
        private String bootstrap;
        private final Map<String, String> client = new TreeMap<>();
        private String auditTopic = DEFAULT_AUDIT_TOPIC;
        private String controlTopic = DEFAULT_CONTROL_TOPIC;
        private Path operatorKey;

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

        /** @param key the operators' Ed25519 public key file @return this */
        public Builder operatorKey(Path key) {
            this.operatorKey = key;
            return this;
        }

        /** @return the configuration */
        public FleetConfig build() {
            return new FleetConfig(this);
        }
    }
}
