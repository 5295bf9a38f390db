package dev.agentmesh.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Paths;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * CI's smoke run of {@link StartupBenchmark}: one launch of each measured JVM with the agent, with and without a
 * policy. Each launch's trail was verified after its JVM ended (its GENESIS, and the first call's ALLOW and
 * RETURNED), and a launch that failed fails the run. No timing is asserted; the numbers are in BENCHMARKS.md.
 */
class StartupBenchmarkSmokeTest {

    @Test
    void eachAgentJvmStartsRunsMainAndLeavesAVerifiedTrail() throws Exception {
        assertThat(Paths.get("javaagent/target/agentmesh-javaagent.jar"))
                .as("runs from the repository root, where the launches find the agent").exists();
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(StartupBenchmark.class.getName())
                .param("jvm", "agent", "agent-policy")
                .warmupIterations(0)
                .measurementIterations(1)
                .shouldFailOnError(true)
                .build()).run();
        List<String> ran = results.stream()
                .map(r -> r.getParams().getBenchmark().replaceAll(".*\\.", "") + " " + r.getParams().getParam("jvm"))
                .toList();
        assertThat(ran).containsExactlyInAnyOrder("timeToMain agent", "timeToMain agent-policy",
                "timeToFirstGovernedCall agent", "timeToFirstGovernedCall agent-policy");
        assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());
    }
}
