package dev.agentmesh.examples.trip;

import dev.agentmesh.api.Ring;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A payment gateway, faked in memory and persisted to {@code cards.ledger}. Moving money is trusted work: its
 * methods need ring 1. The fake is scripted so the example shows a retry and a failure: the gateway is busy on the
 * first try of each payment (a transient failure), and the test card {@value #DECLINED_CARD} is always declined.
 */
public class Cards {

    /** A card the bank always declines (the well-known test number). */
    public static final String DECLINED_CARD = "4000000000000002";

    /** A transient failure: worth retrying. */
    public static class GatewayBusyException extends Exception {
        private static final long serialVersionUID = 1L;

        GatewayBusyException(String message) {
            super(message);
        }
    }

    /** The bank said no: retrying will not help. */
    public static class CardDeclinedException extends Exception {
        private static final long serialVersionUID = 1L;

        CardDeclinedException(String message) {
            super(message);
        }
    }

    private final Ledger ledger;

    /** @param dir where the ledger file is kept */
    public Cards(Path dir) {
        this.ledger = new Ledger(dir.resolve("cards.ledger"));
    }

    /**
     * Charges a card, once per key: a repeat of a successful charge returns its receipt.
     *
     * @param card the card number
     * @param amountCents how much
     * @param key the idempotency key
     * @return the receipt
     * @throws GatewayBusyException on the first try of each payment
     * @throws CardDeclinedException if the bank declines the card
     */
    @Ring(Ring.TRUSTED)
    public Receipt charge(String card, long amountCents, String key) throws GatewayBusyException,
            CardDeclinedException {
        String last4 = card.substring(card.length() - 4);
        String detail = String.format("%d.%02d on card ending %s", amountCents / 100, amountCents % 100, last4);
        synchronized (ledger) {
            Optional<Ledger.Entry> charged = ledger.find(key, "CHARGED");
            if (charged.isPresent()) {
                ledger.append("REPEAT", key, charged.get().ref(), "charge again: already charged, nothing done");
                return new Receipt(charged.get().ref(), last4, amountCents, key);
            }
            if (ledger.entries(key).isEmpty()) {
                ledger.append("BUSY", key, "-", detail);
                throw new GatewayBusyException("payment gateway busy, try again");
            }
            if (card.equals(DECLINED_CARD)) {
                ledger.append("DECLINED", key, "-", detail);
                throw new CardDeclinedException("card ending " + last4 + " declined by the bank: insufficient funds");
            }
            String ref = "P" + (3001 + ledger.count("CHARGED"));
            ledger.append("CHARGED", key, ref, detail);
            return new Receipt(ref, last4, amountCents, key);
        }
    }

    /**
     * Refunds the charge made under {@code key}, once.
     *
     * @param key the idempotency key it was charged under
     * @return the refunded payment's reference; empty if there was none or it was refunded already
     */
    @Ring(Ring.TRUSTED)
    public Optional<String> refund(String key) {
        synchronized (ledger) {
            Optional<Ledger.Entry> charged = ledger.find(key, "CHARGED");
            if (charged.isEmpty() || ledger.find(key, "REFUNDED").isPresent()) {
                ledger.append("REPEAT", key, charged.map(Ledger.Entry::ref).orElse("-"),
                        "refund: nothing to refund, nothing done");
                return Optional.empty();
            }
            ledger.append("REFUNDED", key, charged.get().ref(), charged.get().detail());
            return Optional.of(charged.get().ref());
        }
    }

    Ledger ledger() {
        return ledger;
    }
}
