package dev.agentmesh.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.SagaEvent;
import dev.agentmesh.audit.format.SessionEvent;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * CI's short smoke run of the benchmarks of the hypervisor's API and of throughput: every variant still runs in its
 * own fork with the agent attached, each fork refused a ring-1 action in its setup (so it was governed; a fork that
 * was not fails the run), and the trail each benchmark wrote verifies and holds the records its variants should
 * have written. The throughput fork checked its own trail record by record already. No timing is asserted; the
 * numbers come from full runs, in BENCHMARKS.md.
 */
class HypervisorBenchmarksSmokeTest {

    private static final String[] TRAILS = {SessionBenchmark.TRAIL, SharedStateBenchmark.TRAIL, SagaBenchmark.TRAIL,
        PipelineBenchmark.TRAIL, ThroughputBenchmark.TRAIL};

    /** A trail left by an interrupted run would be continued, and its records counted. */
    @BeforeAll
    @AfterAll
    static void deleteTheTrails() {
        BenchTools.deleteTrails(TRAILS);
    }

    @Test
    void everyVariantRunsGovernedAndItsTrailVerifies() throws Exception {
        assertThat(Paths.get("javaagent/target/agentmesh-javaagent.jar"))
                .as("runs from the repository root, where the forks find the agent").exists();
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("\\.(Session|SharedState|Saga|Pipeline|Throughput)Benchmark\\.")
                .warmupIterations(1).warmupTime(TimeValue.milliseconds(300))
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(300))
                .shouldFailOnError(true)
                .build()).run();
        List<String> ran = results.stream()
                .map(r -> r.getParams().getBenchmark().replaceAll(".*\\.(\\w+\\.\\w+)$", "$1")
                        + r.getParams().getParamsKeys().stream().map(k -> " " + r.getParams().getParam(k))
                                .collect(Collectors.joining()))
                .collect(Collectors.toList());
        assertThat(ran).containsExactlyInAnyOrder("SessionBenchmark.execute", "SharedStateBenchmark.put STRICT",
                "SharedStateBenchmark.put CAUSAL", "SharedStateBenchmark.put EVENTUAL", "SagaBenchmark.completed",
                "SagaBenchmark.compensated", "PipelineBenchmark.fullGovernancePipeline",
                "ThroughputBenchmark.allowedAudited");
        assertThat(results).allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive());

        // Each fork's setup had one ring-1 action denied; every ALLOW has its RETURNED.
        BenchTools.TrailTally session = BenchTools.TrailTally.of(SessionBenchmark.TRAIL);
        assertThat(session.count(RecordType.CALL_DENIED)).isEqualTo(1);
        assertThat(session.count(RecordType.CALL_ALLOWED)).isPositive()
                .isEqualTo(session.count(RecordType.CALL_RETURNED));
        assertThat(session.count(SessionEvent.TERMINATED)).isEqualTo(1);

        BenchTools.TrailTally state = BenchTools.TrailTally.of(SharedStateBenchmark.TRAIL);
        assertThat(state.count(RecordType.GENESIS)).as("one fork per mode").isEqualTo(3);
        assertThat(state.count(RecordType.CALL_DENIED)).isEqualTo(3);
        assertThat(state.count(SessionEvent.STATE_WRITE)).isPositive();
        assertThat(state.count(SessionEvent.TERMINATED)).isEqualTo(3);

        BenchTools.TrailTally saga = BenchTools.TrailTally.of(SagaBenchmark.TRAIL);
        assertThat(saga.count(SagaEvent.SAGA_COMPLETED)).isPositive();
        assertThat(saga.count(SagaEvent.SAGA_COMPENSATED)).isPositive();
        assertThat(saga.count(SagaEvent.COMPENSATION_COMPLETED)).as("two steps undone per compensated saga")
                .isEqualTo(2 * saga.count(SagaEvent.SAGA_COMPENSATED));
        assertThat(saga.count(SagaEvent.SAGA_STARTED)).as("every saga ended as its variant expects")
                .isEqualTo(saga.count(SagaEvent.SAGA_COMPLETED) + saga.count(SagaEvent.SAGA_COMPENSATED));

        BenchTools.TrailTally pipeline = BenchTools.TrailTally.of(PipelineBenchmark.TRAIL);
        long pipelines = pipeline.count(SagaEvent.SAGA_COMPLETED);
        assertThat(pipelines).isPositive();
        assertThat(pipeline.count(RecordType.CALL_ALLOWED)).as("three actions per pipeline").isEqualTo(3 * pipelines)
                .isEqualTo(pipeline.count(RecordType.CALL_RETURNED));
        assertThat(pipeline.count(SessionEvent.CREATED)).as("one session per pipeline, and the setup's")
                .isEqualTo(pipelines + 1).isEqualTo(pipeline.count(SessionEvent.TERMINATED));

        BenchTools.TrailTally throughput = BenchTools.TrailTally.of(ThroughputBenchmark.TRAIL);
        assertThat(throughput.count(RecordType.CALL_ALLOWED)).isPositive()
                .isEqualTo(throughput.count(RecordType.CALL_RETURNED));
        assertThat(throughput.total()).as("GENESIS, the setup's DENY, two records per call")
                .isEqualTo(2 + 2 * throughput.count(RecordType.CALL_ALLOWED));
    }
}
