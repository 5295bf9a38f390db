package dev.agentmesh.agent.rings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.agent.policy.RateLimit;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test moves: burst, refill, and the bound over any window. */
class RateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketLetsABurstThroughThenOneCallPerInterval() {
        AtomicLong now = new AtomicLong(5 * SECOND);
        RateLimiter limiter = new RateLimiter(new RateLimit(10, 3), now::get);

        assertThat(List.of(limiter.tryAcquire(), limiter.tryAcquire(), limiter.tryAcquire(), limiter.tryAcquire()))
                .containsExactly(true, true, true, false);
        now.addAndGet(SECOND / 10 - 1);
        assertThat(limiter.tryAcquire()).as("not yet a token back").isFalse();
        now.addAndGet(1);
        assertThat(limiter.tryAcquire()).as("one token back after 1/10 s").isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
    }

    @Test
    void aQuietSpellRefillsUpToTheBurstOnly() {
        AtomicLong now = new AtomicLong(0);
        RateLimiter limiter = new RateLimiter(new RateLimit(1, 2), now::get);
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isTrue();
        assertThat(limiter.tryAcquire()).isFalse();
        now.addAndGet(3600 * SECOND);
        assertThat(List.of(limiter.tryAcquire(), limiter.tryAcquire(), limiter.tryAcquire()))
                .as("an hour's rest still allows only the burst").containsExactly(true, true, false);
    }

    @Property(tries = 300)
    void noWindowLetsMoreThroughThanTheBurstPlusTheRate(@ForAll @IntRange(min = 1, max = 1000) int perSecond,
            @ForAll @IntRange(min = 1, max = 50) int burst,
            @ForAll @Size(min = 1, max = 300) List<@LongRange(min = 0, max = 50_000_000) Long> gaps) {
        AtomicLong now = new AtomicLong(0);
        RateLimiter limiter = new RateLimiter(new RateLimit(perSecond, burst), now::get);
        long start = now.get();
        int granted = 0;
        for (long gap : gaps) {
            now.addAndGet(gap);
            if (limiter.tryAcquire()) {
                granted++;
            }
        }
        double elapsedSeconds = (now.get() - start) / (double) SECOND;
        assertThat(granted).isLessThanOrEqualTo(burst + (int) Math.ceil(elapsedSeconds * perSecond));
    }

    @Property(tries = 100)
    void callsSpacedAtTheRateAreAlwaysAllowed(@ForAll @IntRange(min = 1, max = 1000) int perSecond,
            @ForAll @IntRange(min = 1, max = 20) int burst, @ForAll @IntRange(min = 1, max = 200) int calls) {
        AtomicLong now = new AtomicLong(0);
        RateLimiter limiter = new RateLimiter(new RateLimit(perSecond, burst), now::get);
        long interval = SECOND / perSecond;
        for (int i = 0; i < calls; i++) {
            assertThat(limiter.tryAcquire()).as("call %d", i).isTrue();
            now.addAndGet(interval);
        }
    }
}
