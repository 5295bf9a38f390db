package dev.agentmesh.benchmarks;

import dev.agentmesh.api.ConsistencyMode;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import dev.agentmesh.api.SharedState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One write of a session's shared state ({@code session.state().put(agent, key, value)}) in each consistency mode,
 * by the one agent that joined the session, always to the same key (a 16-character key, a 27-character value):
 * the admission check, the mode's store, and the STATE_WRITE record (key, SHA-256 of the value, the store's clock),
 * written under the store's lock.
 * <ul>
 *   <li>{@code STRICT}: one copy behind one lock; the clock is a write counter;</li>
 *   <li>{@code CAUSAL}: vector clocks; each write supersedes the agent's previous one (it saw it), so no siblings
 *       pile up;</li>
 *   <li>{@code EVENTUAL}: the agent's replica, plus a spread to the other replicas scheduled on the hypervisor's
 *       state-sync thread (here there are none to reach, but the task is still scheduled, within half the
 *       convergence bound).</li>
 * </ul>
 * One session per fork, one fork per mode; the fork fails unless a ring-1 action is denied (setup) and the agent
 * reads back its own write (teardown). Run from the repository root: {@code benchmarks/run.sh SharedState}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = SharedStateBenchmark.AGENT)
@State(Scope.Thread)
public class SharedStateBenchmark {

    /** This benchmark's trail. */
    static final String TRAIL = "target/bench-audit-state";
    static final String AGENT = BenchTools.AGENT_WITH_TRAIL_IN + TRAIL;

    private static final String KEY = "research.summary";
    private static final String VALUE = "agent governance: 12 papers";

    /** The session's consistency mode. */
    @Param({"STRICT", "CAUSAL", "EVENTUAL"})
    public ConsistencyMode mode;

    private Session session;
    private SharedState state;

    /** Opens the session in {@link #mode}, with the agent joined; fails the fork unless it is governed. */
    @Setup(Level.Trial)
    public void openSession() {
        session = BenchTools.joinedSession(SessionConfig.builder().consistencyMode(mode).build());
        state = session.state();
    }

    /** Checks the writes took effect (the writer always reads its own write), then terminates the session. */
    @TearDown(Level.Trial)
    public void terminate() {
        String read = state.get(BenchTools.AGENT_ID, KEY).orElse(null);
        session.terminate();
        if (!VALUE.equals(read)) {
            throw new IllegalStateException(mode + ": the agent read " + read + " after writing " + VALUE);
        }
    }

    /** One write. */
    @Benchmark
    public void put() {
        state.put(BenchTools.AGENT_ID, KEY, VALUE);
    }
}
