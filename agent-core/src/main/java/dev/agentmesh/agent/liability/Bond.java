package dev.agentmesh.agent.liability;

import dev.agentmesh.api.Vouch;

/** A voucher's stake in a vouchee. Its value follows the voucher's own score. Immutable but for that score. */
final class Bond {

    final TrustAccount voucher;
    final TrustAccount vouchee;
    final double share;
    /** {@code policy} or {@code api}. */
    final String source;

    Bond(TrustAccount voucher, TrustAccount vouchee, double share, String source) {
        this.voucher = voucher;
        this.vouchee = vouchee;
        this.share = share;
        this.source = source;
    }

    /** @return what it is worth now: {@code floor(share × voucher's own score)} */
    int value() {
        return (int) Math.floor(share * voucher.own());
    }

    Vouch toVouch() {
        return new Vouch(voucher.id, vouchee.id, share, value(), source);
    }
}
