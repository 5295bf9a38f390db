package dev.agentmesh.benchmarks;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.AgentKilledError;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.KillTarget;
import java.nio.channels.Pipe;
import java.util.concurrent.CountDownLatch;
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
 * How long a kill takes to take effect, measured from the operator's {@code Hypervisor.kill} call:
 * <ul>
 *   <li>{@code newCallRefused}: until the killed agent's next governed call is refused (the kill itself, with its
 *       CONTROL record, then one refused call and its DENY record); target under 1 ms;</li>
 *   <li>{@code sleepingCallInterrupted}: until a governed call of the agent that sleeps in its body has ended with
 *       {@code InterruptedException} and its thread has finished;</li>
 *   <li>{@code ioCallInterrupted}: the same for a call blocked reading a pipe (interruptible I/O), which ends with
 *       {@code ClosedByInterruptException}.</li>
 * </ul>
 * Each invocation revives the agent afterwards, outside the measured time. Run from the repository root:
 * {@code java -jar benchmarks/target/benchmarks.jar KillSwitch}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = GovernedCallBenchmark.AGENT)
@State(Scope.Thread)
public class KillSwitchBenchmark {

    private static final KillTarget VICTIM = KillTarget.agent("bench-victim");

    private final BenchTools tools = new BenchTools();
    private Thread worker;
    private Pipe pipe;

    /**
     * Starts the victim's governed call on another thread and waits until its body runs.
     *
     * @param params which benchmark runs
     * @throws Exception if the call does not start
     */
    @Setup(Level.Invocation)
    public void startWorker(org.openjdk.jmh.infra.BenchmarkParams params) throws Exception {
        String name = params.getBenchmark();
        if (name.endsWith("newCallRefused")) {
            return;
        }
        CountDownLatch entered = new CountDownLatch(1);
        boolean io = name.endsWith("ioCallInterrupted");
        pipe = io ? Pipe.open() : null;
        worker = new Thread(() -> {
            try {
                AgentContext.runAs("bench-victim", () -> io ? tools.readPipe(pipe.source(), entered)
                        : tools.sleepy(entered));
            } catch (Exception expected) {
                // InterruptedException or ClosedByInterruptException: what the kill causes
            }
        });
        worker.start();
        if (!entered.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the governed call did not start");
        }
    }

    /**
     * Lifts the kill, outside the measured time.
     *
     * @throws Exception if the revival failed
     */
    @TearDown(Level.Invocation)
    public void revive() throws Exception {
        AgentContext.runAs("bench-operator", () -> Hypervisor.get().revive(VICTIM, "benchmark", "bench"));
        if (pipe != null) {
            pipe.sink().close();
            pipe.source().close();
            pipe = null;
        }
        worker = null;
    }

    /**
     * @return the refusal
     * @throws Exception if the kill failed
     * @throws IllegalStateException if the call was not refused, which fails the run
     */
    @Benchmark
    public AgentKilledError newCallRefused() throws Exception {
        kill();
        try {
            AgentContext.runAs("bench-victim", () -> tools.governed("after the kill"));
        } catch (AgentKilledError refused) {
            return refused;
        }
        throw new IllegalStateException("the killed agent's call ran");
    }

    /**
     * @throws Exception if the kill failed
     */
    @Benchmark
    public void sleepingCallInterrupted() throws Exception {
        killAndJoin();
    }

    /**
     * @throws Exception if the kill failed
     */
    @Benchmark
    public void ioCallInterrupted() throws Exception {
        killAndJoin();
    }

    /** Kills the victim and waits for its call in flight to end; fails the run if it does not within 10 s. */
    private void killAndJoin() throws Exception {
        kill();
        worker.join(10_000);
        if (worker.isAlive()) {
            throw new IllegalStateException("the killed agent's call in flight was not interrupted");
        }
    }

    private void kill() throws Exception {
        AgentContext.runAs("bench-operator", () -> Hypervisor.get().kill(VICTIM, "benchmark", "bench"));
    }
}
