package dev.agentmesh.benchmarks;

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
 * Issue 8's second peer: an observability agent's cost on the tool of {@link GovernedCallBenchmark}
 * ({@code int f(String query)}, a 16-character argument). The OpenTelemetry Java agent is attached to the fork as a
 * user adds it, with every exporter off, so a span is started, made current, ended and dropped per call:
 * <ul>
 *   <li>{@code agentNotAnnotated}: agent attached, the plain method ({@link BenchTools#plain}); its floor;</li>
 *   <li>{@code withSpan}: the same method annotated {@code @WithSpan} ({@link PeerTools#withSpan}).</li>
 * </ul>
 * Both forks fail at setup unless an annotated method runs inside a valid span, i.e. unless the agent is really
 * there. The agent jar is copied to benchmarks/target by the build; run from the repository root:
 * {@code java -jar benchmarks/target/benchmarks.jar PeerOpenTelemetry -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class PeerOpenTelemetryBenchmark {

    /** The agent, where the build copies it. */
    static final String AGENT_JAR = "benchmarks/target/opentelemetry-javaagent.jar";
    static final String AGENT = "-javaagent:" + AGENT_JAR;
    static final String NO_TRACES = "-Dotel.traces.exporter=none";
    static final String NO_METRICS = "-Dotel.metrics.exporter=none";
    static final String NO_LOGS = "-Dotel.logs.exporter=none";
    /** The agent's own log (its version line at startup, any warnings) off. */
    static final String QUIET = "-Dotel.javaagent.logging=none";

    private final BenchTools plainTools = new BenchTools();
    private final PeerTools tools = new PeerTools(null);
    private final String query = "agent governance";

    /** Fails the fork unless the OpenTelemetry agent traces {@code @WithSpan} methods in it. */
    @Setup(Level.Trial)
    public void checkTheAgent() {
        if (!tools.insideSpan()) {
            throw new IllegalStateException("no span inside a @WithSpan method: the OpenTelemetry agent ("
                    + AGENT_JAR + ") is not attached to this fork");
        }
    }

    /** @return the tool's result */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {AGENT, NO_TRACES, NO_METRICS, NO_LOGS, QUIET})
    public int agentNotAnnotated() {
        return plainTools.plain(query);
    }

    /** @return the tool's result */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {AGENT, NO_TRACES, NO_METRICS, NO_LOGS, QUIET})
    public int withSpan() {
        return tools.withSpan(query);
    }
}
