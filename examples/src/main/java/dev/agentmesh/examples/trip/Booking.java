package dev.agentmesh.examples.trip;

/**
 * A flight or hotel booking, as the fake services return it. A record of strings, so the saga value codec can write
 * it to the trail and a recovering run can hand it back to the compensation.
 *
 * @param ref the service's booking reference
 * @param item what was booked: a route, a hotel stay
 * @param key the idempotency key the booking was made under
 */
public record Booking(String ref, String item, String key) {
}
