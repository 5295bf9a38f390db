package dev.agentmesh.benchmarks;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.RingViolationException;
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

/**
 * The cost of governing a tool call, each variant in its own JVM fork:
 * <ul>
 *   <li>{@code plain}: no agent; the floor;</li>
 *   <li>{@code agentNotGoverned}: agent attached, method not annotated; should equal the floor;</li>
 *   <li>{@code allowedAudited}: {@code @Ring(2)} called by a ring-2 agent: ALLOW and RETURNED records written;</li>
 *   <li>{@code denied}: {@code @Ring(1)} called by the same agent: one DENY record, the exception caught.</li>
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
}
