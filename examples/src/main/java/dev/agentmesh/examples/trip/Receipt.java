package dev.agentmesh.examples.trip;

/**
 * What a successful charge returns.
 *
 * @param ref the payment reference
 * @param cardLast4 the card's last four digits
 * @param amountCents how much was charged, in cents
 * @param key the idempotency key the charge was made under
 */
public record Receipt(String ref, String cardLast4, long amountCents, String key) {
}
