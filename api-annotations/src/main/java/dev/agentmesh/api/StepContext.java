package dev.agentmesh.api;

/**
 * The saga step running on the current thread, for actions and compensations that need their idempotency key:
 *
 * <pre>{@code
 * saga.step("charge",
 *         () -> cards.charge(1200, Saga.currentStep().orElseThrow().idempotencyKey()),
 *         receipt -> cards.refund(receipt, Saga.currentStep().orElseThrow().idempotencyKey()));
 * }</pre>
 *
 * <p>An action and its compensation see the same key, in every attempt and in a later run that recovers the saga.
 * Immutable.
 */
public final class StepContext {

    private final String sagaId;
    private final String sagaName;
    private final String step;
    private final String idempotencyKey;
    private final int attempt;
    private final boolean compensating;

    /**
     * @param sagaId the saga's id
     * @param sagaName the saga's name
     * @param step the step's name
     * @param idempotencyKey the step's idempotency key
     * @param attempt the 1-based attempt of the action or of the compensation
     * @param compensating whether this is the compensation rather than the action
     */
    public StepContext(String sagaId, String sagaName, String step, String idempotencyKey, int attempt,
            boolean compensating) {
        this.sagaId = sagaId;
        this.sagaName = sagaName;
        this.step = step;
        this.idempotencyKey = idempotencyKey;
        this.attempt = attempt;
        this.compensating = compensating;
    }

    /** @return the saga's id, unique across runs of the application */
    public String sagaId() {
        return sagaId;
    }

    /** @return the saga's name, as given to {@link Session#saga} */
    public String sagaName() {
        return sagaName;
    }

    /** @return the step's name */
    public String step() {
        return step;
    }

    /** @return {@code <sagaId>:<step>}, unless the step's options set another */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /** @return the 1-based attempt of the action, or of the compensation */
    public int attempt() {
        return attempt;
    }

    /** @return whether the compensation is running, rather than the action */
    public boolean compensating() {
        return compensating;
    }

    @Override
    public String toString() {
        return "StepContext[" + sagaId + " " + step + (compensating ? " compensation" : "") + " attempt " + attempt
                + ", key " + idempotencyKey + "]";
    }
}
