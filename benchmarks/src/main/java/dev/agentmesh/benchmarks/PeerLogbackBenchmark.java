package dev.agentmesh.benchmarks;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Issue 8's first peer: what a team would build by hand instead of AgentMesh, on the tool of
 * {@link GovernedCallBenchmark} ({@code int f(String query)}, a 16-character argument). Per call, application code
 * ({@link PeerTools#handAudited}, {@link PeerAuditLog}) checks the caller's ring in a map, writes the decision
 * record with AgentMesh's fields, SHA-256-chained, through SLF4J to Logback's {@code FileAppender}, runs the body,
 * and writes the outcome record the same way: two chained lines per call, as AgentMesh writes two records.
 * <ul>
 *   <li>{@code allowedAudited}: Logback's default, {@code immediateFlush=true}: every record is flushed to the file
 *       (one {@code write} system call per record), as an audit log would have it;</li>
 *   <li>{@code allowedAuditedBuffered}: {@code immediateFlush=false}: records collect in the appender's 8 KiB
 *       buffer, lost if the JVM dies before it is written.</li>
 * </ul>
 * AgentMesh's trail is a memory-mapped Chronicle Queue file, with no system call per record. None of the three
 * calls {@code fsync} per record, so none survives a machine crash record for record; an immediately flushed
 * record does survive the JVM's death, as AgentMesh's does.
 *
 * <p>Logback is on the benchmarks' class path without its SLF4J service entry (see benchmarks/pom.xml), so every
 * other fork keeps the SLF4J binding it had; these forks choose Logback with {@code -Dslf4j.provider} and read
 * {@code peer-logback.xml} from the jar. Each variant logs to its own file under {@value #DIR}, deleted when its
 * fork starts; {@code benchmarks/run.sh} deletes the folder afterwards. Run from the repository root:
 * {@code java -jar benchmarks/target/benchmarks.jar PeerLogback -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class PeerLogbackBenchmark {

    /** Where the variants' log files go. */
    static final String DIR = "target/bench-peer-logback";
    /** The default variant's log. */
    static final String IMMEDIATE_LOG = DIR + "/immediate-flush.log";
    /** The buffered variant's log. */
    static final String BUFFERED_LOG = DIR + "/buffered.log";
    /** The logger the records go to, configured in {@code peer-logback.xml}. */
    static final String LOGGER = "agentmesh.peer.audit";
    /** Its appender's name there. */
    static final String APPENDER = "AUDIT";

    private static final String LOGBACK = "-Dslf4j.provider=ch.qos.logback.classic.spi.LogbackServiceProvider";
    /** Without it SLF4J announces the provider chosen by {@link #LOGBACK} on stderr, amid JMH's output. */
    private static final String QUIET = "-Dslf4j.internal.verbosity=WARN";
    private static final String CONFIG = "-Dlogback.configurationFile=peer-logback.xml";

    private final String query = "agent governance";
    private PeerTools tools;

    /**
     * Starts Logback on a fresh file and checks that it is Logback, with the variant's flushing, that this fork
     * logs through. Runs on the benchmark thread, which then acts as a ring-2 agent.
     *
     * @param params which variant this fork runs
     * @throws IOException if the old log cannot be deleted
     */
    @Setup(Level.Trial)
    public void startLogging(BenchmarkParams params) throws IOException {
        boolean buffered = params.getBenchmark().endsWith("Buffered");
        Path file = Paths.get(buffered ? BUFFERED_LOG : IMMEDIATE_LOG);
        Files.deleteIfExists(file); // before Logback opens it: each fork's chain starts from zeros
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext)) {
            throw new IllegalStateException("SLF4J is bound to " + factory.getClass().getName() + ", not Logback");
        }
        Appender<?> appender = ((LoggerContext) factory).getLogger(LOGGER).getAppender(APPENDER);
        if (!(appender instanceof FileAppender) || ((FileAppender<?>) appender).isImmediateFlush() == buffered
                || !Paths.get(((FileAppender<?>) appender).getFile()).equals(file)) {
            throw new IllegalStateException("peer-logback.xml did not give " + LOGGER + " a FileAppender on " + file
                    + " with immediateFlush=" + !buffered + ": " + appender);
        }
        PeerAuditLog.actAs("bench-agent");
        tools = new PeerTools(new PeerAuditLog(LoggerFactory.getLogger(LOGGER),
                Map.of("bench-agent", PeerTools.REQUIRED_RING)));
    }

    /** Stops Logback, which writes out what the buffered variant still holds. */
    @TearDown(Level.Trial)
    public void stopLogging() {
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }

    /** @return the tool's result */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {LOGBACK, QUIET, CONFIG, "-Dpeer.logback.file=" + IMMEDIATE_LOG,
        "-Dpeer.logback.immediateFlush=true"})
    public int allowedAudited() {
        return tools.handAudited(query);
    }

    /** @return the tool's result */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {LOGBACK, QUIET, CONFIG, "-Dpeer.logback.file=" + BUFFERED_LOG,
        "-Dpeer.logback.immediateFlush=false"})
    public int allowedAuditedBuffered() {
        return tools.handAudited(query);
    }
}
