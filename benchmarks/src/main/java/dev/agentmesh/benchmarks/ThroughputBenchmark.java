package dev.agentmesh.benchmarks;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.audit.format.RecordType;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of allowed, audited governed calls ({@code GovernedCallBenchmark.allowedAudited}'s {@code @Ring(2)}
 * tool, called by the ring-2 bench agent) from two threads at once, in total calls per second (JMH sums the
 * threads). Both threads append to the one hash chain, so they take turns on the trail's lock. Issue 8's target:
 * at least 1 million calls/s in total, with the trail verifying afterwards.
 *
 * <p>After the run, still in the fork, {@link Trail#verify} reads the trail this fork wrote with audit-format's
 * own {@code ChainVerifier} and fails the fork (so JMH reports the benchmark as failed) unless the whole chain
 * verifies and the run added exactly one ALLOW and one RETURNED per call counted, and nothing else. It prints the
 * count. The fork has its own trail, and opens Chronicle Queue itself to read it, hence the module flags Chronicle
 * needs on JDK 17 (the agent's own copy of Chronicle is hidden in the agent's class loader). Reading it takes about
 * as long again as the run (some 2 million records a second). Run from the repository root:
 * {@code benchmarks/run.sh Throughput}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Threads(2)
@Fork(value = 1, jvmArgsAppend = {ThroughputBenchmark.AGENT, BenchTools.CHRONICLE_ACCESS})
@State(Scope.Thread)
public class ThroughputBenchmark {

    /** This benchmark's trail. */
    static final String TRAIL = "target/bench-audit-throughput";
    static final String AGENT = BenchTools.AGENT_WITH_TRAIL_IN + TRAIL;

    /** Each benchmark thread's state, so the trail check can add up their calls. */
    private static final Queue<ThroughputBenchmark> THREADS = new ConcurrentLinkedQueue<>();

    private final BenchTools tools = new BenchTools();
    private final String query = "agent governance";
    private AgentContext.Scope scope;
    /** Calls this thread made, warm-up included; read by the trail check once every thread has stopped. */
    private long calls;

    /** Runs on the benchmark thread, so the agent in context is the one the calls see. */
    @Setup(Level.Trial)
    public void enterAgent() {
        scope = AgentContext.enter(BenchTools.AGENT_ID);
        THREADS.add(this);
    }

    /** Restores the thread's identity. */
    @TearDown(Level.Trial)
    public void leaveAgent() {
        scope.close();
    }

    /**
     * @param trail checks the trail after the run; not touched per call
     * @return the tool's result
     */
    @Benchmark
    public int allowedAudited(Trail trail) {
        calls++;
        return tools.governed(query);
    }

    /**
     * The trail's verification, before and after the run. Its trial teardown runs once, after every benchmark
     * thread has finished its last iteration.
     */
    @State(Scope.Benchmark)
    public static class Trail {
        private BenchTools.TrailTally before;

        /** Checks the fork is governed (a ring-1 call of the agent is denied), then counts the trail so far. */
        @Setup(Level.Trial)
        public void countBefore() {
            BenchTools.requireDenied("a @Ring(1) call of the ring-2 " + BenchTools.AGENT_ID,
                    () -> AgentContext.runAs(BenchTools.AGENT_ID, () -> new BenchTools().privileged("x")));
            before = BenchTools.TrailTally.of(TRAIL);
        }

        /** Verifies the whole trail and checks it holds two records for each call made; fails the fork if not. */
        @TearDown(Level.Trial)
        public void verify() {
            long calls = 0;
            for (ThroughputBenchmark thread : THREADS) {
                calls += thread.calls;
            }
            long start = System.nanoTime();
            BenchTools.TrailTally after = BenchTools.TrailTally.of(TRAIL);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long added = after.total() - before.total();
            long allowed = after.count(RecordType.CALL_ALLOWED) - before.count(RecordType.CALL_ALLOWED);
            long returned = after.count(RecordType.CALL_RETURNED) - before.count(RecordType.CALL_RETURNED);
            if (added != 2 * calls || allowed != calls || returned != calls) {
                throw new IllegalStateException("the trail in " + TRAIL + " verifies, but " + calls + " calls by "
                        + THREADS.size() + " threads added " + added + " records (" + allowed + " ALLOW, " + returned
                        + " RETURNED), not one ALLOW and one RETURNED per call; before: " + before + ", after: "
                        + after);
            }
            System.out.println("trail verified (ChainVerifier, " + millis + " ms): " + after + "; " + calls
                    + " calls by " + THREADS.size() + " threads added " + added + " records, 2 per call");
        }
    }
}
