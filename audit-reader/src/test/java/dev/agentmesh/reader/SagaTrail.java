package dev.agentmesh.reader;

import static dev.agentmesh.audit.format.SagaEvent.COMPENSATION_COMPLETED;
import static dev.agentmesh.audit.format.SagaEvent.COMPENSATION_FAILED;
import static dev.agentmesh.audit.format.SagaEvent.COMPENSATION_STARTED;
import static dev.agentmesh.audit.format.SagaEvent.SAGA_COMPENSATED;
import static dev.agentmesh.audit.format.SagaEvent.SAGA_COMPENSATING;
import static dev.agentmesh.audit.format.SagaEvent.SAGA_COMPENSATION_FAILED;
import static dev.agentmesh.audit.format.SagaEvent.SAGA_COMPLETED;
import static dev.agentmesh.audit.format.SagaEvent.SAGA_RECOVERING;
import static dev.agentmesh.audit.format.SagaEvent.SAGA_STARTED;
import static dev.agentmesh.audit.format.SagaEvent.STEP_COMPLETED;
import static dev.agentmesh.audit.format.SagaEvent.STEP_FAILED;
import static dev.agentmesh.audit.format.SagaEvent.STEP_STARTED;

import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.SagaEvent;
import java.nio.file.Path;

/**
 * A trail of five sagas, written with the real encoder and queue ({@link TrailFixture}), records one second apart,
 * the way the runtime journals them: STEP_STARTED before the step runs, outcomes with the attempt's duration,
 * failures with {@code retry} or {@code final} as their data.
 *
 * <pre>
 * seq  saga (session, agent)             record
 *   0                                    GENESIS writer-1
 *   1  A trip-0a1b2c3d4e5f (s-1, planner) SAGA_STARTED, data "trip"
 *   2  A                                 STEP_STARTED book-flight #1
 *   3                                    ALLOW planner Flights#book, in s-1
 *   4                                    RETURNED call 3
 *   5  A                                 STEP_COMPLETED book-flight #1, 12 ms
 *   6  A                                 STEP_STARTED book-hotel #1, flags pivot
 *   7  A                                 STEP_COMPLETED book-hotel #1, 3 ms
 *   8  A                                 SAGA_COMPLETED
 *   9  B trip-77aa88bb99cc (no session, booker) SAGA_STARTED
 *  10  B                                 STEP_STARTED book-flight #1
 *  11  C pay-1234567890ab (s-1, planner)  SAGA_STARTED
 *  12  B                                 STEP_COMPLETED book-flight #1, 10 ms
 *  13  B                                 STEP_STARTED book-hotel #1, key hotel-key-7, flags group=1
 *  14  B                                 STEP_FAILED book-hotel #1, 3.1 ms, retry: IOException no rooms
 *  15  C                                 STEP_STARTED charge #1
 *  16  B                                 STEP_STARTED book-hotel #2
 *  17  B                                 STEP_FAILED book-hotel #2, 5 s, final,unknown: SagaTimeoutException
 *  18  B                                 SAGA_COMPENSATING
 *  19  B                                 COMPENSATION_STARTED book-hotel #1
 *  20  B                                 COMPENSATION_COMPLETED book-hotel #1, 1 ms
 *  21  B                                 COMPENSATION_STARTED book-flight #1
 *  22  B                                 COMPENSATION_FAILED book-flight #1, 2 ms, retry: IOException airline down
 *  23  B                                 COMPENSATION_STARTED book-flight #2
 *  24  B                                 COMPENSATION_COMPLETED book-flight #2, 1.5 ms
 *  25  B                                 SAGA_COMPENSATED
 *  26  D refund-00000000000d (s-2, clerk) SAGA_STARTED
 *  27  D                                 STEP_STARTED lookup #1
 *  28  D                                 STEP_COMPLETED lookup #1, 1 ms
 *  29  D                                 STEP_STARTED pay-back #1
 *  30  D                                 STEP_FAILED pay-back #1, 2 ms, final
 *  31  D                                 SAGA_COMPENSATING
 *  32  D                                 COMPENSATION_STARTED lookup #1   (the run dies here)
 *  33                                    GENESIS writer-2                 (the application starts again)
 *  34  D                                 SAGA_RECOVERING, by writer-2
 *  35  D                                 COMPENSATION_STARTED lookup #2   (and the trail ends)
 *  36  E order-00000000000e (none, none) SAGA_STARTED
 *  37  E                                 STEP_STARTED reserve #1
 *  38  E                                 STEP_COMPLETED reserve #1, 1 ms
 *  39  E                                 STEP_STARTED ship #1
 *  40  E                                 STEP_FAILED ship #1, 1 ms, final
 *  41  E                                 SAGA_COMPENSATING
 *  42  E                                 COMPENSATION_STARTED reserve #1
 *  43  E                                 COMPENSATION_FAILED reserve #1, 1 ms, final: IllegalStateException gone
 *  44  E                                 SAGA_COMPENSATION_FAILED
 * </pre>
 *
 * A COMPLETED, a COMPENSATED and a COMPENSATION_FAILED saga; C unfinished while RUNNING, D while COMPENSATING.
 */
