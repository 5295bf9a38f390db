package dev.agentmesh.examples.trip;

import dev.agentmesh.api.Compensation;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.Saga;
import dev.agentmesh.api.SagaRecovery;
import dev.agentmesh.api.SagaState;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import dev.agentmesh.api.StepContext;
import dev.agentmesh.api.StepOptions;
import dev.agentmesh.api.UnfinishedSaga;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Books a trip as a durable saga: a flight, then a hotel, then the charge. Run it under the agent with
 * {@code trip-policy.yaml}; {@code travel-agent-1} (ring 1) acts in a session, and every transition of the saga is
 * a SAGA record on the audit trail, written ahead.
 *
 * <ul>
 *   <li>{@code TripBooking book <dir>}: the card is declined (after one retry of a busy gateway), so the saga
 *       cancels the hotel, then the flight, and ends COMPENSATED.</li>
 *   <li>{@code TripBooking crash <dir>}: the flight is booked, the hotel too, and the JVM halts before the saga
 *       learns the hotel's outcome (exit code {@value #CRASH_EXIT}).</li>
 *   <li>{@code TripBooking recover <dir>}: a fresh JVM finds the unfinished saga on the trail and undoes it: the
 *       flight with the booking the trail recorded, the hotel (outcome unknown) with a {@code null} booking and its
 *       idempotency key. A second recover finds nothing.</li>
 * </ul>
 *
 * <p>The fake airline, hotel and payment services keep their ledgers in {@code <dir>} and de-duplicate requests by
 * idempotency key, so the ledgers show each booking cancelled exactly once.
 */
public final class TripBooking {

    /** The saga's name: recovery finds the compensations by it. */
    public static final String SAGA = "trip";
    /** The agent the saga runs as; the policy gives it ring 1, as it spends money. */
    public static final String AGENT = "travel-agent-1";
    /** The exit code of the crash run. */
    public static final int CRASH_EXIT = 3;

    private static final String ROUTE = "LHR-JFK";
    private static final String STAY = "New York, 3 nights";
    private static final long PRICE_CENTS = 184_000;

    private final Flights flights;
    private final Hotels hotels;
    private final Cards cards;
    private final List<String> undone = new ArrayList<>();

    private TripBooking(Path dir) {
        this.flights = new Flights(dir);
        this.hotels = new Hotels(dir);
        this.cards = new Cards(dir);
    }

