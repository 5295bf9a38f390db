package dev.agentmesh.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Paths;
import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * CI's short smoke run of the kill-switch benchmark: each variant runs under the real agent, and a run fails if the
 * killed agent's new call was not refused or its call in flight not interrupted. The numbers come from full runs,
 * in BENCHMARKS.md.
 */
class KillSwitchBenchmarkSmokeTest {

    @Test
    void everyVariantRunsAndTheKillTakesEffect() throws Exception {
        assertThat(Paths.get("javaagent/target/agentmesh-javaagent.jar"))
                .as("runs from the repository root, where the fork finds the agent").exists();
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(KillSwitchBenchmark.class.getName())
                .warmupIterations(0)
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(300))
                .shouldFailOnError(true)
                .build()).run();
        assertThat(results).hasSize(3);
    }
}
