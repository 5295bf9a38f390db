package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.AnnotatedTripApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sagas declared with {@code @OpensSaga} and {@code @SagaStep}, woven by the real agent in a forked JVM: steps are
 * journaled, a throwing opening method undoes its steps newest first through compensations that take the result,
 * the arguments, or both, and a JVM that dies inside the saga is recovered by the next one from the trail.
 */
class AnnotatedSagaIT {

    private static final String POLICY = String.join("\n", "version: 1", "defaults:", "  ring: 3", "agents:",
            "  travel-1: {ring: 2}", "");

    @TempDir
    Path tmp;

    private ForkedJvm.Result run(Path audit, String mode) throws Exception {
        Path policy = Trails.policy(tmp, POLICY);
        return ForkedJvm.main(AnnotatedTripApp.class).withAgent("policy=" + policy + ",audit.dir=" + audit)
                .args(mode, tmp.resolve("ledger.txt").toString()).run();
    }

    private List<String> ledger() throws Exception {
        Path ledger = tmp.resolve("ledger.txt");
        return Files.exists(ledger) ? Files.readAllLines(ledger) : List.of();
    }

    private static List<String> sagaEvents(Path audit) throws Exception {
        return Trails.export(audit).stream().filter(r -> "SAGA".equals(r.get("type")))
                .map(r -> r.get("event") + (r.getOrDefault("step", "").isEmpty() ? "" : " " + r.get("step")))
                .toList();
    }

    @Test
    void anOpeningMethodThatReturnsCompletesItsSaga() throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result r = run(audit, "ok");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("RESULT receipt 2200");
        assertThat(ledger()).hasSize(4).first().asString().matches("ACTION flight LHR-JFK 2 key trip-[0-9a-f]{12}:"
                + "bookFlight");
        assertThat(sagaEvents(audit)).containsExactly("SAGA_STARTED", "STEP_STARTED bookFlight",
                "STEP_COMPLETED bookFlight", "STEP_STARTED hotel", "STEP_COMPLETED hotel", "STEP_STARTED note",
                "STEP_COMPLETED note", "STEP_STARTED charge", "STEP_COMPLETED charge", "SAGA_COMPLETED");
        Map<String, String> flight = Trails.export(audit).stream()
                .filter(x -> "STEP_COMPLETED".equals(x.get("event")) && "bookFlight".equals(x.get("step")))
                .findFirst().orElseThrow();
        assertThat(flight.get("agentId")).isEqualTo("travel-1");
        assertThat(flight.get("sessionId")).isNotEmpty();
    }

    @Test
    void anOpeningMethodThatThrowsUndoesTheCompletedStepsNewestFirst() throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result r = run(audit, "declined");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("THREW IOException card declined suppressed []");
        List<String> ledger = ledger();
        assertThat(ledger).hasSize(6);
        assertThat(ledger.get(4)).matches("UNDO hotel NYC 3 key trip-[0-9a-f]{12}:hotel");
        assertThat(ledger.get(5)).matches("UNDO flight Booking\\[ref=BK-LHR-JFK, route=LHR-JFK, seats=2] key "
                + "trip-[0-9a-f]{12}:bookFlight as travel-1");
        assertThat(sagaEvents(audit)).containsSubsequence("STEP_FAILED charge", "SAGA_COMPENSATING",
                "COMPENSATION_STARTED hotel", "COMPENSATION_COMPLETED hotel", "COMPENSATION_STARTED bookFlight",
                "COMPENSATION_COMPLETED bookFlight", "SAGA_COMPENSATED").doesNotContain("COMPENSATION_STARTED note");
    }

    @Test
    void aStepOutsideAnySagaIsAPlainMethod() throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result r = run(audit, "outside");
        assertThat(r.stdout()).as(r.toString()).contains("RESULT plain call");
        assertThat(sagaEvents(audit)).isEmpty();
    }

    @Test
    void aMissingCompensationMethodIsRefusedBeforeTheStepRuns() throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result r = run(audit, "badcompensation");
        assertThat(r.stdout()).as(r.toString()).contains("REFUSED @SagaStep", "names compensation \"noSuchMethod\"");
        assertThat(ledger()).isEmpty();
        assertThat(sagaEvents(audit)).containsExactly("SAGA_STARTED", "SAGA_COMPENSATING", "SAGA_COMPENSATED");
    }

    @Test
    void aJvmThatDiesInsideTheSagaIsRecoveredByTheNextFromTheTrail() throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result crashed = run(audit, "crash");
        assertThat(crashed.exitCode()).as(crashed.toString()).isEqualTo(3);
        assertThat(ledger()).containsExactly("ACTION flight LHR-JFK 2 key " + keyOf("bookFlight"),
                "ACTION hotel NYC 3", "ACTION note window seat", "ACTION charge 1200");

        ForkedJvm.Result recovered = run(audit, "recover");

        assertThat(recovered.exitCode()).as(recovered.toString()).isZero();
        assertThat(recovered.stdout()).contains("to compensate [charge, hotel, bookFlight]")
                .containsPattern("RECOVERED \\{trip-[0-9a-f]{12}=COMPENSATED}");
        List<String> undone = ledger().subList(4, ledger().size());
        assertThat(undone).hasSize(3);
        assertThat(undone.get(0)).isEqualTo("UNDO charge 0 1200"); // outcome unknown: a null receipt, unboxed to 0
        assertThat(undone.get(1)).startsWith("UNDO hotel NYC 3 key trip-");
        assertThat(undone.get(2)).startsWith("UNDO flight Booking[ref=BK-LHR-JFK, route=LHR-JFK, seats=2]")
                .endsWith("as travel-1");
        assertThat(sagaEvents(audit)).containsSubsequence("STEP_STARTED charge", "SAGA_RECOVERING",
                "COMPENSATION_COMPLETED charge", "COMPENSATION_COMPLETED hotel", "COMPENSATION_COMPLETED bookFlight",
                "SAGA_COMPENSATED");
        assertThat(Trails.verifiedCount(audit)).isPositive();

        ForkedJvm.Result again = run(audit, "recover");
        assertThat(again.stdout()).as(again.toString()).contains("UNFINISHED []", "RECOVERED {}");
        assertThat(ledger()).hasSize(7);
    }

    private String keyOf(String step) throws Exception {
        String line = ledger().get(0);
        return line.substring(line.lastIndexOf(' ') + 1).replaceAll(":.*", ":" + step);
    }
}
