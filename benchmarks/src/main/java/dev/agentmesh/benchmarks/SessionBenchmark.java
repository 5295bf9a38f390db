package dev.agentmesh.benchmarks;

import dev.agentmesh.api.GovernedAction;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code session.execute(...)} of an allowed action by an agent that joined the session beforehand: the ring check,
 * ALLOW written before the body runs, the body (the same one-argument tool as {@link GovernedCallBenchmark}'s, here
 * not annotated, so it is governed once, by {@code execute}), RETURNED written after; both records carry the
 * session's id. Issue 8 gives it the budget of an allowed, audited {@code @Ring} call
 * ({@code GovernedCallBenchmark.allowedAudited}).
 *
 * <p>The action is one lambda made once, as an application that keeps its tool actions would; a lambda written
 * inline at the call site that captures its arguments would add its own allocation (24 B here) to every call.
 * One session for the whole fork, opened (and the fork checked to be governed: a ring-1 action denied) in the
 * setup, terminated in the teardown. Run from the repository root:
 * {@code benchmarks/run.sh SessionBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = SessionBenchmark.AGENT)
@State(Scope.Thread)
public class SessionBenchmark {

    /** This benchmark's trail. */
    static final String TRAIL = "target/bench-audit-session";
    static final String AGENT = BenchTools.AGENT_WITH_TRAIL_IN + TRAIL;

    private final BenchTools tools = new BenchTools();
    private final String query = "agent governance";
    private final GovernedAction<Integer> search = () -> tools.plain(query);

    /**
     * @param joined the session, with the agent joined
     * @return the action's result
     */
    @Benchmark
    public Integer execute(BenchTools.JoinedSession joined) {
        return joined.session.execute(BenchTools.AGENT_ID, "tool_call", "web_search", 2, search);
    }
}
