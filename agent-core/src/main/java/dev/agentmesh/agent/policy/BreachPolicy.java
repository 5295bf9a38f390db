package dev.agentmesh.agent.policy;

/**
 * Breach detection as the policy's {@code breach:} section sets it. Immutable.
 *
 * <pre>{@code
 * breach:
 *   windowSeconds: 60     # how far back the score looks
 *   threshold: 10         # a score at or above it is a breach
 *   points: {violation: 3, denial: 1}   # a call towards a ring above the agent's own; any other denial
 *   action: DEMOTE        # DEMOTE or BLOCK (a quarantine for the minutes below), or KILL
 *   minutes: 60
 * }</pre>
 *
 * @param windowSeconds how far back the score looks, 1..86400
 * @param threshold the score that is a breach, at least 1
 * @param violationPoints what a denied call towards a ring above the agent's own scores
 * @param denialPoints what any other denial (rate limit, quarantine block) scores
 * @param action what a breach does
 * @param minutes how long a breach's quarantine lasts
 */
public record BreachPolicy(int windowSeconds, int threshold, int violationPoints, int denialPoints, Action action,
        int minutes) {

    /** What a breach does to the agent. */
    public enum Action {
        /** Quarantine it demoted to ring 3. */
        DEMOTE,
        /** Quarantine it blocked. */
        BLOCK,
        /** Kill it. */
        KILL
    }

    /** Checks the values. */
    public BreachPolicy {
        if (windowSeconds < 1 || windowSeconds > 86_400) {
            throw new IllegalArgumentException("breach.windowSeconds must be from 1 to 86400, got " + windowSeconds);
        }
        if (threshold < 1) {
            throw new IllegalArgumentException("breach.threshold must be at least 1, got " + threshold);
        }
        if (violationPoints < 0 || denialPoints < 0 || violationPoints + denialPoints == 0) {
            throw new IllegalArgumentException("breach points must not be negative, and not both 0");
        }
        java.util.Objects.requireNonNull(action, "action");
        if (minutes < 1 || minutes > 7 * 24 * 60) {
            throw new IllegalArgumentException("breach.minutes must be from 1 to " + 7 * 24 * 60 + ", got "
                    + minutes);
        }
    }

    /** @return the defaults shown on the class */
    public static BreachPolicy defaults() {
        return new BreachPolicy(60, 10, 3, 1, Action.DEMOTE, 60);
    }
}
