package dev.agentmesh.benchmarks;

import dev.agentmesh.api.GovernedAction;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.Saga;
import dev.agentmesh.api.SagaState;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Python upstream's "full governance pipeline" ({@code bench_full_pipeline} in its
 * {@code benchmarks/bench_hypervisor.py}), one op = the whole pipeline, as close as our API allows:
 * <ol>
 *   <li>create a session ({@code SessionConfig.defaults()}: EVENTUAL, as upstream's default) — CREATED;</li>
 *   <li>join one agent — JOINED, and the session is ACTIVE;</li>
 *   <li>three governed actions by it, {@code session.execute(...)} — ALLOW and RETURNED each;</li>
 *   <li>a one-step saga run by it, no compensation — SAGA_STARTED, STEP_STARTED, STEP_COMPLETED,
 *       SAGA_COMPLETED;</li>
 *   <li>terminate the session, which returns its audit head — TERMINATED.</li>
 * </ol>
 * Thirteen hash-chained records on the trail per op. Sample mode, so the median compares with upstream's p50
 * (142 µs measured on this project's machine with Python 3.11, 268 µs in upstream's own table; issue 8's target is at
 * least 50 times faster).
 *
 * <p>What differs from upstream's benchmark:
 * <ul>
 *   <li>Upstream makes a new {@code Hypervisor()} in every iteration. Ours is the one the agent installs per JVM
 *       ({@code Hypervisor.get()}), so constructing it is not in the op; registering and unregistering the session
 *       in it is.</li>
 *   <li>{@code create_session(config, creator_did)}: our sessions have no creator.
 *       {@code join_session(sid, did, sigma_raw=0.8)} computes the agent's ring from a trust score; ours comes
 *       from the policy. Upstream's separate {@code activate_session} has no counterpart: a session is ACTIVE from
 *       its first join.</li>
 *   <li>Upstream's "three audit captures" are {@code delta_engine.capture(...)} calls: each hashes a described VFS
 *       change (SHA-256 over sorted-key JSON, chained) into an in-memory list, and nothing is governed or run.
 *       Ours are three governed actions: a ring check, a (trivial) body, and two SHA-256-chained records each,
 *       written to the Chronicle queue on disk before and after the body. Upstream's session lifecycle and saga
 *       leave no audit record at all; ours write seven more.</li>
 *   <li>Upstream's saga step ({@code create_saga}, {@code add_step} with no undo API, {@code execute_step} with
 *       an {@code asyncio.sleep(0)} executor under {@code asyncio.wait_for}'s 300 s timeout) leaves the saga
 *       RUNNING: upstream never marks a saga complete. Ours runs the step with default options (no timeout, so on
 *       the calling thread), journals it and ends COMPLETED; the step's body returns a constant.</li>
 *   <li>{@code terminate_session} returns the last delta's hash; ours waits for running actions, writes TERMINATED
 *       and returns its chain hash.</li>
 *   <li>Upstream runs in an asyncio event loop (its coroutine switches are part of its number), 100 warm-up and
 *       2,000 measured iterations timed with {@code perf_counter_ns}; ours runs synchronously on the caller's
 *       thread, in a JVM fork with the agent attached, 3 × 1 s warm-up and 5 × 1 s measured.</li>
 * </ul>
 * The setup fails the fork unless a ring-1 action of the agent is denied. Run from the repository root:
 * {@code benchmarks/run.sh PipelineBenchmark}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = PipelineBenchmark.AGENT)
@State(Scope.Thread)
public class PipelineBenchmark {

    /** This benchmark's trail. */
    static final String TRAIL = "target/bench-audit-pipeline";
    static final String AGENT = BenchTools.AGENT_WITH_TRAIL_IN + TRAIL;

    /** Upstream's three captures are of paths /f0, /f1, /f2 with content hashes h0, h1, h2. */
    private static final String[] ACTIONS = {"vfs_add_f0", "vfs_add_f1", "vfs_add_f2"};
    private static final GovernedAction<?>[] BODIES = {() -> "h0", () -> "h1", () -> "h2"};
    private static final GovernedAction<String> STEP = () -> "done";

    private Hypervisor hypervisor;

    /** Fails the fork unless it is governed: a ring-1 action of the ring-2 agent is denied. */
    @Setup(Level.Trial)
    public void requireGoverned() {
        hypervisor = Hypervisor.get();
        BenchTools.joinedSession(SessionConfig.defaults()).terminate();
    }

    /** @return the terminated session's audit head */
    @Benchmark
    public String fullGovernancePipeline() {
        Session session = hypervisor.createSession(SessionConfig.defaults());
        session.join(BenchTools.AGENT_ID);
        for (int i = 0; i < ACTIONS.length; i++) {
            session.execute(BenchTools.AGENT_ID, "tool_call", ACTIONS[i], 2, BODIES[i]);
        }
        Saga saga = session.saga("pipeline").as(BenchTools.AGENT_ID).step("action", STEP, null);
        if (saga.run() != SagaState.COMPLETED) {
            throw new IllegalStateException("saga " + saga.id() + " ended " + saga.state(),
                    saga.failure().orElse(null));
        }
        return session.terminate();
    }
}
