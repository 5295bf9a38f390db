package dev.agentmesh.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.slf4j.LoggerFactory;

/**
 * CI's short smoke run of the peers of issue 8: every variant still runs in its own fork, and each fork had what
 * it claims. The forks check themselves at setup and fail the run otherwise: the Logback ones that SLF4J is bound
 * to Logback with the variant's flushing, the OpenTelemetry ones that a {@code @WithSpan} method runs inside a
 * valid span. Here the Logback files are re-verified as chains. No number is asserted; they come from full runs.
 */
class PeerBenchmarksSmokeTest {

    private static final Path DIR = Paths.get(PeerLogbackBenchmark.DIR);

    @BeforeAll
    @AfterAll
    static void deleteTheLogs() throws IOException {
        if (Files.exists(DIR)) {
            try (Stream<Path> files = Files.walk(DIR)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void everyPeerRunsWithWhatItClaims() throws Exception {
        assertThat(Paths.get(PeerOpenTelemetryBenchmark.AGENT_JAR))
                .as("runs from the repository root, where the forks find the OpenTelemetry agent").exists();
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(PeerLogbackBenchmark.class.getName())
                .include(PeerOpenTelemetryBenchmark.class.getName())
                .warmupIterations(1).warmupTime(TimeValue.milliseconds(300))
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(300))
                .shouldFailOnError(true)
                .build()).run();
        List<String> ran = results.stream().map(r -> r.getParams().getBenchmark().replaceAll(".*\\.(.*\\..*)", "$1"))
                .collect(Collectors.toList());
        assertThat(ran).containsExactlyInAnyOrder("PeerLogbackBenchmark.allowedAudited",
                "PeerLogbackBenchmark.allowedAuditedBuffered", "PeerOpenTelemetryBenchmark.agentNotAnnotated",
                "PeerOpenTelemetryBenchmark.withSpan");

        for (String log : new String[] {PeerLogbackBenchmark.IMMEDIATE_LOG, PeerLogbackBenchmark.BUFFERED_LOG}) {
            long records = PeerAuditLog.verify(Paths.get(log));
            assertThat(records).as(log + ": an ALLOW and a RETURNED per call, chained from zeros").isPositive()
                    .isEven();
            try (Stream<String> lines = Files.lines(Paths.get(log))) {
                assertThat(lines.limit(2)).satisfiesExactly(
                        allow -> assertThat(allow).startsWith("ALLOW seq=1 ").contains(" agent=bench-agent ring=2 "
                                + "required=2 class=dev.agentmesh.benchmarks.PeerTools method=handAudited "
                                + "desc=(Ljava/lang/String;)I args="),
                        returned -> assertThat(returned).startsWith("RETURNED seq=2 ").contains(" call=1 "));
            }
        }
    }

    @Test
    void logbackIsNotTheBindingOutsideItsForks() {
        // Logback's classes are on this class path, its SLF4J service entry is not: this JVM (which runs the
        // other smoke tests' in-process checks) and every fork without -Dslf4j.provider keep slf4j-simple.
        assertThat(LoggerFactory.getILoggerFactory().getClass().getName()).startsWith("org.slf4j.simple.");
    }
}
