package dev.agentmesh.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * CI's short smoke run of the governed-call benchmark: every variant still runs in its own fork, and the governed
 * ones really are governed (they cost more than the floor, so the agent was attached). The numbers themselves
 * come from full runs, recorded in BENCHMARKS.md; none is asserted here.
 */
class GovernedCallBenchmarkSmokeTest {

    @AfterAll
    static void deleteTheTrail() throws IOException {
        Path trail = Paths.get("target/bench-audit");
        if (Files.exists(trail)) {
            try (Stream<Path> files = Files.walk(trail)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void everyVariantRunsAndTheGovernedOnesAreGoverned() throws Exception {
        assertThat(Paths.get("javaagent/target/agentmesh-javaagent.jar"))
                .as("runs from the repository root, where the forks find the agent").exists();
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(GovernedCallBenchmark.class.getName())
                .warmupIterations(1).warmupTime(TimeValue.milliseconds(300))
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(300))
                .shouldFailOnError(true)
                .build()).run();
        Map<String, Double> score = results.stream().collect(Collectors.toMap(
                r -> r.getParams().getBenchmark().replaceAll(".*\\.", ""), r -> r.getPrimaryResult().getScore()));
        assertThat(score).containsOnlyKeys("plain", "agentNotGoverned", "allowedAudited", "denied");
        assertThat(score.get("allowedAudited")).as("an audited call costs more than a plain one")
                .isGreaterThan(score.get("plain") * 10);
        assertThat(score.get("denied")).isGreaterThan(score.get("plain") * 10);
    }
}
