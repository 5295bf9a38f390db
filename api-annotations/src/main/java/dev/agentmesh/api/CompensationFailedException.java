package dev.agentmesh.api;

/**
 * A saga step's compensation failed in every attempt. It is attached, as suppressed, to the failure that made the
 * saga compensate ({@link Saga#failure()}), with the compensation's last exception as its cause; the saga ends
 * {@link SagaState#COMPENSATION_FAILED}.
 */
public final class CompensationFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String sagaId;
    private final String step;

    /**
     * @param sagaId the saga
     * @param step the step whose compensation failed
     * @param cause the compensation's last failure
     */
    public CompensationFailedException(String sagaId, String step, Throwable cause) {
        super("compensation of step " + step + " of saga " + sagaId + " failed: " + cause, cause);
        this.sagaId = sagaId;
        this.step = step;
    }

    /** @return the saga */
    public String sagaId() {
        return sagaId;
    }

    /** @return the step whose compensation failed */
    public String step() {
        return step;
    }
}
