package dev.agentmesh.benchmarks;

import dev.agentmesh.benchmarks.startup.FirstGovernedCall;
import dev.agentmesh.benchmarks.startup.HelloWorld;
import dev.agentmesh.audit.format.RecordType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Start-up, measured from outside: each invocation starts a new JVM running a tiny application and times, from just
 * before the process is started, until the application prints a line:
 *
 * <ul>
 *   <li>{@code timeToMain}: {@link HelloWorld} prints {@code main} as its {@code main} begins;</li>
 *   <li>{@code timeToFirstGovernedCall}: {@link FirstGovernedCall} prints {@code governed: …} once its first
 *       {@code @Ring(2)} call, made as the benchmark policy's ring-2 agent, returned (audited, with the agent).</li>
 * </ul>
 *
 * {@code jvm=plain} runs them with no agent (the floor); the others add only
 * {@code -javaagent:agentmesh-javaagent.jar=[policy=…,]audit.dir=…}, on a new trail each time, which is verified
 * after the JVM ended ({@code ChainVerifier}: GENESIS, and the one call's ALLOW and RETURNED). Each process is left
 * to end, outside the measured time, before the next one starts. Run from the repository root:
 * {@code java -jar benchmarks/target/benchmarks.jar Startup}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 20)
@Fork(value = 1, jvmArgsAppend = BenchTools.CHRONICLE_ACCESS)
@State(Scope.Benchmark)
public class StartupBenchmark {

    /** Where the agent variant's trails go, one at a time. */
    static final String TRAIL = "target/bench-audit-startup";

    /**
     * {@code plain}: no agent; {@code agent}: the agent with its built-in defaults (no policy file);
     * {@code agent-policy}: the agent with the benchmark policy, which it parses (SnakeYAML) before {@code main};
     * {@code otel}: the peer, OpenTelemetry's Java agent with no exporter, as {@link PeerOpenTelemetryBenchmark} runs
     * it (its {@code @WithSpan} is not on the tool, so its first call is not traced).
     */
    @Param({"plain", "agent", "agent-policy", "otel"})
    public String jvm;

    private Process process;
    private int launches;
    private String trail;

    /**
     * @return the time, in ns, until {@link HelloWorld} printed {@code main}
     * @throws IOException if the JVM cannot be started
     */
    @Benchmark
    public long timeToMain() throws IOException {
        return launchUntil(HelloWorld.class, "main");
    }

    /**
     * @return the time, in ns, until {@link FirstGovernedCall}'s governed call returned
     * @throws IOException if the JVM cannot be started
     */
    @Benchmark
    public long timeToFirstGovernedCall() throws IOException {
        return launchUntil(FirstGovernedCall.class, "governed: ");
    }

    /**
     * Waits for the JVM to end, checks that the agent's JVM governed its call, and deletes its trail: not measured.
     *
     * @param params which benchmark ran
     * @throws Exception if it does not end in a minute, ended with an error, or its trail is not as it should be
     */
    @TearDown(Level.Invocation)
    public void awaitExit(org.openjdk.jmh.infra.BenchmarkParams params) throws Exception {
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the " + jvm + " JVM did not end");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("the " + jvm + " JVM ended with " + process.exitValue());
        }
        if (trail != null) {
            BenchTools.TrailTally tally = BenchTools.TrailTally.of(trail);
            long calls = params.getBenchmark().endsWith("timeToFirstGovernedCall") ? 1 : 0;
            if (tally.count(RecordType.CALL_ALLOWED) != calls || tally.count(RecordType.CALL_RETURNED) != calls) {
                throw new IllegalStateException("expected " + calls + " governed call(s) on the trail: " + tally);
            }
        }
    }

    /** Deletes the trails; each JVM wrote a new one (reusing one directory, Chronicle's file locks can clash). */
    @TearDown(Level.Trial)
    public void deleteTrails() {
        BenchTools.deleteTrails(TRAIL);
    }

    private long launchUntil(Class<?> app, String linePrefix) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        trail = null;
        if (jvm.equals("otel")) {
            command.addAll(List.of(PeerOpenTelemetryBenchmark.AGENT, PeerOpenTelemetryBenchmark.NO_TRACES,
                    PeerOpenTelemetryBenchmark.NO_METRICS, PeerOpenTelemetryBenchmark.NO_LOGS,
                    PeerOpenTelemetryBenchmark.QUIET));
        } else if (!jvm.equals("plain")) {
            trail = TRAIL + "/" + ++launches;
            command.add(jvm.equals("agent-policy") ? BenchTools.AGENT_WITH_TRAIL_IN + trail
                    : "-javaagent:javaagent/target/agentmesh-javaagent.jar=audit.dir=" + trail);
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(app.getName());
        long start = System.nanoTime();
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith(linePrefix)) {
                long elapsed = System.nanoTime() - start;
                // Read on, outside the measured time, so the JVM never blocks on a full pipe.
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return elapsed;
            }
        }
        throw new IllegalStateException(app.getSimpleName() + " never printed " + linePrefix);
    }
}
