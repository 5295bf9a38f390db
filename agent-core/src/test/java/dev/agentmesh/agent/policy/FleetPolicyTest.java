package dev.agentmesh.agent.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.agent.fleet.FleetConfig;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy's {@code fleet:} section. */
class FleetPolicyTest {

    private static final String FILE = "/etc/agentmesh/policy.yaml";

    private static Policy parse(String yaml) {
        return PolicyLoader.parse(FILE, yaml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withoutTheSectionNothingLeavesTheJvm() {
        assertThat(parse("version: 1\n").fleet()).isEmpty();
    }

    @Test
    void readsEveryPartWithDefaultsForTheRest(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("keys"));
        KeyFiles.generate(tmp.resolve("keys/ops.pem"), tmp.resolve("keys/ops.pub.pem"), "ops");
        String source = tmp.resolve("policy.yaml").toString();
        FleetConfig fleet = PolicyLoader.parse(source, String.join("\n",
                "fleet:",
                "  kafka:",
                "    bootstrap: kafka-1:9092,10.0.0.2:9093,[::1]:9094",
                "    client: {security.protocol: SSL, ssl.truststore.location: /etc/ts.jks}",
                "  operatorKey: keys/ops.pub.pem",
                "  operatorKeyName: ops",
                "").getBytes(StandardCharsets.UTF_8)).fleet().orElseThrow();
        assertThat(fleet.bootstrap()).isEqualTo("kafka-1:9092,10.0.0.2:9093,[::1]:9094");
        assertThat(fleet.client()).isEqualTo(Map.of("security.protocol", "SSL",
                "ssl.truststore.location", "/etc/ts.jks"));
        assertThat(fleet.auditTopic()).isEqualTo(FleetConfig.DEFAULT_AUDIT_TOPIC);
        assertThat(fleet.controlTopic()).isEqualTo(FleetConfig.DEFAULT_CONTROL_TOPIC);
        assertThat(fleet.operatorKeyFile()).contains(tmp.resolve("keys/ops.pub.pem"));
        assertThat(fleet.operatorKey()).hasValueSatisfying(k -> assertThat(k.name()).isEqualTo("ops"));

        FleetConfig topics = parse("fleet: {kafka: {bootstrap: \"k:1\"}, auditTopic: a.b_c-1, controlTopic: ctl}\n")
                .fleet().orElseThrow();
        assertThat(topics.auditTopic()).isEqualTo("a.b_c-1");
        assertThat(topics.controlTopic()).isEqualTo("ctl");
        assertThat(topics.operatorKey()).isEmpty();
        assertThat(topics.client()).isEmpty();
        assertThat(topics.controlWaitSeconds()).isEqualTo(FleetConfig.DEFAULT_CONTROL_WAIT_SECONDS);
        assertThat(parse("fleet: {kafka: {bootstrap: \"k:1\"}, controlWaitSeconds: 0}\n").fleet().orElseThrow()
                .controlWaitSeconds()).isZero();
    }

    @Test
    void anOperatorKeyThatCannotBeReadNamesTheLine(@TempDir Path tmp) throws Exception {
        KeyFiles.generate(tmp.resolve("ops.pem"), tmp.resolve("ops.pub.pem"), "ops");
        String source = tmp.resolve("policy.yaml").toString();
        for (String[] c : new String[][] {{"missing.pem", "ops"}, {"ops.pem", "ops"}}) {
            assertThatThrownBy(() -> PolicyLoader.parse(source, ("fleet:\n  kafka: {bootstrap: \"k:1\"}\n"
                    + "  operatorKey: " + c[0] + "\n  operatorKeyName: " + c[1] + "\n")
                    .getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(PolicyException.class)
                    .hasMessageStartingWith(source + ":3: fleet.operatorKey: ").hasMessageContaining(c[0]);
        }
    }

    @Test
    void mistakesNameTheLine() {
        assertMistake("fleet:\n  auditTopic: x\n", ":2: fleet needs kafka: {bootstrap: host:port}");
        assertMistake("fleet:\n  kafka: {client: {}}\n", ":2: fleet.kafka needs bootstrap: host:port");
        assertMistake("fleet:\n  kafka:\n    bootstrap: kafka-1\n",
                ":3: fleet.kafka.bootstrap must be host:port[,host:port...], got kafka-1");
        assertMistake("fleet:\n  kafka: {bootstrap: \"k:1\"}\n  auditTopic: \"a topic\"\n",
                ":3: fleet.auditTopic must be a Kafka topic name");
        assertMistake("fleet:\n  kafka: {bootstrap: \"k:1\"}\n  controlTopic: [a]\n",
                ":3: fleet.controlTopic must be a Kafka topic name");
        assertMistake("fleet:\n  kafka: {bootstrap: \"k:1\", client: {acks: [1]}}\n",
                ":2: fleet.kafka.client.acks must be a value");
        assertMistake("fleet:\n  kafka: {bootstrap: \"k:1\"}\n  brokers: x\n", ":3: unknown key 'brokers' in fleet");
        assertMistake("fleet:\n  kafka: {bootstrap: \"k:1\"}\n  controlWaitSeconds: 301\n",
                ":3: fleet.controlWaitSeconds must be a number of seconds from 0 to 300, got 301");
        assertMistake("fleet: yes\n", ":1: fleet must be a mapping with the keys kafka, auditTopic, controlTopic, "
                + "operatorKey, operatorKeyName, controlWaitSeconds");
    }

    private static void assertMistake(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(PolicyException.class)
                .hasMessageStartingWith(FILE + message.substring(0, message.indexOf(' ')))
                .hasMessageContaining(message.substring(message.indexOf(' ') + 1));
    }
}
