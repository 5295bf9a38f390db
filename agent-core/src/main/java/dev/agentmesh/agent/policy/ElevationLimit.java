package dev.agentmesh.agent.policy;

/**
 * How far an agent may elevate itself: to at most {@code ring} (never 0), for at most {@code maxMinutes} at a time.
 * Immutable.
 *
 * @param ring the most privileged ring it may act in, 1..3
 * @param maxMinutes the longest one elevation may last, 1..{@value #MAX_MINUTES}
 */
public record ElevationLimit(int ring, int maxMinutes) {

    /** The longest any policy may let an elevation last: an hour. */
    public static final int MAX_MINUTES = 60;

    /** The limit when the policy gives a ring but no time. */
    public static final int DEFAULT_MAX_MINUTES = 15;

    /** Checks the values. */
    public ElevationLimit {
        if (ring < 1 || ring > Policy.MAX_RING) {
            throw new IllegalArgumentException("an elevation reaches ring 1 to 3, never ring 0; got " + ring);
        }
        if (maxMinutes < 1 || maxMinutes > MAX_MINUTES) {
            throw new IllegalArgumentException("maxMinutes must be 1.." + MAX_MINUTES + ", got " + maxMinutes);
        }
    }
}
