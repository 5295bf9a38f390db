package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.RingMatrixApp;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A malformed policy stops the JVM before main, with one line naming the file, the line and the problem. */
class PolicyErrorIT {

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("bad YAML", "agents:\n  a: {ring: 1\n  b: {ring: 2}\n", 3, ""),
                Arguments.of("ring out of range", "agents:\n  a: {ring: 1}\n  b: {ring: 7}\n", 3, "ring"),
                Arguments.of("unknown key", "defaults:\n  ring: 3\nagentz:\n  a: {ring: 1}\n", 3, "agentz"),
                Arguments.of("duplicate agent", "agents:\n  a: {ring: 1}\n  b: {ring: 2}\n  a: {ring: 0}\n", 4,
                        "a"),
                Arguments.of("billion laughs", billionLaughs(), 0, "aliases"),
                Arguments.of("deep nesting", "version: 1\nagents: " + "[".repeat(100_000) + "\n", 2,
                        "nested more than 64 levels deep"),
                Arguments.of("deep mapping nesting", "version: 1\nagents: " + "{a: ".repeat(20_000) + "\n", 2,
                        "nested more than 64 levels deep"),
                Arguments.of("huge number", "defaults:\n  ring: " + "9".repeat(100_000) + "\n", 2, "ring"),
                Arguments.of("huge key", "agents:\n  " + "a".repeat(1_000_000) + ": {ring: 1}\n", 2, ""));
    }

    /** Nine levels of ten aliases each: a billion leaves if expanded. */
    private static String billionLaughs() {
        StringBuilder yaml = new StringBuilder("version: 1\nlol0: &lol0 [lol]\n");
        for (int i = 1; i <= 9; i++) {
            yaml.append("lol").append(i).append(": &lol").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                yaml.append(j == 0 ? "" : ", ").append("*lol").append(i - 1);
            }
            yaml.append("]\n");
        }
        return yaml.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void stopsTheJvmWithOneLine(String name, String yaml, int line, String mentions, @TempDir Path tmp)
            throws Exception {
        Path policy = Trails.policy(tmp, yaml);
        ForkedJvm.Result run = ForkedJvm.main(RingMatrixApp.class)
                .withAgent("policy=" + policy + ",audit.dir=" + tmp.resolve("audit"))
                .args("agent-r0")
                .timeoutSeconds(30) // never hangs, however hostile the file
                .run();
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(78);
        assertThat(run.stdout()).as("main never ran").isEmpty();
        assertThat(run.stderr().lines()).as(run.toString()).hasSize(1);
        String message = run.stderr().strip();
        // A limit that SnakeYAML reports without a place (the alias count) names the file only.
        assertThat(message).startsWith("agentmesh: policy error: " + policy + (line == 0 ? "" : ":" + line) + ": ")
                .contains(mentions);
    }

    @Test
    void aMissingPolicyFileStopsTheJvm(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("nope.yaml");
        ForkedJvm.Result run = ForkedJvm.main(RingMatrixApp.class)
                .withAgent("policy=" + missing + ",audit.dir=" + tmp.resolve("audit"))
                .args("agent-r0")
                .run();
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(78);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().strip()).startsWith("agentmesh: policy error: " + missing).doesNotContain("\n");
    }

    @Test
    void anUnknownAgentOptionStopsTheJvm(@TempDir Path tmp) throws Exception {
        ForkedJvm.Result run = ForkedJvm.main(RingMatrixApp.class)
                .withAgent("polcy=x.yaml")
                .args("agent-r0")
                .run();
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(78);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr().strip()).isEqualTo(
                "agentmesh: option error: unknown agent option 'polcy'; known options: policy, audit.dir, "
                        + "deny.stacktrace, audit.open.timeout.ms, audit.roll, checkpoint.key, checkpoint.key.name, "
                        + "checkpoint.anchor, checkpoint.every, checkpoint.interval.ms, testing");
    }
}