    /**
     * @param args {@code book|crash|recover} (default {@code book}), then the directory of the services' ledgers
     *     (default {@code trip-out})
     */
    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "book";
        Path dir = Paths.get(args.length > 1 ? args[1] : "trip-out");
        TripBooking trip = new TripBooking(dir);
        switch (mode) {
            case "book" -> trip.book(dir);
            case "crash" -> trip.crash(dir);
            case "recover" -> trip.recover(dir);
            default -> {
                System.err.println("usage: TripBooking [book|crash|recover] [ledger-dir]");
                System.exit(2);
            }
        }
    }

    /** The card is declined: the saga undoes the hotel, then the flight. */
    private void book(Path dir) {
        Session session = Hypervisor.get().createSession(SessionConfig.defaults());
        Saga saga = session.saga(SAGA).as(AGENT);
        System.out.println("Trip booking: saga " + saga.id() + " as " + AGENT + " in session " + session.id()
                + "; the services' ledgers are in " + dir);
        saga.step("flight", this::bookFlight, cancelFlight());
        saga.step("hotel", this::bookHotel, cancelHotel());
        saga.step("charge", () -> charge(Cards.DECLINED_CARD), refund(), StepOptions.builder()
                .maxAttempts(2)                                  // one retry...
                .backoff(Duration.ofMillis(50))                  // ...after 50 ms...
                .retryOn(Cards.GatewayBusyException.class)       // ...of a transient failure only
                .build());
        SagaState end = saga.run();
        System.out.println("Saga " + saga.id() + " ended " + end);
        saga.failure().ifPresent(cause -> System.out.println("  cause: " + cause.getClass().getSimpleName() + ": "
                + cause.getMessage()));
        System.out.println("  compensated, newest first: " + (undone.isEmpty() ? "nothing" : String.join(", ", undone)));
        System.out.println("  session ended; its audit head is " + session.terminate());
    }

    /** The flight is booked, then the JVM halts while the hotel step runs. */
    private void crash(Path dir) {
        Session session = Hypervisor.get().createSession(SessionConfig.defaults());
        Saga saga = session.saga(SAGA).as(AGENT);
        System.out.println("Trip booking that crashes: saga " + saga.id() + " as " + AGENT + " in session "
                + session.id() + "; the services' ledgers are in " + dir);
        saga.step("flight", this::bookFlight, cancelFlight());
        saga.step("hotel", () -> {
            Booking booked = hotels.book(STAY, key());
            System.out.println("  hotel   booked " + booked.ref() + " (" + STAY + "), key " + key()
                    + ", and the JVM halts before the saga hears back (exit " + CRASH_EXIT + ")");
            System.out.flush();
            Runtime.getRuntime().halt(CRASH_EXIT);
            return booked;
        }, cancelHotel());
        saga.step("charge", () -> charge("4111111111111111"), refund());
        saga.run();
        throw new AssertionError("the JVM was to halt in the hotel step");
    }

    /** Finishes the sagas an earlier run left unfinished. */
    private void recover(Path dir) {
        SagaRecovery recovery = Hypervisor.get().sagaRecovery()
                .compensation(SAGA, "flight", Booking.class, cancelFlight())
                .compensation(SAGA, "hotel", Booking.class, cancelHotel())
                .compensation(SAGA, "charge", Receipt.class, refund());
        System.out.println("Recovery: reading the audit trail for sagas an earlier run left unfinished; "
                + "the services' ledgers are in " + dir);
        List<UnfinishedSaga> unfinished = recovery.unfinished();
        if (unfinished.isEmpty()) {
            System.out.println("  no unfinished saga: nothing to recover");
            return;
        }
        for (UnfinishedSaga saga : unfinished) {
            System.out.println("  unfinished: " + saga.sagaId() + " (" + saga.name() + ") " + saga.state()
                    + " as " + saga.agentId() + " in session " + saga.sessionId() + ", to compensate newest first: "
                    + String.join(", ", saga.toCompensate()));
        }
        Map<String, SagaState> recovered = recovery.recover();
        recovered.forEach((id, state) -> System.out.println("Saga " + id + " recovered: " + state));
        for (String id : recovered.keySet()) {
            printLedgers(id);
        }
    }

    /** What the services' ledgers hold for one saga: each booking and its cancellation, and any repeat. */
    private void printLedgers(String sagaId) {
        System.out.println("  ledgers for " + sagaId + ":");
        List<Ledger.Entry> all = new ArrayList<>();
        for (Ledger ledger : List.of(flights.ledger(), hotels.ledger(), cards.ledger())) {
            String service = ledger.file().getFileName().toString();
            for (Ledger.Entry e : ledger.entries()) {
                if (e.key().startsWith(sagaId + ":")) {
                    all.add(e);
                    System.out.printf("    %-14s %-9s %-5s %s%n", service, e.event(), e.ref(), e.detail());
                }
            }
        }
        System.out.println("  flight cancelled " + count(all, "CANCELLED", ":flight") + " time(s), hotel cancelled "
                + count(all, "CANCELLED", ":hotel") + " time(s), repeated requests: " + count(all, "REPEAT", ""));
    }

    private static long count(List<Ledger.Entry> entries, String event, String keySuffix) {
        return entries.stream().filter(e -> e.event().equals(event) && e.key().endsWith(keySuffix)).count();
    }

    // The steps' actions and compensations. Each passes the step's idempotency key to the service, so a retry, or
    // a compensation run again after a crash, is de-duplicated by the service. The compensations are the same
    // objects in a normal run and in recovery.

    private Booking bookFlight() {
        Booking booked = flights.book(ROUTE, key());
        System.out.println("  flight  booked " + booked.ref() + " (" + booked.item() + "), key " + key());
        return booked;
    }

    private Booking bookHotel() {
        Booking booked = hotels.book(STAY, key());
        System.out.println("  hotel   booked " + booked.ref() + " (" + booked.item() + "), key " + key());
        return booked;
    }

    private Receipt charge(String card) throws Exception {
        StepContext step = Saga.currentStep().orElseThrow();
        try {
            Receipt receipt = cards.charge(card, PRICE_CENTS, step.idempotencyKey());
            System.out.println("  charge  charged " + receipt.ref() + ", key " + step.idempotencyKey());
            return receipt;
        } catch (Cards.GatewayBusyException | Cards.CardDeclinedException e) {
            System.out.println("  charge  attempt " + step.attempt() + " failed: " + e.getMessage());
            throw e;
        }
    }

    private Compensation<Booking> cancelFlight() {
        return booking -> undo("flight", booking, flights.cancel(key()));
    }

    private Compensation<Booking> cancelHotel() {
        return booking -> undo("hotel", booking, hotels.cancel(key()));
    }

    private Compensation<Receipt> refund() {
        return receipt -> {
            Optional<String> refunded = cards.refund(key());
            undone.add("charge");
            System.out.println("  undo    charge: " + refunded.map(r -> "refunded " + r).orElse("nothing to refund")
                    + ", key " + key());
        };
    }

    private void undo(String step, Booking booking, Optional<String> cancelled) {
        undone.add(step);
        String known = booking == null ? "outcome unknown (null booking), found by key: " : "";
        System.out.println("  undo    " + step + ": " + known
                + cancelled.map(ref -> "cancelled " + ref).orElse("nothing to cancel") + ", key " + key());
    }

    /** @return the idempotency key of the step whose action or compensation runs on this thread */
    private static String key() {
        return Saga.currentStep().orElseThrow().idempotencyKey();
    }
}