final class SagaTrail {

    static final String A = "trip-0a1b2c3d4e5f";
    static final String B = "trip-77aa88bb99cc";
    static final String C = "pay-1234567890ab";
    static final String D = "refund-00000000000d";
    static final String E = "order-00000000000e";

    /** Occurs once in the trail, in record 22's detail: a byte to flip. */
    static final String MARKER_22 = "airline down";

    static final String TIMEOUT = "dev.agentmesh.api.SagaTimeoutException: book-hotel took more than 5s";

    private SagaTrail() {
    }

    /** @return the trail above, written in {@code dir}; closed, its hashes kept */
    static TrailFixture write(Path dir) {
        try (TrailFixture t = TrailFixture.create(dir)) {
            saga(t, A, "s-1", "planner", SAGA_STARTED, "", 0, -1, "trip as planner, 2 steps, 3 attempts a step",
                    "trip\nbook-flight,book-hotel");
            started(t, A, "s-1", "planner", "book-flight", 1, "com.acme.Flights#cancel", A + ":book-flight", "");
            t.decision(RecordType.CALL_ALLOWED, "planner", 2, 2, "s-1", "com.acme.Flights", "book", "()V")
                    .outcome(RecordType.CALL_RETURNED, 3, 11_000_000L, "", "s-1");
            saga(t, A, "s-1", "planner", STEP_COMPLETED, "book-flight", 1, 12_000_000L, "", "s:BK-1");
            started(t, A, "s-1", "planner", "book-hotel", 1, "com.acme.Hotels#cancel", A + ":book-hotel", "pivot");
            saga(t, A, "s-1", "planner", STEP_COMPLETED, "book-hotel", 1, 3_000_000L, "", "s:H-7");
            saga(t, A, "s-1", "planner", SAGA_COMPLETED, "", 0, -1, "", "");

            saga(t, B, "", "booker", SAGA_STARTED, "", 0, -1, "trip as booker", "trip");
            started(t, B, "", "booker", "book-flight", 1, "com.acme.Flights#cancel", B + ":book-flight", "");
            saga(t, C, "s-1", "planner", SAGA_STARTED, "", 0, -1, "pay as planner", "pay");
            saga(t, B, "", "booker", STEP_COMPLETED, "book-flight", 1, 10_000_000L, "", "s:BK-2");
            started(t, B, "", "booker", "book-hotel", 1, "com.acme.Hotels#cancel", "hotel-key-7", "group=1");
            saga(t, B, "", "booker", STEP_FAILED, "book-hotel", 1, 3_100_000L, "java.io.IOException: no rooms",
                    "retry");
            started(t, C, "s-1", "planner", "charge", 1, "com.acme.Bank#refund", C + ":charge", "");
            started(t, B, "", "booker", "book-hotel", 2, "com.acme.Hotels#cancel", "hotel-key-7", "group=1");
            saga(t, B, "", "booker", STEP_FAILED, "book-hotel", 2, 5_000_000_000L, TIMEOUT, "final,unknown");
            saga(t, B, "", "booker", SAGA_COMPENSATING, "", 0, -1, TIMEOUT, "");
            saga(t, B, "", "booker", COMPENSATION_STARTED, "book-hotel", 1, -1, "", "");
            saga(t, B, "", "booker", COMPENSATION_COMPLETED, "book-hotel", 1, 1_000_000L, "", "");
            saga(t, B, "", "booker", COMPENSATION_STARTED, "book-flight", 1, -1, "", "");
            saga(t, B, "", "booker", COMPENSATION_FAILED, "book-flight", 1, 2_000_000L,
                    "java.io.IOException: " + MARKER_22, "retry");
            saga(t, B, "", "booker", COMPENSATION_STARTED, "book-flight", 2, -1, "", "");
            saga(t, B, "", "booker", COMPENSATION_COMPLETED, "book-flight", 2, 1_500_000L, "", "");
            saga(t, B, "", "booker", SAGA_COMPENSATED, "", 0, -1, "", "");

            saga(t, D, "s-2", "clerk", SAGA_STARTED, "", 0, -1, "refund as clerk", "refund");
            started(t, D, "s-2", "clerk", "lookup", 1, "none", D + ":lookup", "");
            saga(t, D, "s-2", "clerk", STEP_COMPLETED, "lookup", 1, 1_000_000L, "", "s:order-9");
            started(t, D, "s-2", "clerk", "pay-back", 1, "com.acme.Bank#charge", D + ":pay-back", "");
            saga(t, D, "s-2", "clerk", STEP_FAILED, "pay-back", 1, 2_000_000L, "java.io.IOException: bank", "final");
            saga(t, D, "s-2", "clerk", SAGA_COMPENSATING, "", 0, -1, "java.io.IOException: bank", "");
            saga(t, D, "s-2", "clerk", COMPENSATION_STARTED, "lookup", 1, -1, "", "");
            t.genesis("writer-2");
            saga(t, D, "s-2", "clerk", SAGA_RECOVERING, "", 0, -1, "recovered by writer-2", "");
            saga(t, D, "s-2", "clerk", COMPENSATION_STARTED, "lookup", 2, -1, "", "");

            saga(t, E, "", "", SAGA_STARTED, "", 0, -1, "order", "order");
            started(t, E, "", "", "reserve", 1, "com.acme.Stock#release", E + ":reserve", "");
            saga(t, E, "", "", STEP_COMPLETED, "reserve", 1, 1_000_000L, "", "s:R-1");
            started(t, E, "", "", "ship", 1, "none", E + ":ship", "");
            saga(t, E, "", "", STEP_FAILED, "ship", 1, 1_000_000L, "java.io.IOException: no truck", "final");
            saga(t, E, "", "", SAGA_COMPENSATING, "", 0, -1, "java.io.IOException: no truck", "");
            saga(t, E, "", "", COMPENSATION_STARTED, "reserve", 1, -1, "", "");
            saga(t, E, "", "", COMPENSATION_FAILED, "reserve", 1, 1_000_000L,
                    "java.lang.IllegalStateException: gone", "final");
            saga(t, E, "", "", SAGA_COMPENSATION_FAILED, "", 0, -1, "an operator is needed", "");
            return t;
        }
    }

    private static void saga(TrailFixture t, String sagaId, String session, String agent, SagaEvent event,
            String step, int attempt, long nanos, String detail, String data) {
        t.saga(session, sagaId, event, agent, step, attempt, nanos, detail, data);
    }

    /** A STEP_STARTED record, with its data: {@code <compensation>\n<idempotency key>\n<flags>}. */
    private static void started(TrailFixture t, String sagaId, String session, String agent, String step,
            int attempt, String compensation, String key, String flags) {
        saga(t, sagaId, session, agent, STEP_STARTED, step, attempt, -1, "", compensation + "\n" + key + "\n" + flags);
    }
}
