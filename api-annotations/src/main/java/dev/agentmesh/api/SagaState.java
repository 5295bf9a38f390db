package dev.agentmesh.api;

/**
 * Where a {@link Saga} is. {@link Saga#run()} returns one of the four end states: {@link #COMPLETED},
 * {@link #COMPENSATED}, {@link #FAILED} or {@link #COMPENSATION_FAILED}.
 */
public enum SagaState {

    /** Defined, not yet run. */
    CREATED,
    /** Running its steps. */
    RUNNING,
    /** Every step completed. */
    COMPLETED,
    /** A step failed; the steps that completed are being undone, newest first. */
    COMPENSATING,
    /** A step failed and every step that needed undoing was undone. */
    COMPENSATED,
    /**
     * A step failed and nothing was undone: the failure is not one of the {@linkplain Saga#compensateOn compensable
     * types}, or it came after the {@linkplain StepOptions.Builder#pivot() pivot}. {@link Saga#failure()} says why.
     */
    FAILED,
    /**
     * A compensation failed even after its retries: some effects may remain and an operator is needed.
     * {@link Saga#failure()} holds the step's failure with every compensation failure attached as suppressed.
     */
    COMPENSATION_FAILED;

    /** @return whether the saga has finished in this state */
    public boolean isEnd() {
        return this == COMPLETED || this == COMPENSATED || this == FAILED || this == COMPENSATION_FAILED;
    }
}
