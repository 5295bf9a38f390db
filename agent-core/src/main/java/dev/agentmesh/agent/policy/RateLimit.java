package dev.agentmesh.agent.policy;

/**
 * A rate limit from the policy: at most {@code perSecond} calls a second on average, with bursts of up to
 * {@code burst} calls at once. Immutable.
 *
 * @param perSecond the sustained rate, more than 0
 * @param burst how many calls may come at once after a quiet spell, at least 1
 */
public record RateLimit(double perSecond, int burst) {

    /** Checks the values. */
    public RateLimit {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("perSecond must be a number more than 0, got " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
    }

    @Override
    public String toString() {
        return perSecond + "/s, burst " + burst;
    }
}
