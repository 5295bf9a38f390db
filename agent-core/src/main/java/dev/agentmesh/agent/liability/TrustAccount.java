package dev.agentmesh.agent.liability;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One agent's standing in the {@link TrustLedger}. The ledger changes it under its lock; a governed call reads only
 * {@link #ring()}, a volatile.
 */
public final class TrustAccount {

    final String id;
    /** Its own score before slashes: the policy's, or the initial trust. */
    final int base;
    /** Whether its ring follows its effective trust. */
    final boolean fromTrust;
    /** Points lost to slashes, over every run. */
    int penalty;
    /** Vouches for it, by voucher. */
    final Map<String, Bond> backedBy = new LinkedHashMap<>();
    /** Vouches it made, by vouchee. */
    final Map<String, Bond> backing = new LinkedHashMap<>();
    volatile int ring = dev.agentmesh.agent.policy.Policy.MAX_RING;
    volatile byte[] vouchedByUtf8 = new byte[0];

    TrustAccount(String id, int base, boolean fromTrust) {
        this.id = id;
        this.base = base;
        this.fromTrust = fromTrust;
    }

    int own() {
        return Math.max(0, base - penalty);
    }

    /** @return the ring its effective trust earns; meaningful for an agent whose ring follows trust */
    public int ring() {
        return ring;
    }
}
