package dev.agentmesh.examples.trip;

import dev.agentmesh.api.Ring;
import java.nio.file.Path;
import java.util.Optional;

/** A hotel chain's booking API, faked in memory and persisted to {@code hotels.ledger}. A tool: a governed method. */
public class Hotels {

    private final Ledger ledger;

    /** @param dir where the ledger file is kept */
    public Hotels(Path dir) {
        this.ledger = new Ledger(dir.resolve("hotels.ledger"));
    }

    /**
     * Books a stay, once per key: a repeat returns the first booking.
     *
     * @param stay such as {@code New York, 3 nights}
     * @param key the idempotency key
     * @return the booking
     */
    @Ring(Ring.STANDARD)
    public Booking book(String stay, String key) {
        return ledger.book(key, stay, "H", 2001);
    }

    /**
     * Cancels the booking made under {@code key}, once. The key is enough: a caller that never saw the booking
     * (the JVM died before the answer came back) can still cancel it.
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
