package dev.agentmesh.benchmarks;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.RingViolationException;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * The cost of governing a tool call, each variant in its own JVM fork:
 * <ul>
 *   <li>{@code plain}: no agent; the floor;</li>
 *   <li>{@code plainMicrosecond}: no agent, a microsecond of computation: the machine's own tail, the control;</li>
 *   <li>{@code agentNotGoverned}: agent attached, method not annotated; should equal the floor;</li>
 *   <li>{@code allowedAudited}: {@code @Ring(2)} called by a ring-2 agent: ALLOW and RETURNED records written;</li>
 *   <li>{@code denied}: {@code @Ring(1)} called by the same agent: one DENY record, the exception caught;</li>
 *   <li>{@code allowedAuditedCheckpointed}: as {@code allowedAudited}, but the agent also keeps the Merkle tree and
 *       signs checkpoints, far more often than by default (every 1,000 records or 100 ms; the checkpointer signs
 *       at most every 100 ms, so about ten times a second here), so its checkpointer thread hashes every record
 *       while the calls are measured. All of it happens off the caller's thread; this variant shows what, if
 *       anything, it still costs the caller. Its own trail, anchor and a checked-in benchmark-only key; the fork
 *       fails if no checkpoint was signed during the measurement.</li>
 * </ul>
 * Run from the repository root (the forks find the agent jar and policy by relative path):
 * {@code java -jar benchmarks/target/benchmarks.jar GovernedCall -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class GovernedCallBenchmark {

    /** The agent, as a user adds it; the trail goes to a directory the runner script deletes afterwards. */
    static final String AGENT = "-javaagent:javaagent/target/agentmesh-javaagent.jar"
            + "=policy=benchmarks/bench-policy.yaml,audit.dir=target/bench-audit";

    /** {@link Blackhole#consumeCPU} tokens that take about 1 µs on the machine in BENCHMARKS.md. */
    static final long MICROSECOND_OF_TOKENS = 500;

    /** The checkpointed fork's trail: its own, so the other forks' trails stay unsigned and unchanged. */
    static final String CHECKPOINTED_DIR = "target/bench-audit-cp";
    /** Where that fork mirrors each checkpoint, outside its audit directory. */
    static final String CHECKPOINTED_ANCHOR = "target/bench-audit-cp-anchor.note";
    /** A BENCHMARK-ONLY Ed25519 key, checked in (see the file); a missing or bad key stops the fork at startup. */
    static final String CHECKPOINT_KEY = "benchmarks/bench-checkpoint-key.pem";
    /** Its public half, for {@code verify --pubkey}. */
    static final String CHECKPOINT_PUBLIC_KEY = "benchmarks/bench-checkpoint-key.pub.pem";
    /** The name the key signs under. */
    static final String CHECKPOINT_KEY_NAME = "bench";
    /** Every 1,000 records (a call writes two), or every 100 ms: 10 and 100 times the default cadence. */
    static final long CHECKPOINT_EVERY = 1000;

    /** The same agent, signing checkpoints aggressively. */
    static final String AGENT_CHECKPOINTED = "-javaagent:javaagent/target/agentmesh-javaagent.jar"
            + "=policy=benchmarks/bench-policy.yaml,audit.dir=" + CHECKPOINTED_DIR
            + ",checkpoint.key=" + CHECKPOINT_KEY + ",checkpoint.key.name=" + CHECKPOINT_KEY_NAME
            + ",checkpoint.anchor=" + CHECKPOINTED_ANCHOR
            + ",checkpoint.every=" + CHECKPOINT_EVERY + ",checkpoint.interval.ms=100";

    private final BenchTools tools = new BenchTools();
    private final String query = "agent governance";
    private AgentContext.Scope scope;

    /** Runs on the benchmark thread, so the agent in context is the one the calls see. */
    @Setup(Level.Trial)
    public void enterAgent() {
        scope = AgentContext.enter("bench-agent");
    }

    /** Restores the thread's identity. */
    @TearDown(Level.Trial)
    public void leaveAgent() {
        scope.close();
    }

    /** @return the tool's result */
    @Benchmark
    @Fork(1)
    public int plain() {
        return tools.plain(query);
    }

    /**
     * The control for the tail: no agent, about a microsecond of pure computation, as long as a governed call. Its
     * percentiles are what this machine alone (scheduler, hypervisor, timer interrupts) does to an operation of
     * that length; a governed call's tail is only ours where it is worse.
     *
     * @return the tool's result
     */
    @Benchmark
    @Fork(1)
    public int plainMicrosecond() {
        Blackhole.consumeCPU(MICROSECOND_OF_TOKENS);
        return tools.plain(query);
    }

    /** @return the tool's result */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = AGENT)
    public int agentNotGoverned() {
        return tools.plain(query);
    }

    /** @return the tool's result */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = AGENT)
    public int allowedAudited() {
        return tools.governed(query);
    }

    /**
     * @param checkpoints checks that checkpoints were signed while this ran; not touched per call
     * @return the tool's result
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = AGENT_CHECKPOINTED)
    public int allowedAuditedCheckpointed(Checkpoints checkpoints) {
        return tools.governed(query);
    }

    /** @return the denial */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = AGENT)
    public Object denied() {
        try {
            return tools.privileged(query);
        } catch (RingViolationException e) {
            return e;
        }
    }

    /**
     * Reads the checkpointed fork's latest signed checkpoint around the measurement iterations (outside the timed
     * region) and fails the fork unless checkpoints were signed during them, so the variant cannot silently measure
     * an agent that is not signing. It prints the records they covered.
     */
    @State(Scope.Benchmark)
    public static class Checkpoints {
        private static final Path NOTE = Paths.get(CHECKPOINTED_DIR, "checkpoint.note");
        private long sizeBefore = -1;
        private long sizeAfter = -1;

        /** @param iteration which iteration is starting */
        @Setup(Level.Iteration)
        public void before(IterationParams iteration) throws IOException {
            if (iteration.getType() == IterationType.MEASUREMENT && sizeBefore < 0) {
                sizeBefore = signedSize();
            }
        }

        /** @param iteration which iteration ended */
        @TearDown(Level.Iteration)
        public void after(IterationParams iteration) throws IOException {
            if (iteration.getType() == IterationType.MEASUREMENT) {
                sizeAfter = signedSize();
            }
        }

        /** Fails the fork if the checkpointer signed nothing while the calls were measured. */
        @TearDown(Level.Trial)
        public void check() {
            if (sizeAfter <= sizeBefore) {
                throw new IllegalStateException("no checkpoint was signed during the measurement (" + NOTE
                        + " covered " + sizeBefore + " records before it, " + sizeAfter + " after)");
            }
            System.out.println("checkpoints signed during the measurement covered records " + sizeBefore + " to "
                    + sizeAfter);
        }

        /** @return the tree size of the latest signed checkpoint, 0 if there is none yet */
        private static long signedSize() throws IOException {
            return Files.exists(NOTE) ? SignedCheckpoint.parse(Files.readAllBytes(NOTE)).checkpoint().size() : 0;
        }
    }
}
