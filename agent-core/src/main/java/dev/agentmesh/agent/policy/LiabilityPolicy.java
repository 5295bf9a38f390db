package dev.agentmesh.agent.policy;


import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Joint liability as the policy's {@code liability:} section sets it. Immutable; build it with {@link #builder()}.
 *
 * <pre>{@code
 * liability:
 *   initialTrust: 500                  # own score of agents the policy gives none (0..1000)
 *   rings: {1: 800, 2: 500}            # effective trust each ring needs, for agents with ring: trust
 *   slash: {violation: 50, breach: 200, kill: 300}   # points an offence costs its offender
 *   cascade: {share: 0.5, depth: 2}    # what each voucher forfeits, and how many levels up
 *   blastRadius: {vouchees: DEMOTE, spawned: DEMOTE, minutes: 60}
 *   vouches:
 *     - {voucher: lead, vouchee: helper, share: 0.3}
 * }</pre>
 *
 * <p>The formula: {@code effective(a) = min(1000, own(a) + Σ floor(share(v→a) × own(v)))} over the agents v that
 * vouch for a. An agent with {@code ring: trust} holds the most privileged ring r in 1..3 with
 * {@code effective(a) ≥ rings[r]} (ring 3 needs nothing). A slash of p points takes {@code min(p, own)} from the
 * offender; each of its vouchers then forfeits {@code min(bond, ceil(loss × cascade.share))} of its own score, and
 * so on up the vouches for {@code cascade.depth} levels, no agent twice in one cascade.
 *
 * @param initialTrust own score of an agent the policy gives none
 * @param ringThresholds ring (1..3) to the effective trust it needs
 * @param slashViolation points a ring violation costs
 * @param slashBreach points a breach costs
 * @param slashKill points an operator's kill of the agent costs
 * @param cascadeShare what a voucher forfeits, as a share of what the agent it backs lost
 * @param cascadeDepth how many levels of vouchers a slash reaches, 0..{@value #MAX_DEPTH}
 * @param blastVouchees how a killed or quarantined agent's vouchees are quarantined, empty for not at all
 * @param blastSpawned how the agents that acted on its behalf are quarantined, empty for not at all
 * @param blastMinutes how long those quarantines last
 * @param vouches the vouches the policy declares
 */
public record LiabilityPolicy(int initialTrust, Map<Integer, Integer> ringThresholds, int slashViolation,
        int slashBreach, int slashKill, double cascadeShare, int cascadeDepth, Optional<Containment> blastVouchees,
        Optional<Containment> blastSpawned, int blastMinutes, List<DeclaredVouch> vouches) {

    /** The most trust an agent can have. */
    public static final int MAX_TRUST = 1000;
    /** The deepest a slash may cascade. */
    public static final int MAX_DEPTH = 5;

    /** Checks the values and copies the collections. */
    public LiabilityPolicy {
        requireTrust(initialTrust, "initialTrust");
        ringThresholds = Map.copyOf(ringThresholds);
        int previous = MAX_TRUST;
        for (int ring = 1; ring <= Policy.MAX_RING; ring++) {
            Integer t = ringThresholds.get(ring);
            if (t == null) {
                throw new IllegalArgumentException("no trust threshold for ring " + ring);
            }
            requireTrust(t, "the threshold of ring " + ring);
            if (t > previous) {
                throw new IllegalArgumentException("ring " + ring + " needs " + t + " trust, more than ring "
                        + (ring - 1) + " needs (" + previous + "); a more privileged ring needs at least as much");
            }
            previous = t;
        }
        if (ringThresholds.size() != Policy.MAX_RING) {
            throw new IllegalArgumentException("trust thresholds are for rings 1..3 only (ring 0 is never earned)");
        }
        requireTrust(slashViolation, "slash.violation");
        requireTrust(slashBreach, "slash.breach");
        requireTrust(slashKill, "slash.kill");
        if (!(cascadeShare >= 0) || cascadeShare > 1) {
            throw new IllegalArgumentException("cascade.share must be from 0 to 1, got " + cascadeShare);
        }
        if (cascadeDepth < 0 || cascadeDepth > MAX_DEPTH) {
            throw new IllegalArgumentException("cascade.depth must be from 0 to " + MAX_DEPTH + ", got "
                    + cascadeDepth);
        }
        Objects.requireNonNull(blastVouchees, "blastVouchees");
        Objects.requireNonNull(blastSpawned, "blastSpawned");
        if (blastMinutes < 1 || blastMinutes > 7 * 24 * 60) {
            throw new IllegalArgumentException("blastRadius.minutes must be from 1 to " + 7 * 24 * 60 + ", got "
                    + blastMinutes);
        }
        vouches = List.copyOf(vouches);
    }

    /**
     * @param effectiveTrust an agent's effective trust
     * @return the ring it earns: the most privileged of 1..3 whose threshold it reaches
     */
    public int ringFor(int effectiveTrust) {
        for (int ring = 1; ring < Policy.MAX_RING; ring++) {
            if (effectiveTrust >= ringThresholds.get(ring)) {
                return ring;
            }
        }
        return Policy.MAX_RING;
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    private static void requireTrust(int value, String what) {
        if (value < 0 || value > MAX_TRUST) {
            throw new IllegalArgumentException(what + " must be from 0 to " + MAX_TRUST + ", got " + value);
        }
    }

    /** Builds a {@link LiabilityPolicy}; left untouched, it builds the defaults shown on the class. */
    public static final class Builder {
        private int initialTrust = 500;
        private final Map<Integer, Integer> ringThresholds = new java.util.HashMap<>(Map.of(1, 800, 2, 500, 3, 0));
        private int slashViolation = 50;
        private int slashBreach = 200;
        private int slashKill = 300;
        private double cascadeShare = 0.5;
        private int cascadeDepth = 2;
        private Containment blastVouchees = Containment.DEMOTE;
        private Containment blastSpawned = Containment.DEMOTE;
        private int blastMinutes = 60;
        private final List<DeclaredVouch> vouches = new java.util.ArrayList<>();

        private Builder() {
        }

        /** @param trust own score of agents the policy gives none @return this */
        public Builder initialTrust(int trust) {
            this.initialTrust = trust;
            return this;
        }

        /** @param ring 1..3 @param trust the effective trust it needs @return this */
        public Builder ringThreshold(int ring, int trust) {
            if (ring < 1 || ring > Policy.MAX_RING) {
                throw new IllegalArgumentException("a trust threshold is for ring 1, 2 or 3, got " + ring);
            }
            ringThresholds.put(ring, trust);
            return this;
        }

        /** @param violation points a ring violation costs @param breach … a breach @param kill … a kill @return this */
        public Builder slash(int violation, int breach, int kill) {
            this.slashViolation = violation;
            this.slashBreach = breach;
            this.slashKill = kill;
            return this;
        }

        /** @param share what a voucher forfeits, as a share of its vouchee's loss @param depth levels @return this */
        public Builder cascade(double share, int depth) {
            this.cascadeShare = share;
            this.cascadeDepth = depth;
            return this;
        }

        /**
         * @param vouchees how vouchees are quarantined, {@code null} for not at all
         * @param spawned how agents that acted on the agent's behalf are quarantined, {@code null} for not at all
         * @param minutes how long
         * @return this
         */
        public Builder blastRadius(Containment vouchees, Containment spawned, int minutes) {
            this.blastVouchees = vouchees;
            this.blastSpawned = spawned;
            this.blastMinutes = minutes;
            return this;
        }

        /** @param vouch a vouch to declare @return this */
        public Builder vouch(DeclaredVouch vouch) {
            vouches.add(Objects.requireNonNull(vouch, "vouch"));
            return this;
        }

        /** @return the policy section */
        public LiabilityPolicy build() {
            return new LiabilityPolicy(initialTrust, ringThresholds, slashViolation, slashBreach, slashKill,
                    cascadeShare, cascadeDepth, Optional.ofNullable(blastVouchees), Optional.ofNullable(blastSpawned),
                    blastMinutes, vouches);
        }
    }
}
