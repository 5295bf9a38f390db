package dev.agentmesh.examples.trip;

import dev.agentmesh.api.Ring;
import java.nio.file.Path;
import java.util.Optional;

/** An airline's booking API, faked in memory and persisted to {@code flights.ledger}. A tool: a governed method. */
public class Flights {

    private final Ledger ledger;

    /** @param dir where the ledger file is kept */
    public Flights(Path dir) {
        this.ledger = new Ledger(dir.resolve("flights.ledger"));
    }

    /**
     * Books a seat, once per key: a repeat returns the first booking.
     *
     * @param route such as {@code LHR-JFK}
     * @param key the idempotency key
     * @return the booking
     */
    @Ring(Ring.STANDARD)
    public Booking book(String route, String key) {
        return ledger.book(key, route, "F", 1001);
    }

    /**
     * Cancels the booking made under {@code key}, once.
     *
     * @param key the idempotency key it was booked under
     * @return the cancelled booking's reference; empty if there was none or it was cancelled already
     */
    @Ring(Ring.STANDARD)
    public Optional<String> cancel(String key) {
        return ledger.cancel(key);
    }

    Ledger ledger() {
        return ledger;
    }
}
