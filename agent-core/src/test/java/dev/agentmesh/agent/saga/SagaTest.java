package dev.agentmesh.agent.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.VerifiedTrail;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.session.AgentHypervisor;
import dev.agentmesh.agent.session.TestHypervisor;
import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.CompensationFailedException;
import dev.agentmesh.api.Saga;
import dev.agentmesh.api.SagaState;
import dev.agentmesh.api.SagaTimeoutException;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionClosedException;
import dev.agentmesh.api.SessionConfig;
import dev.agentmesh.api.StepContext;
import dev.agentmesh.api.StepOptions;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.SagaEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sagas against a real trail: the order of steps and compensations, retries, timeouts, the deadline, the pivot,
 * parallel groups, failed compensations, idempotency keys, non-compensable failures, and every transition on the
 * verified trail.
 */
class SagaTest {

    @TempDir
    Path dir;

    private TestHypervisor fixture;
    private AuditTrail trail;
    private AgentHypervisor hv;
    private Session session;
    /** What the fake downstream services saw, in order. */
    private final List<String> ledger = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() {
        fixture = TestHypervisor.open(dir, Policy.builder().defaultRing(2).defaultAgent("anon").agent("travel-1", 2));
        trail = fixture.trail;
        hv = fixture.hv;
        session = hv.createSession(SessionConfig.defaults());
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private String book(String what) {
        ledger.add("book " + what);
        return "BK-" + what;
    }

    private void cancel(String booking) {
        ledger.add("cancel " + booking);
    }

    private static Object fail(String why) throws IOException {
        throw new IOException(why);
    }

    @Test
    void theMinimalFormCompletes() throws Exception {
        Saga saga = session.saga("trip");
        saga.step("flight", () -> book("flight"), booking -> cancel(booking));
        saga.step("hotel", () -> book("hotel"), booking -> cancel(booking));
        saga.step("charge", () -> book("charge"), receipt -> cancel(receipt));

        assertThat(saga.run()).isEqualTo(SagaState.COMPLETED);

        assertThat(saga.state()).isEqualTo(SagaState.COMPLETED);
        assertThat(saga.failure()).isEmpty();
        assertThat(saga.result("hotel")).isEqualTo("BK-hotel");
        assertThat(ledger).containsExactly("book flight", "book hotel", "book charge");
        assertThat(sagaEvents(saga)).containsExactly("SAGA_STARTED", "STEP_STARTED flight 1",
                "STEP_COMPLETED flight 1", "STEP_STARTED hotel 1", "STEP_COMPLETED hotel 1", "STEP_STARTED charge 1",
                "STEP_COMPLETED charge 1", "SAGA_COMPLETED");
        AuditRecord completed = sagaRecords(saga).get(2);
        assertThat(completed.data()).isEqualTo("s:BK-flight");
        assertThat(completed.sessionId()).isEqualTo(session.id());
        assertThat(completed.durationNanos()).isPositive();
        assertThat(sagaRecords(saga).get(0).data()).isEqualTo("trip\nflight,hotel,charge");
        assertThat(sagaRecords(saga).get(1).data()).isEqualTo("trip/flight\n" + saga.id() + ":flight\n");
    }

    @Test
    void aFailedStepUndoesTheCompletedOnesNewestFirst() throws Exception {
        Saga saga = session.saga("trip");
        saga.step("flight", () -> book("flight"), booking -> cancel(booking));
        saga.step("hotel", () -> book("hotel"), booking -> cancel(booking));
        saga.step("charge", () -> fail("card declined"), receipt -> ledger.add("refund"));

        assertThat(saga.run()).isEqualTo(SagaState.COMPENSATED);

        assertThat(ledger).containsExactly("book flight", "book hotel", "cancel BK-hotel", "cancel BK-flight");
        assertThat(saga.failure().orElseThrow()).isInstanceOf(IOException.class).extracting(Throwable::getMessage)
                .isEqualTo("card declined");
        assertThat(saga.failure().get().getSuppressed()).isEmpty();
        assertThat(sagaEvents(saga)).containsSubsequence("STEP_FAILED charge 1", "SAGA_COMPENSATING",
                "COMPENSATION_STARTED hotel 1", "COMPENSATION_COMPLETED hotel 1", "COMPENSATION_STARTED flight 1",
                "COMPENSATION_COMPLETED flight 1", "SAGA_COMPENSATED");
        assertThat(sagaEvents(saga)).noneMatch(e -> e.startsWith("COMPENSATION_STARTED charge"));
        AuditRecord failed = find(saga, SagaEvent.STEP_FAILED);
        assertThat(failed.detail()).isEqualTo("java.io.IOException: card declined");
        assertThat(failed.data()).isEqualTo("final");
    }

    @Test
    void retriesWithBackoffBeforeCompensating() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        List<Long> at = Collections.synchronizedList(new ArrayList<>());
        Saga saga = session.saga("trip");
        saga.step("flight", () -> book("flight"), booking -> cancel(booking));
        saga.step("charge", () -> {
            at.add(System.nanoTime());
            if (tries.incrementAndGet() < 3) {
                throw new IOException("gateway busy");
            }
            return book("charge");
        }, receipt -> cancel(receipt), StepOptions.builder().maxAttempts(3).backoff(Duration.ofMillis(40)).build());

        assertThat(saga.run()).isEqualTo(SagaState.COMPLETED);

        assertThat(tries).hasValue(3);
        assertThat(sagaEvents(saga)).containsSubsequence("STEP_FAILED charge 1", "STEP_STARTED charge 2",
                "STEP_FAILED charge 2", "STEP_STARTED charge 3", "STEP_COMPLETED charge 3");
        assertThat(sagaRecords(saga)).filteredOn(r -> r.sagaEvent() == SagaEvent.STEP_FAILED)
                .extracting(AuditRecord::data).containsExactly("retry", "retry");
        // the waits double: 40 ms, then 80 ms (at least; the scheduler may add to them)
        assertThat(at.get(1) - at.get(0)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
        assertThat(at.get(2) - at.get(1)).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(80));
    }

