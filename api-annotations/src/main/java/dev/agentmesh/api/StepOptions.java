package dev.agentmesh.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How one saga step runs: retries, timeout, idempotency key, and whether it is the pivot. Immutable; build one with
 * {@link #builder()}:
 *
 * <pre>{@code
 * StepOptions options = StepOptions.builder()
 *         .maxAttempts(3)                      // the first try and two retries
 *         .backoff(Duration.ofMillis(200))     // 200 ms, then 400 ms, ... at most maxBackoff
 *         .retryOn(IOException.class)          // other exceptions fail the step at once
 *         .timeout(Duration.ofSeconds(5))      // per attempt
 *         .build();
 * }</pre>
 */
public final class StepOptions {

    /** The most attempts a step or a compensation may have: the audit record stores the attempt in a byte. */
    public static final int MAX_ATTEMPTS_LIMIT = 255;

    private static final StepOptions DEFAULTS = new Builder().build();

    private final int maxAttempts;
    private final Duration backoff;
    private final double backoffMultiplier;
    private final Duration maxBackoff;
    private final List<Class<? extends Throwable>> retryOn;
    private final Duration timeout;
    private final String idempotencyKey;
    private final boolean pivot;
    private final int compensationAttempts;

    private StepOptions(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.backoff = b.backoff;
        this.backoffMultiplier = b.backoffMultiplier;
        this.maxBackoff = b.maxBackoff;
        this.retryOn = b.retryOn;
        this.timeout = b.timeout;
        this.idempotencyKey = b.idempotencyKey;
        this.pivot = b.pivot;
        this.compensationAttempts = b.compensationAttempts;
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the defaults: one attempt, no timeout, key {@code <sagaId>:<step>}, not a pivot, compensation tried up
     *     to 3 times with a 100 ms backoff doubling up to 10 s
     */
    public static StepOptions defaults() {
        return DEFAULTS;
    }

    /** @return how many times the action may be tried, the first try included */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return the wait before the first retry */
    public Duration backoff() {
        return backoff;
    }

    /** @return what each wait is multiplied by for the next */
    public double backoffMultiplier() {
        return backoffMultiplier;
    }

    /** @return the longest wait between attempts */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** @return the exception types that are retried; others fail the step at once */
    public List<Class<? extends Throwable>> retryOn() {
        return retryOn;
    }

    /** @return the longest one attempt may run, or {@code null} for no limit */
    public Duration timeout() {
        return timeout;
    }

    /** @return the idempotency key, or {@code null} for {@code <sagaId>:<step>} */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /** @return whether the step is the pivot: once it completes, the saga no longer compensates */
    public boolean pivot() {
        return pivot;
    }

    /** @return how many times the compensation may be tried, the first try included */
    public int compensationAttempts() {
        return compensationAttempts;
    }

    /**
     * @param attempt the attempt that just failed, 1-based
     * @return how long to wait before the next one
     */
    public Duration backoffAfter(int attempt) {
        double nanos = backoff.toNanos() * Math.pow(backoffMultiplier, attempt - 1);
        return nanos >= maxBackoff.toNanos() ? maxBackoff : Duration.ofNanos((long) nanos);
    }

    /**
     * @param failure what an attempt threw
     * @return whether it may be retried (attempts permitting)
     */
    public boolean retries(Throwable failure) {
        for (Class<? extends Throwable> type : retryOn) {
            if (type.isInstance(failure)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "attempts " + maxAttempts + (maxAttempts > 1 ? " backoff " + backoff + " x" + backoffMultiplier
                + " max " + maxBackoff + " on " + retryOn.stream().map(Class::getSimpleName).toList() : "")
                + (timeout == null ? "" : " timeout " + timeout) + (pivot ? " pivot" : "")
                + (idempotencyKey == null ? "" : " key " + idempotencyKey)
                + " compensation attempts " + compensationAttempts;
    }

    /** Builds {@link StepOptions}; each setter checks its value at once. */
    public static final class Builder {

        private int maxAttempts = 1;
        private Duration backoff = Duration.ofMillis(100);
        private double backoffMultiplier = 2.0;
        private Duration maxBackoff = Duration.ofSeconds(10);
        private List<Class<? extends Throwable>> retryOn = List.of(Exception.class);
        private Duration timeout;
        private String idempotencyKey;
        private boolean pivot;
        private int compensationAttempts = 3;

        private Builder() {
        }

        /**
         * @param attempts how many times the action may be tried, the first try included: 1 (no retry) to
         *     {@value StepOptions#MAX_ATTEMPTS_LIMIT}
         * @return this
         */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = requireAttempts(attempts);
            return this;
        }

        /**
         * @param initial the wait before the first retry (default 100 ms), zero or more; later waits double
         * @return this
         */
        public Builder backoff(Duration initial) {
            this.backoff = requireNotNegative("backoff", initial);
            return this;
        }

        /**
         * @param multiplier what each wait is multiplied by for the next (default 2), at least 1
         * @return this
         */
        public Builder backoffMultiplier(double multiplier) {
            if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
                throw new IllegalArgumentException("backoffMultiplier must be a finite number >= 1, got " + multiplier);
            }
            this.backoffMultiplier = multiplier;
            return this;
        }

        /**
         * @param max the longest wait between attempts (default 10 s)
         * @return this
         */
        public Builder maxBackoff(Duration max) {
            this.maxBackoff = requireNotNegative("maxBackoff", max);
            return this;
        }

        /**
         * @param types the exception types to retry (default: every {@link Exception}); an {@link Error} is retried
         *     only if listed
         * @return this
         */
        @SafeVarargs
        public final Builder retryOn(Class<? extends Throwable>... types) {
            Objects.requireNonNull(types, "types");
            if (types.length == 0) {
                throw new IllegalArgumentException("retryOn needs at least one type; use maxAttempts(1) for none");
            }
            this.retryOn = List.of(types);
            return this;
        }

        /**
         * @param limit the longest one attempt may run, more than zero. The attempt runs on a pool thread and is
         *     interrupted when the limit passes; the step then fails with {@link SagaTimeoutException} and, its
         *     outcome being unknown, is compensated with a {@code null} result.
         * @return this
         */
        public Builder timeout(Duration limit) {
            Objects.requireNonNull(limit, "timeout");
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("timeout must be more than zero, got " + limit);
            }
            this.timeout = limit;
            return this;
        }

        /**
         * @param key the key the action and compensation see in {@link StepContext#idempotencyKey()} (default
         *     {@code <sagaId>:<step>}); it follows the id rule of {@link Ids}
         * @return this
         */
        public Builder idempotencyKey(String key) {
            this.idempotencyKey = Ids.require("idempotencyKey", key);
            return this;
        }

        /**
         * Makes the step the pivot: the point of no return. A failure before it completes compensates as usual; once
         * it has completed, nothing is compensated, and a later failure ends the saga {@link SagaState#FAILED} (give
         * the steps after a pivot retries).
         *
         * @return this
         */
        public Builder pivot() {
            this.pivot = true;
            return this;
        }

        /**
         * @param attempts how many times the compensation may be tried, the first try included (default 3), with
         *     the same backoff as the action; 1 to {@value StepOptions#MAX_ATTEMPTS_LIMIT}
         * @return this
         */
        public Builder compensationAttempts(int attempts) {
            this.compensationAttempts = requireAttempts(attempts);
            return this;
        }

        /** @return the options */
        public StepOptions build() {
            if (maxBackoff.compareTo(backoff) < 0) {
                throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is less than backoff " + backoff);
            }
            return new StepOptions(this);
        }

        private static int requireAttempts(int attempts) {
            if (attempts < 1 || attempts > MAX_ATTEMPTS_LIMIT) {
                throw new IllegalArgumentException("attempts must be 1.." + MAX_ATTEMPTS_LIMIT + ", got " + attempts);
            }
            return attempts;
        }

        private static Duration requireNotNegative(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative, got " + d);
            }
            return d;
        }
    }
}
