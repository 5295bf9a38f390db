package dev.agentmesh.api;

/**
 * Undoes what a saga step did. It receives the step's result: the booking to cancel, the receipt to refund. It must
 * be safe to run again with the same {@linkplain StepContext#idempotencyKey() idempotency key}: after a crash in
 * the middle of a compensation, the recovering run cannot know whether it took effect, and runs it again.
 *
 * <p>It receives {@code null} when the step's outcome is unknown: the step timed out, or the application died while
 * it ran. Then the idempotency key is how the compensation finds what, if anything, to undo.
 *
 * @param <T> the step's result type
 */
@FunctionalInterface
public interface Compensation<T> {

    /**
     * @param result what the step returned, or {@code null} if its outcome is unknown
     * @throws Exception if the undo failed; it is retried as the step's options say
     */
    void compensate(T result) throws Exception;
}