    @Test
    void onlyTheListedExceptionsAreRetriedAndRetriesRunOutIntoCompensation() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        Saga saga = session.saga("trip");
        saga.step("flight", () -> book("flight"), booking -> cancel(booking));
        saga.step("charge", () -> {
            tries.incrementAndGet();
            throw new IllegalStateException("card blocked");
        }, receipt -> cancel((String) receipt), StepOptions.builder().maxAttempts(5).backoff(Duration.ZERO)
                .retryOn(IOException.class).build());
        Saga saga2 = session.saga("trip");
        saga2.step("flight", () -> book("flight2"), booking -> cancel(booking));
        saga2.step("charge", () -> fail("busy"), receipt -> cancel((String) receipt),
                StepOptions.builder().maxAttempts(3).backoff(Duration.ZERO).build());

        assertThat(saga.run()).isEqualTo(SagaState.COMPENSATED);
        assertThat(saga2.run()).isEqualTo(SagaState.COMPENSATED);

        assertThat(tries).as("not retryable: one attempt").hasValue(1);
        assertThat(sagaEvents(saga2)).filteredOn(e -> e.startsWith("STEP_STARTED charge")).hasSize(3);
        assertThat(ledger).containsExactly("book flight", "cancel BK-flight", "book flight2", "cancel BK-flight2");
    }

    @Test
    void aStepThatTimesOutIsInterruptedAndCompensatedWithANullResult() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        List<Object> undone = Collections.synchronizedList(new ArrayList<>());
        Saga saga = session.saga("trip");
        saga.step("flight", () -> book("flight"), booking -> cancel(booking));
        saga.step("hotel", () -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return "never";
        }, booking -> undone.add(booking == null ? "null" : booking),
                StepOptions.builder().timeout(Duration.ofMillis(100)).build());

        assertThat(saga.run()).isEqualTo(SagaState.COMPENSATED);

        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(saga.failure().orElseThrow()).isInstanceOf(SagaTimeoutException.class);
        assertThat(((SagaTimeoutException) saga.failure().get()).step()).isEqualTo("hotel");
        assertThat(undone).containsExactly("null");
        assertThat(ledger).containsExactly("book flight", "cancel BK-flight");
        assertThat(find(saga, SagaEvent.STEP_FAILED).data()).isEqualTo("final,unknown");
        assertThat(sagaEvents(saga)).containsSubsequence("COMPENSATION_COMPLETED hotel 1",
                "COMPENSATION_COMPLETED flight 1");
    }

    @Test
    void theDeadlineStopsTheSagaAndCompensates() throws Exception {
        Saga saga = session.saga("trip").deadline(Duration.ofMillis(150));
        saga.step("flight", () -> book("flight"), booking -> cancel(booking));
        saga.step("slow", () -> {
            Thread.sleep(400);
            return "slow";
        }, x -> ledger.add("undo slow " + x));
        saga.step("hotel", () -> book("hotel"), booking -> cancel(booking));

        assertThat(saga.run()).isEqualTo(SagaState.COMPENSATED);

        assertThat(saga.failure().orElseThrow()).isInstanceOf(SagaTimeoutException.class)
                .hasMessageContaining("deadline");
        assertThat(ledger).containsExactly("book flight", "undo slow null", "cancel BK-flight");
    }

    @Test
    void noRetryStartsOnceTheDeadlineWouldPass() throws Exception {
        Saga saga = session.saga("trip").deadline(Duration.ofMillis(80));
        saga.step("flight", () -> book("flight"), booking -> cancel(booking));
        saga.step("charge", () -> fail("busy"), null,
                StepOptions.builder().maxAttempts(3).backoff(Duration.ofMillis(500)).build());

        assertThat(saga.run()).isEqualTo(SagaState.COMPENSATED);

        // the step's own failure, with why it was not retried
        Throwable failure = saga.failure().orElseThrow();
        assertThat(failure).isInstanceOf(IOException.class);
        assertThat(failure.getSuppressed()).singleElement().isInstanceOf(SagaTimeoutException.class);
        assertThat(sagaEvents(saga)).containsSubsequence("STEP_STARTED charge 1", "STEP_FAILED charge 1")
                .doesNotContain("STEP_STARTED charge 2");
        assertThat(find(saga, SagaEvent.STEP_FAILED).data()).isEqualTo("final");
        assertThat(ledger).containsExactly("book flight", "cancel BK-flight");
    }

    @Test
    void afterThePivotNothingIsCompensated() throws Exception {
        Saga saga = session.saga("trip");
        saga.step("flight", () -> book("flight"), booking -> cancel(booking));
        saga.step("ticket", () -> book("ticket"), null, StepOptions.builder().pivot().build());
        saga.step("email", () -> fail("smtp down"), null);

        assertThat(saga.run()).isEqualTo(SagaState.FAILED);

        assertThat(ledger).containsExactly("book flight", "book ticket");
        assertThat(find(saga, SagaEvent.SAGA_FAILED).detail()).contains("pivot ticket");
        assertThat(find(saga, SagaEvent.STEP_STARTED).data()).endsWith("\n"); // flight: no flags
        assertThat(sagaRecords(saga)).filteredOn(r -> r.step().equals("ticket")).first()
                .extracting(AuditRecord::data).asString().endsWith("\npivot");
    }

    @Test
    void aFailureBeforeThePivotCompensatesAsUsual() throws Exception {
        Saga saga = session.saga("trip");
        saga.step("flight", () -> book("flight"), booking -> cancel(booking));
        saga.step("ticket", () -> fail("no seats"), null, StepOptions.builder().pivot().build());

        assertThat(saga.run()).isEqualTo(SagaState.COMPENSATED);
        assertThat(ledger).containsExactly("book flight", "cancel BK-flight");
    }

    @Test
    void parallelStepsRunAtOnceAndAllCompletedOnesAreUndone() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(2);
        Saga saga = session.saga("trip");
        saga.step("flight", () -> book("flight"), booking -> cancel(booking));
        saga.parallel(group -> group
                .step("hotel", () -> {
                    bothRunning.countDown();
                    assertThat(bothRunning.await(5, TimeUnit.SECONDS)).as("the car step runs meanwhile").isTrue();
                    return book("hotel");
                }, booking -> cancel(booking))
                .step("car", () -> {
                    bothRunning.countDown();
                    assertThat(bothRunning.await(5, TimeUnit.SECONDS)).isTrue();
                    return book("car");
                }, booking -> cancel(booking)));
        saga.step("charge", () -> fail("declined"), null);

        assertThat(saga.run()).isEqualTo(SagaState.COMPENSATED);

        assertThat(ledger.subList(3, 6)).containsExactly("cancel BK-car", "cancel BK-hotel", "cancel BK-flight");
        assertThat(sagaRecords(saga)).filteredOn(r -> r.step().equals("car")).first().extracting(AuditRecord::data)
                .asString().endsWith("\ngroup=1");
    }

    @Test
    void aFailureInAParallelGroupWaitsForTheOthersAndUndoesThem() throws Exception {
        Saga saga = session.saga("trip");
        saga.parallel(group -> group
                .step("hotel", () -> {
                    Thread.sleep(100);
                    return book("hotel");
                }, booking -> cancel(booking))
                .step("car", () -> fail("no cars"), booking -> cancel((String) booking)));

        assertThat(saga.run()).isEqualTo(SagaState.COMPENSATED);
        assertThat(ledger).containsExactly("book hotel", "cancel BK-hotel");
    }

    @Test
    void parallelCompensationRunsTheUndosAtOnce() throws Exception {
        CountDownLatch bothUndoing = new CountDownLatch(2);
        Saga saga = session.saga("trip").compensateInParallel();
        saga.step("flight", () -> book("flight"), booking -> {
            bothUndoing.countDown();
            assertThat(bothUndoing.await(5, TimeUnit.SECONDS)).as("the hotel's undo runs meanwhile").isTrue();
            cancel(booking);
        });
        saga.step("hotel", () -> book("hotel"), booking -> {
            bothUndoing.countDown();
            assertThat(bothUndoing.await(5, TimeUnit.SECONDS)).isTrue();
            cancel(booking);
        });
        saga.step("charge", () -> fail("declined"), null);

        assertThat(saga.run()).isEqualTo(SagaState.COMPENSATED);
        assertThat(ledger).contains("cancel BK-flight", "cancel BK-hotel");
    }

    @Test
    void aCompensationThatKeepsFailingEndsInCompensationFailedWithEveryCause() throws Exception {
        Saga saga = session.saga("trip");
        saga.step("flight", () -> book("flight"), booking -> cancel(booking));
        saga.step("hotel", () -> book("hotel"), booking -> {
            throw new IOException("hotel API down");
        }, StepOptions.builder().compensationAttempts(2).backoff(Duration.ZERO).build());
        saga.step("car", () -> book("car"), booking -> {
            throw new IllegalStateException("car API down");
        }, StepOptions.builder().compensationAttempts(1).build());
        saga.step("charge", () -> fail("declined"), null);

        assertThat(saga.run()).isEqualTo(SagaState.COMPENSATION_FAILED);

        assertThat(ledger).as("the flight is still undone").endsWith("cancel BK-flight");
        Throwable failure = saga.failure().orElseThrow();
        assertThat(failure).hasMessage("declined");
        assertThat(failure.getSuppressed()).hasSize(2).allMatch(t -> t instanceof CompensationFailedException);
        assertThat(((CompensationFailedException) failure.getSuppressed()[0]).step()).isEqualTo("car");
        assertThat(failure.getSuppressed()[0].getCause()).hasMessage("car API down");
        assertThat(failure.getSuppressed()[1].getCause()).hasMessage("hotel API down");
        assertThat(sagaEvents(saga)).containsSubsequence("COMPENSATION_FAILED car 1", "COMPENSATION_FAILED hotel 1",
                "COMPENSATION_FAILED hotel 2", "COMPENSATION_COMPLETED flight 1", "SAGA_COMPENSATION_FAILED");
        assertThat(sagaRecords(saga)).filteredOn(r -> r.sagaEvent() == SagaEvent.COMPENSATION_FAILED)
                .extracting(AuditRecord::data).containsExactly("final", "retry", "final");
    }

    @Test
    void actionAndCompensationSeeTheSameIdempotencyKey() throws Exception {
        List<String> keys = Collections.synchronizedList(new ArrayList<>());
        Saga saga = session.saga("trip");
        saga.step("flight", () -> {
            keys.add("action " + Saga.currentStep().orElseThrow().idempotencyKey());
            return "BK";
        }, booking -> keys.add("undo " + Saga.currentStep().orElseThrow().idempotencyKey()));
        saga.step("hotel", () -> {
            keys.add("action " + Saga.currentStep().map(StepContext::idempotencyKey).orElseThrow());
            return "H";
        }, booking -> keys.add("undo " + Saga.currentStep().map(StepContext::idempotencyKey).orElseThrow()),
                StepOptions.builder().idempotencyKey("order-42.hotel").build());
        saga.step("charge", () -> fail("declined"), null);

        saga.run();

        assertThat(keys).containsExactly("action " + saga.id() + ":flight", "action order-42.hotel",
                "undo order-42.hotel", "undo " + saga.id() + ":flight");
        assertThat(Saga.currentStep()).as("nothing left bound").isEmpty();
    }

    @Test
    void aNonCompensableFailureEndsTheSagaFailedWithNothingUndone() throws Exception {
        Saga saga = session.saga("trip").compensateOn(IOException.class);
        saga.step("flight", () -> book("flight"), booking -> cancel(booking));
        saga.step("charge", () -> {
            throw new IllegalArgumentException("bad amount");
        }, null);

        assertThat(saga.run()).isEqualTo(SagaState.FAILED);

        assertThat(ledger).containsExactly("book flight");
        assertThat(saga.failure().orElseThrow()).isInstanceOf(IllegalArgumentException.class);
        assertThat(find(saga, SagaEvent.SAGA_FAILED).detail()).contains("not a compensable failure");
    }

    @Test
    void stepsRunAsTheSagasAgentInItsSession() throws Exception {
        List<String> seen = new ArrayList<>();
        Saga saga = AgentContext.runAs("travel-1", () -> session.saga("trip"));
        saga.step("flight", () -> {
            seen.add(AgentContext.currentAgent().orElse("none") + " " + AgentContext.currentSession()
                    .map(Session::id).orElse("none"));
            return "BK";
        }, null);

        saga.run();

        assertThat(seen).containsExactly("travel-1 " + session.id());
        assertThat(session.participants()).contains("travel-1");
        assertThat(sagaRecords(saga)).allMatch(r -> r.agentId().equals("travel-1"));
    }

    @Test
    void compensationsRunEvenWhenTheCallerIsInterrupted() throws Exception {
        Saga saga = session.saga("trip");
        saga.step("flight", () -> book("flight"), booking -> {
            Thread.sleep(20); // would throw if the flag were still set
            cancel(booking);
        });
        saga.step("charge", () -> {
            Thread.currentThread().interrupt();
            throw new IOException("declined");
        }, null);

        assertThat(saga.run()).isEqualTo(SagaState.COMPENSATED);
        assertThat(Thread.interrupted()).as("the flag is restored for the caller").isTrue();
        assertThat(ledger).containsExactly("book flight", "cancel BK-flight");
    }

    @Test
    void aResultTheTrailCannotHoldFailsTheStepAndIsUndoneFromMemory() throws Exception {
        Object unrecordable = new Object();
        List<Object> undone = new ArrayList<>();
        Saga saga = session.saga("trip");
        saga.step("flight", () -> unrecordable, undone::add);

        assertThat(saga.run()).isEqualTo(SagaState.COMPENSATED);

        assertThat(undone).containsExactly(unrecordable);
        assertThat(saga.failure().orElseThrow()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot write a java.lang.Object");
        assertThat(find(saga, SagaEvent.STEP_FAILED).data()).isEqualTo("final,unknown");
    }

    @Test
    void definitionMistakesAreRefusedAtOnce() {
        Saga saga = session.saga("trip");
        saga.step("flight", () -> "x", null);
        assertThatThrownBy(() -> saga.step("flight", () -> "y", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has a step flight already");
        assertThatThrownBy(() -> saga.step("bad name", () -> "y", null))
                .isInstanceOf(IllegalArgumentException.class);
        saga.step("p1", () -> "y", null, StepOptions.builder().pivot().build());
        assertThatThrownBy(() -> saga.step("p2", () -> "y", null, StepOptions.builder().pivot().build()))
                .hasMessageContaining("at most one");
        assertThatThrownBy(() -> saga.parallel(g -> { })).hasMessageContaining("at least one step");
        assertThatThrownBy(() -> saga.parallel(g -> g.step("p3", () -> "z", null,
                StepOptions.builder().pivot().build()))).hasMessageContaining("cannot hold the pivot");
        assertThatThrownBy(() -> session.saga("trip").run()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no steps");
        saga.run();
        assertThatThrownBy(saga::run).isInstanceOf(IllegalStateException.class).hasMessageContaining("runs once");
        assertThatThrownBy(() -> saga.step("late", () -> "x", null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> saga.result("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aClosedSessionRefusesSagas() {
        Saga saga = session.saga("trip");
        saga.step("flight", () -> book("flight"), booking -> cancel(booking));
        session.terminate();
        assertThatThrownBy(saga::run).isInstanceOf(SessionClosedException.class);
        assertThatThrownBy(() -> session.saga("late")).isInstanceOf(SessionClosedException.class);
        assertThat(ledger).isEmpty();
    }

    @Test
    void sagaIdsAreUniqueAndNamed() {
        Saga a = session.saga("trip");
        Saga b = session.saga("trip");
        assertThat(a.id()).matches("trip-[0-9a-f]{12}").isNotEqualTo(b.id());
        assertThat(a.name()).isEqualTo("trip");
        assertThat(a.session()).isSameAs(session);
        assertThat(a.state()).isEqualTo(SagaState.CREATED);
    }

    @Test
    void everyTransitionIsOnTheVerifiedTrailWithTheSessionId() throws Exception {
        Saga saga = session.saga("trip");
        saga.step("flight", () -> book("flight"), booking -> cancel(booking));
        saga.step("charge", () -> fail("declined"), null);
        saga.run();
        List<AuditRecord> all = VerifiedTrail.read(dir); // throws if the chain does not verify
        assertThat(all).filteredOn(r -> r.type() == RecordType.SAGA_EVENT).hasSize(9)
                .allMatch(r -> r.sagaId().equals(saga.id()) && r.sessionId().equals(session.id()));
    }

    // ---------------------------------------------------------------- helpers

    private List<AuditRecord> sagaRecords(Saga saga) {
        try {
            return VerifiedTrail.read(dir).stream()
                    .filter(r -> r.type() == RecordType.SAGA_EVENT && r.sagaId().equals(saga.id())).toList();
        } catch (Exception e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }

    private List<String> sagaEvents(Saga saga) {
        return sagaRecords(saga).stream().map(r -> r.step().isEmpty() ? r.sagaEvent().name()
                : r.sagaEvent().name() + " " + r.step() + " " + r.attempt()).toList();
    }

    private AuditRecord find(Saga saga, SagaEvent event) {
        return sagaRecords(saga).stream().filter(r -> r.sagaEvent() == event).findFirst().orElseThrow();
    }
}
