package dev.agentmesh.benchmarks;

import dev.agentmesh.api.Compensation;
import dev.agentmesh.api.GovernedAction;
import dev.agentmesh.api.Saga;
import dev.agentmesh.api.SagaState;
import dev.agentmesh.api.Session;
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
 * A saga of three steps (flight, hotel, charge), defined and run with the programmatic API
 * ({@code session.saga(name).as(agent).step(...)...run()}), one op = one whole saga:
 * <ul>
 *   <li>{@code completed}: every step completes. Journaled: SAGA_STARTED, STEP_STARTED and STEP_COMPLETED per step,
 *       SAGA_COMPLETED (8 records);</li>
 *   <li>{@code compensated}: the charge fails, so the hotel, then the flight, are compensated. Journaled:
 *       SAGA_STARTED, STEP_STARTED/STEP_COMPLETED twice, STEP_STARTED/STEP_FAILED, SAGA_COMPENSATING,
 *       COMPENSATION_STARTED/COMPENSATION_COMPLETED twice, SAGA_COMPENSATED (12 records).</li>
 * </ul>
 * The steps' bodies and compensations do nothing but return a booking string (encoded into the STEP_COMPLETED
 * record, and handed to the compensation), so this is the saga's own cost: ids, journaling, binding the agent and
 * session for each step, default options (one attempt, no timeout, so no pool thread). The failing step throws an
 * exception made without a stack trace, so the JVM's stack walk is not counted as the saga's. Each saga runs as
 * the ring-2 bench agent in one session opened for the fork (which fails unless a ring-1 action is denied in it);
 * a saga that does not end as expected fails the run. Run from the repository root:
 * {@code benchmarks/run.sh SagaBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = SagaBenchmark.AGENT)
@State(Scope.Thread)
public class SagaBenchmark {

    /** This benchmark's trail. */
    static final String TRAIL = "target/bench-audit-saga";
    static final String AGENT = BenchTools.AGENT_WITH_TRAIL_IN + TRAIL;

    private static final GovernedAction<String> FLIGHT = () -> "flight LHR-JFK";
    private static final GovernedAction<String> HOTEL = () -> "hotel NYC 2 nights";
    private static final GovernedAction<String> CHARGE = () -> "charge 1200";
    private static final GovernedAction<String> DECLINED = () -> {
        throw new Declined();
    };
    private static final Compensation<String> CANCEL = booking -> { };

    /**
     * @param joined the session the sagas run in
     * @return COMPLETED
     */
    @Benchmark
    public SagaState completed(BenchTools.JoinedSession joined) {
        return run(trip(joined.session).step("charge", CHARGE, CANCEL), SagaState.COMPLETED);
    }

    /**
     * @param joined the session the sagas run in
     * @return COMPENSATED
     */
    @Benchmark
    public SagaState compensated(BenchTools.JoinedSession joined) {
        return run(trip(joined.session).step("charge", DECLINED, CANCEL), SagaState.COMPENSATED);
    }

    /** @return a saga in {@code session} with its first two steps */
    private static Saga trip(Session session) {
        return session.saga("trip").as(BenchTools.AGENT_ID)
                .step("flight", FLIGHT, CANCEL)
                .step("hotel", HOTEL, CANCEL);
    }

    private static SagaState run(Saga saga, SagaState expected) {
        SagaState end = saga.run();
        if (end != expected) {
            throw new IllegalStateException("saga " + saga.id() + " ended " + end + ", not " + expected,
                    saga.failure().orElse(null));
        }
        return end;
    }

    /** The card was declined; no stack trace. */
    private static final class Declined extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Declined() {
            super("card declined", null, false, false);
        }
    }
}
