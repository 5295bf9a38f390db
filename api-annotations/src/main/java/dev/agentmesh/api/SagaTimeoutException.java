package dev.agentmesh.api;

import java.time.Duration;

/**
 * A saga step ran past its {@linkplain StepOptions.Builder#timeout timeout}, or the saga ran past its
 * {@linkplain Saga#deadline deadline}. A step that times out may still have had its effect, so it is compensated
 * with a {@code null} result and its idempotency key.
 */
public final class SagaTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String sagaId;
    private final String step;
    private final Duration limit;

    /**
     * @param sagaId the saga
     * @param step the step that ran too long, or that could not start because the deadline had passed
     * @param limit the limit it exceeded
     * @param deadline whether the limit is the saga's deadline rather than the step's timeout
     */
    public SagaTimeoutException(String sagaId, String step, Duration limit, boolean deadline) {
        super(deadline
                ? "saga " + sagaId + " passed its deadline of " + limit + " at step " + step
                : "step " + step + " of saga " + sagaId + " ran longer than its timeout of " + limit);
        this.sagaId = sagaId;
        this.step = step;
        this.limit = limit;
    }

    /** @return the saga */
    public String sagaId() {
        return sagaId;
    }

    /** @return the step */
    public String step() {
        return step;
    }

    /** @return the limit that was exceeded */
    public Duration limit() {
        return limit;
    }
}
