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
                        "a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void stopsTheJvmWithOneLine(String name, String yaml, int line, String mentions, @TempDir Path tmp)
            throws Exception {
        Path policy = Trails.policy(tmp, yaml);
        ForkedJvm.Result run = ForkedJvm.main(RingMatrixApp.class)
                .withAgent("policy=" + policy + ",audit.dir=" + tmp.resolve("audit"))
                .args("agent-r0")
                .run();
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(78);
        assertThat(run.stdout()).as("main never ran").isEmpty();
        assertThat(run.stderr().lines()).as(run.toString()).hasSize(1);
        String message = run.stderr().strip();
        assertThat(message).startsWith("agentmesh: policy error: " + policy + ":" + line + ": ")
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
