package dev.agentmesh.agent.rings;

import dev.agentmesh.agent.policy.RateLimit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket, kept as the generic cell rate algorithm: one {@link AtomicLong} holding the time at which the
 * bucket would be full again, so a call takes a token with one compare-and-set, no lock and no allocation. It
 * refills at the limit's rate up to its burst.
 */
public final class RateLimiter {

    private final RateLimit limit;
    private final long intervalNanos;
    private final long toleranceNanos;
    private final LongSupplier clock;
    /** When the bucket is full again ("theoretical arrival time"), on the clock's time line. */
    private final AtomicLong fullAt;

    /** @param limit the limit */
    public RateLimiter(RateLimit limit) {
        this(limit, System::nanoTime);
    }

    /**
     * @param limit the limit
     * @param clock nanosecond time, for tests
     */
    RateLimiter(RateLimit limit, LongSupplier clock) {
        this.limit = limit;
        this.intervalNanos = Math.max(1, (long) (1_000_000_000L / limit.perSecond()));
        this.toleranceNanos = intervalNanos * (limit.burst() - 1);
        this.clock = clock;
        this.fullAt = new AtomicLong(clock.getAsLong() - intervalNanos);
    }

    /** @return whether a call may go now; if so it has taken its token */
    public boolean tryAcquire() {
        long now = clock.getAsLong();
        while (true) {
            long full = fullAt.get();
            long next = Math.max(full, now) + intervalNanos;
            if (next - now > toleranceNanos + intervalNanos) {
                return false;
            }
            if (fullAt.compareAndSet(full, next)) {
                return true;
            }
        }
    }

    /** @return the limit */
    public RateLimit limit() {
        return limit;
    }
}
