package dev.agentmesh.agent.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.VerifiedTrail;
import dev.agentmesh.agent.policy.Policy;
import dev.agentmesh.agent.session.AgentHypervisor;
import dev.agentmesh.agent.session.TestHypervisor;
import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Saga;
import dev.agentmesh.api.SagaRecovery;
import dev.agentmesh.api.SagaState;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import dev.agentmesh.api.UnfinishedSaga;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.SagaEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery from the journal an earlier run left: the records a run that died would have written are put on a real
 * trail by hand (the forked-JVM kill tests are in {@code SagaCrashIT}), then a new hypervisor on the same trail
 * recovers them.
 */
class SagaRecoveryTest {

    /** A step result that exercises the codec's records across a "restart". */
    public record Booking(String ref, int nights) {
    }

    @TempDir
    Path dir;

    private TestHypervisor fixture;
    private AuditTrail trail;
    private AgentHypervisor hv;
    private final List<String> ledger = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() {
        fixture = TestHypervisor.open(dir, Policy.builder().defaultRing(2).defaultAgent("anon").agent("travel-1", 2));
        trail = fixture.trail;
        hv = fixture.hv;
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    /** The journal of a run that died: saga-level and step records as {@link AgentSaga} writes them. */
    private SagaJournal died(String sagaId, String steps) {
        SagaJournal journal = new SagaJournal(trail, "s-old", sagaId, "travel-1");
        journal.saga(SagaEvent.SAGA_STARTED, "saga trip", "trip\n" + steps);
        return journal;
    }

    private static void started(SagaJournal j, String step, String flags) {
        j.step(SagaEvent.STEP_STARTED, step, 1, -1, "", "trip/" + step + "\nkey-" + step + "\n" + flags);
    }

    private static void completed(SagaJournal j, String step, Object result) {
        j.step(SagaEvent.STEP_COMPLETED, step, 1, 1000, "", ValueCodec.encode(result));
    }

    private SagaRecovery handlers() {
        return hv.sagaRecovery()
                .compensation("trip", "flight", Booking.class, b -> ledger.add("cancel flight " + b + " key "
                        + Saga.currentStep().orElseThrow().idempotencyKey() + " as "
                        + AgentContext.currentAgent().orElse("none")))
                .compensation("trip", "hotel", String.class, b -> ledger.add("cancel hotel " + b))
                .compensation("trip", "charge", String.class, r -> ledger.add("refund " + r));
    }

    @Test
    void aStepStartedWithNoOutcomeIsUndoneWithNullAndTheCompletedOnesWithTheirResults() throws Exception {
        SagaJournal j = died("trip-000000000001", "flight,hotel,charge");
        started(j, "flight", "");
        completed(j, "flight", new Booking("BK-1", 3));
        started(j, "hotel", "");

        assertThat(handlers().unfinished()).singleElement().satisfies(u -> {
            assertThat(u.sagaId()).isEqualTo("trip-000000000001");
            assertThat(u.name()).isEqualTo("trip");
            assertThat(u.state()).isEqualTo(SagaState.RUNNING);
            assertThat(u.toCompensate()).containsExactly("hotel", "flight");
            assertThat(u.sessionId()).isEqualTo("s-old");
            assertThat(u.agentId()).isEqualTo("travel-1");
        });
        Map<String, SagaState> recovered = handlers().recover();

        assertThat(recovered).containsExactly(Map.entry("trip-000000000001", SagaState.COMPENSATED));
        assertThat(ledger).containsExactly("cancel hotel null",
                "cancel flight Booking[ref=BK-1, nights=3] key key-flight as travel-1");
        assertThat(events("trip-000000000001")).endsWith("SAGA_RECOVERING", "COMPENSATION_STARTED hotel 1",
                "COMPENSATION_COMPLETED hotel 1", "COMPENSATION_STARTED flight 1", "COMPENSATION_COMPLETED flight 1",
                "SAGA_COMPENSATED");
        // a second recovery finds nothing, and undoes nothing again
        assertThat(handlers().unfinished()).isEmpty();
        assertThat(handlers().recover()).isEmpty();
        assertThat(ledger).hasSize(2);
    }

    @Test
    void aSagaThatDiedCompensatingResumesWithoutRedoingFinishedUndos() throws Exception {
        SagaJournal j = died("trip-000000000002", "flight,hotel,charge");
        started(j, "flight", "");
        completed(j, "flight", new Booking("BK-2", 1));
        started(j, "hotel", "");
        completed(j, "hotel", "H-2");
        started(j, "charge", "");
        j.step(SagaEvent.STEP_FAILED, "charge", 1, 10, "java.io.IOException: declined", "final");
        j.saga(SagaEvent.SAGA_COMPENSATING, "java.io.IOException: declined", "");
        j.step(SagaEvent.COMPENSATION_STARTED, "hotel", 1, -1, "", "");
        j.step(SagaEvent.COMPENSATION_COMPLETED, "hotel", 1, 5, "", "");
        j.step(SagaEvent.COMPENSATION_STARTED, "flight", 1, -1, "", ""); // died here

        assertThat(handlers().unfinished()).singleElement().satisfies(u -> {
            assertThat(u.state()).isEqualTo(SagaState.COMPENSATING);
            assertThat(u.toCompensate()).containsExactly("flight");
        });
        assertThat(handlers().recover()).containsEntry("trip-000000000002", SagaState.COMPENSATED);

        assertThat(ledger).singleElement().asString().startsWith("cancel flight Booking[ref=BK-2");
        assertThat(events("trip-000000000002")).endsWith("COMPENSATION_STARTED flight 2",
                "COMPENSATION_COMPLETED flight 2", "SAGA_COMPENSATED");
    }

    @Test
    void aStepThatFailedWithAnUnknownOutcomeIsUndoneButOneThatSimplyFailedIsNot() throws Exception {
        SagaJournal j = died("trip-000000000003", "flight,hotel,charge");
        started(j, "flight", "");
        j.step(SagaEvent.STEP_FAILED, "flight", 1, 10, "dev.agentmesh.api.SagaTimeoutException: slow",
                "retry,unknown");
        j.step(SagaEvent.STEP_STARTED, "flight", 2, -1, "", "trip/flight\nkey-flight\n");
        completed(j, "flight", new Booking("BK-3", 2));
        started(j, "hotel", "");
        j.step(SagaEvent.STEP_FAILED, "hotel", 1, 10, "java.io.IOException: full", "final");

        handlers().recover();

        assertThat(ledger).containsExactly("cancel flight Booking[ref=BK-3, nights=2] key key-flight as travel-1");
    }

    @Test
    void aSagaWhoseStepsAllCompletedIsRecordedCompletedAndNothingIsUndone() throws Exception {
        SagaJournal j = died("trip-000000000004", "flight,hotel");
        started(j, "flight", "");
        completed(j, "flight", new Booking("BK-4", 1));
        started(j, "hotel", "");
        completed(j, "hotel", "H-4");

        assertThat(handlers().unfinished()).singleElement().extracting(UnfinishedSaga::toCompensate)
                .asList().isEmpty();
        assertThat(handlers().recover()).containsEntry("trip-000000000004", SagaState.COMPLETED);
        assertThat(ledger).isEmpty();
        assertThat(events("trip-000000000004")).endsWith("SAGA_RECOVERING", "SAGA_COMPLETED");
    }

    @Test
    void aSagaPastItsPivotIsLeftForAnOperator() throws Exception {
        SagaJournal j = died("trip-000000000005", "flight,ticket,email");
        started(j, "flight", "");
        completed(j, "flight", new Booking("BK-5", 1));
        j.step(SagaEvent.STEP_STARTED, "ticket", 1, -1, "", "-\nkey-ticket\npivot");
        completed(j, "ticket", "T-5");
        started(j, "email", "");

        assertThat(handlers().recover()).containsEntry("trip-000000000005", SagaState.FAILED);
        assertThat(ledger).isEmpty();
        assertThat(records("trip-000000000005")).last().extracting(AuditRecord::detail).asString()
                .contains("after its pivot ticket");
    }

    @Test
    void aMissingCompensationLeavesThatSagaUnfinishedAndRecoversTheOthers() throws Exception {
        SagaJournal a = died("trip-00000000000a", "flight,car");
        started(a, "flight", "");
        completed(a, "flight", new Booking("BK-A", 1));
        started(a, "car", "");
        SagaJournal b = died("trip-00000000000b", "hotel,charge");
        started(b, "hotel", "");
        completed(b, "hotel", "H-B");

        assertThatThrownBy(() -> handlers().recover()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("trip-00000000000a").hasMessageContaining("no compensation registered for "
                        + "step car").hasMessageContaining("compensation(\"trip\", \"car\", type, undo)");

        assertThat(ledger).containsExactly("cancel hotel H-B"); // b was recovered, a was left alone
        assertThat(handlers().unfinished()).extracting(UnfinishedSaga::sagaId).containsExactly("trip-00000000000a");
        handlers().compensation("trip", "car", String.class, c -> ledger.add("cancel car " + c)).recover();
        assertThat(ledger).containsExactly("cancel hotel H-B", "cancel car null",
                "cancel flight Booking[ref=BK-A, nights=1] key key-flight as travel-1");
    }

    @Test
    void aResultOfTheWrongTypeIsRefusedBeforeAnythingRuns() {
        SagaJournal j = died("trip-00000000000c", "hotel,charge");
        started(j, "hotel", "");
        completed(j, "hotel", 42);
        started(j, "charge", "");

        assertThatThrownBy(() -> handlers().recover()).hasMessageContaining("returned a java.lang.Integer")
                .hasMessageContaining("registered for java.lang.String");
        assertThat(ledger).isEmpty();
    }

    @Test
    void aSagaRunningInThisJvmIsNotUnfinished() throws Exception {
        Session session = hv.createSession(SessionConfig.defaults());
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Saga saga = session.saga("trip");
        saga.step("flight", () -> {
            inStep.countDown();
            release.await();
            return "BK";
        }, null);
        CompletableFuture<SagaState> run = CompletableFuture.supplyAsync(saga::run);
        assertThat(inStep.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(handlers().unfinished()).isEmpty();

        release.countDown();
        assertThat(run.get(5, TimeUnit.SECONDS)).isEqualTo(SagaState.COMPLETED);
    }

    private List<AuditRecord> records(String sagaId) throws Exception {
        return VerifiedTrail.read(dir).stream()
                .filter(r -> r.type() == RecordType.SAGA_EVENT && r.sagaId().equals(sagaId)).toList();
    }

    private List<String> events(String sagaId) throws Exception {
        return records(sagaId).stream().map(r -> r.step().isEmpty() ? r.sagaEvent().name()
                : r.sagaEvent().name() + " " + r.step() + " " + r.attempt()).toList();
    }
}
