package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trip-booking saga example behaves as demo.sh shows it, under the real agent: a declined card compensates the
 * hotel then the flight; a run that dies mid-saga is finished by a later run, which undoes the flight exactly once
 * and the hotel (outcome unknown) with a {@code null} booking and its key; a second recovery finds nothing; and the
 * one trail all four runs share verifies and holds every saga transition.
 */
class TripExampleIT {

    private static final String MAIN = "dev.agentmesh.examples.trip.TripBooking";
    private static final Pattern SAGA_ID = Pattern.compile("saga (trip-[0-9a-f]{12}) as travel-agent-1");

    @Test
    void declinedCardCompensatesAndACrashedSagaIsRecoveredOnce(@TempDir Path tmp) throws Exception {
        Path policy = Paths.get(System.getProperty("user.dir")).resolve("../examples/trip-policy.yaml");
        Path audit = tmp.resolve("audit");
        Path ledgers = tmp.resolve("trip");
        String agent = "policy=" + policy + ",audit.dir=" + audit;

        // 1. The card is declined: the hotel is cancelled, then the flight.
        ForkedJvm.Result book = ForkedJvm.example(MAIN).withAgent(agent).args("book", ledgers.toString()).run();
        assertThat(book.exitCode()).as(book.toString()).isZero();
        String declined = sagaId(book);
        assertThat(book.stdout()).as(book.toString())
                .contains("  flight  booked F1001 (LHR-JFK), key " + declined + ":flight")
                .contains("  hotel   booked H2001 (New York, 3 nights), key " + declined + ":hotel")
                .contains("  charge  attempt 1 failed: payment gateway busy, try again")
                .contains("  charge  attempt 2 failed: card ending 0002 declined by the bank: insufficient funds")
                .contains("Saga " + declined + " ended COMPENSATED")
                .contains("  cause: CardDeclinedException: card ending 0002 declined by the bank: insufficient funds")
                .contains("  compensated, newest first: hotel, flight");
        assertThat(book.lines()).as(book.toString()).containsSubsequence(
                "  undo    hotel: cancelled H2001, key " + declined + ":hotel",
                "  undo    flight: cancelled F1001, key " + declined + ":flight");
        Trails.verifiedCount(audit);
        assertThat(sagaEvents(Trails.export(audit), declined)).containsExactly(
                "SAGA_STARTED", "STEP_STARTED flight 1", "STEP_COMPLETED flight 1",
                "STEP_STARTED hotel 1", "STEP_COMPLETED hotel 1",
                "STEP_STARTED charge 1", "STEP_FAILED charge 1", "STEP_STARTED charge 2", "STEP_FAILED charge 2",
                "SAGA_COMPENSATING",
                "COMPENSATION_STARTED hotel 1", "COMPENSATION_COMPLETED hotel 1",
                "COMPENSATION_STARTED flight 1", "COMPENSATION_COMPLETED flight 1",
                "SAGA_COMPENSATED");

        // 2. The JVM halts in the hotel step, after the hotel service booked but before the saga heard back.
        ForkedJvm.Result crash = ForkedJvm.example(MAIN).withAgent(agent).args("crash", ledgers.toString()).run();
        assertThat(crash.exitCode()).as(crash.toString()).isEqualTo(3);
        String crashed = sagaId(crash);
        assertThat(crash.stdout()).as(crash.toString())
                .contains("  flight  booked F1002 (LHR-JFK), key " + crashed + ":flight")
                .contains("  hotel   booked H2002 (New York, 3 nights), key " + crashed + ":hotel")
                .doesNotContain("ended");
        Trails.verifiedCount(audit);
        assertThat(sagaEvents(Trails.export(audit), crashed)).as("the trail stops with the hotel's outcome unknown")
                .containsExactly("SAGA_STARTED", "STEP_STARTED flight 1", "STEP_COMPLETED flight 1",
                        "STEP_STARTED hotel 1");
        assertThat(ledger(ledgers, "hotels", crashed)).containsExactly("BOOKED H2002");

        // 3. A fresh JVM finds the saga unfinished and undoes it: the hotel by key, then the flight by its booking.
        ForkedJvm.Result recover = ForkedJvm.example(MAIN).withAgent(agent).args("recover", ledgers.toString()).run();
        assertThat(recover.exitCode()).as(recover.toString()).isZero();
        assertThat(recover.lines()).as(recover.toString()).containsSubsequence(
                "  unfinished: " + crashed + " (trip) RUNNING as travel-agent-1 in session "
                        + sessionId(crash) + ", to compensate newest first: hotel, flight",
                "  undo    hotel: outcome unknown (null booking), found by key: cancelled H2002, key " + crashed
                        + ":hotel",
                "  undo    flight: cancelled F1002, key " + crashed + ":flight",
                "Saga " + crashed + " recovered: COMPENSATED",
                "  flight cancelled 1 time(s), hotel cancelled 1 time(s), repeated requests: 0");
        assertThat(recover.stdout()).as("only the crashed saga is unfinished").doesNotContain(declined);
        Trails.verifiedCount(audit);
        List<Map<String, String>> records = Trails.export(audit);
        assertThat(sagaEvents(records, crashed)).containsExactly(
                "SAGA_STARTED", "STEP_STARTED flight 1", "STEP_COMPLETED flight 1", "STEP_STARTED hotel 1",
                "SAGA_RECOVERING",
                "COMPENSATION_STARTED hotel 1", "COMPENSATION_COMPLETED hotel 1",
                "COMPENSATION_STARTED flight 1", "COMPENSATION_COMPLETED flight 1",
                "SAGA_COMPENSATED");
        assertThat(records).as("the flight's booking is on the trail, for recovery to hand to its compensation")
                .filteredOn(r -> crashed.equals(r.get("sagaId")) && "STEP_COMPLETED".equals(r.get("event")))
                .extracting(r -> r.get("data"))
                .containsExactly("r:dev.agentmesh.examples.trip.Booking;7:s:F10029:s:LHR-JFK26:s:" + crashed
                        + ":flight");

        // 4. A second recovery finds nothing, and nothing is cancelled twice.
        long before = records.size();
        ForkedJvm.Result again = ForkedJvm.example(MAIN).withAgent(agent).args("recover", ledgers.toString()).run();
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.stdout()).as(again.toString()).contains("  no unfinished saga: nothing to recover")
                .doesNotContain("undo");
        assertThat(Trails.verifiedCount(audit)).as("only the second recovery's GENESIS was added")
                .isEqualTo(before + 1);
        assertThat(ledger(ledgers, "flights", crashed)).containsExactly("BOOKED F1002", "CANCELLED F1002");
        assertThat(ledger(ledgers, "hotels", crashed)).containsExactly("BOOKED H2002", "CANCELLED H2002");
        assertThat(ledger(ledgers, "cards", crashed)).as("the charge never started").isEmpty();
        assertThat(ledger(ledgers, "flights", declined)).containsExactly("BOOKED F1001", "CANCELLED F1001");
        assertThat(ledger(ledgers, "hotels", declined)).containsExactly("BOOKED H2001", "CANCELLED H2001");
        assertThat(ledger(ledgers, "cards", declined)).containsExactly("BUSY -", "DECLINED -");
    }

    private static String sagaId(ForkedJvm.Result run) {
        Matcher m = SAGA_ID.matcher(run.stdout());
        assertThat(m.find()).as(run.toString()).isTrue();
        return m.group(1);
    }

    private static String sessionId(ForkedJvm.Result run) {
        Matcher m = Pattern.compile(" in session (s-[0-9a-f]+);").matcher(run.stdout());
        assertThat(m.find()).as(run.toString()).isTrue();
        return m.group(1);
    }

    /** The saga's SAGA records, each as {@code EVENT [step attempt]}. */
    private static List<String> sagaEvents(List<Map<String, String>> records, String sagaId) {
        return records.stream()
                .filter(r -> "SAGA".equals(r.get("type")) && sagaId.equals(r.get("sagaId")))
                .map(r -> r.get("event") + (r.containsKey("step") ? " " + r.get("step") + " " + r.get("attempt") : ""))
                .toList();
    }

    /** One fake service's ledger lines for one saga, each as {@code EVENT ref}. */
    private static List<String> ledger(Path dir, String service, String sagaId) throws Exception {
        Path file = dir.resolve(service + ".ledger");
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream()
                .map(line -> line.split("\t"))
                .filter(f -> f[1].startsWith(sagaId + ":"))
                .map(f -> f[0] + " " + f[2])
                .toList();
    }
}
