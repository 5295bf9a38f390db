package dev.agentmesh.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Session} behaves: the consistency of its shared state and its limits. Immutable; build one with
 * {@link #builder()}:
 *
 * <pre>{@code
 * SessionConfig config = SessionConfig.builder()
 *         .consistencyMode(ConsistencyMode.CAUSAL)
 *         .maxParticipants(4)
 *         .maxDuration(Duration.ofMinutes(30))
 *         .build();
 * }</pre>
 */
public final class SessionConfig {

    /** The most participants a session may allow. */
    public static final int MAX_PARTICIPANTS_LIMIT = 1000;

    /** The longest a session may last. */
    public static final Duration MAX_DURATION_LIMIT = Duration.ofDays(7);

    private static final SessionConfig DEFAULTS = new Builder().build();

    private final ConsistencyMode consistencyMode;
    private final int maxParticipants;
    private final Duration maxDuration;
    private final Duration convergenceBound;

    private SessionConfig(Builder b) {
        this.consistencyMode = b.consistencyMode;
        this.maxParticipants = b.maxParticipants;
        this.maxDuration = b.maxDuration;
        this.convergenceBound = b.convergenceBound;
    }

    /** @return a builder holding the defaults: EVENTUAL, 10 participants, 1 hour, converging within 100 ms */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the defaults: EVENTUAL, at most 10 participants, at most 1 hour */
    public static SessionConfig defaults() {
        return DEFAULTS;
    }

    /** @return the consistency of the session's shared state */
    public ConsistencyMode consistencyMode() {
        return consistencyMode;
    }

    /** @return how many agents may take part at once */
    public int maxParticipants() {
        return maxParticipants;
    }

    /** @return how long after its creation the session takes calls; after that it denies them */
    public Duration maxDuration() {
        return maxDuration;
    }

    /**
     * @return in EVENTUAL mode, the longest a write takes to reach every replica: once writes stop, all replicas
     *     agree within this time
     */
    public Duration convergenceBound() {
        return convergenceBound;
    }

    /** @return a builder starting from this configuration */
    public Builder toBuilder() {
        return new Builder().consistencyMode(consistencyMode).maxParticipants(maxParticipants)
                .maxDuration(maxDuration).convergenceBound(convergenceBound);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SessionConfig)) {
            return false;
        }
        SessionConfig other = (SessionConfig) o;
        return consistencyMode == other.consistencyMode && maxParticipants == other.maxParticipants
                && maxDuration.equals(other.maxDuration) && convergenceBound.equals(other.convergenceBound);
    }

    @Override
    public int hashCode() {
        return Objects.hash(consistencyMode, maxParticipants, maxDuration, convergenceBound);
    }

    @Override
    public String toString() {
        return consistencyMode + ", max " + maxParticipants + " participants, max " + maxDuration;
    }

    /** Builds a {@link SessionConfig}; each setter checks its value at once. Not thread-safe. */
    public static final class Builder {

        private ConsistencyMode consistencyMode = ConsistencyMode.EVENTUAL;
        private int maxParticipants = 10;
        private Duration maxDuration = Duration.ofHours(1);
        private Duration convergenceBound = Duration.ofMillis(100);

        private Builder() {
        }

        /**
         * @param mode the consistency of the shared state (default {@link ConsistencyMode#EVENTUAL})
         * @return this
         * @throws IllegalArgumentException if {@code mode} is null
         */
        public Builder consistencyMode(ConsistencyMode mode) {
            if (mode == null) {
                throw new IllegalArgumentException("consistencyMode must not be null");
            }
            this.consistencyMode = mode;
            return this;
        }

        /**
         * @param max how many agents may take part at once, 1 to 1000 (default 10)
         * @return this
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxParticipants(int max) {
            if (max < 1 || max > MAX_PARTICIPANTS_LIMIT) {
                throw new IllegalArgumentException("maxParticipants must be 1.." + MAX_PARTICIPANTS_LIMIT + ", got "
                        + max);
            }
            this.maxParticipants = max;
            return this;
        }

        /**
         * @param max how long after its creation the session takes calls, 1 ms to 7 days (default 1 hour)
         * @return this
         * @throws IllegalArgumentException if null or out of range
         */
        public Builder maxDuration(Duration max) {
            if (max == null) {
                throw new IllegalArgumentException("maxDuration must not be null");
            }
            if (max.toMillis() < 1 || max.compareTo(MAX_DURATION_LIMIT) > 0) {
                throw new IllegalArgumentException("maxDuration must be 1 ms to 7 days, got " + max);
            }
            this.maxDuration = max;
            return this;
        }

        /**
         * @param bound in EVENTUAL mode, the longest a write may take to reach every replica, 1 ms to 1 minute
         *     (default 100 ms)
         * @return this
         * @throws IllegalArgumentException if null or out of range
         */
        public Builder convergenceBound(Duration bound) {
            if (bound == null) {
                throw new IllegalArgumentException("convergenceBound must not be null");
            }
            if (bound.toMillis() < 1 || bound.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("convergenceBound must be 1 ms to 1 minute, got " + bound);
            }
            this.convergenceBound = bound;
            return this;
        }

        /** @return the configuration */
        public SessionConfig build() {
            return new SessionConfig(this);
        }
    }
}
