package dev.agentmesh.agent.saga;

/**
 * How a step's action ended.
 *
 * @param step the step
 * @param completed whether it returned and its result is on the trail
 * @param result what it returned, or {@code null}
 * @param failure what it threw in its last attempt, or {@code null}
 * @param mayHaveActed whether it failed but may still have had its effect: an attempt timed out, or it returned a
 *     value the trail cannot hold; such a step is compensated too
 */
record StepOutcome(StepSpec step, boolean completed, Object result, Throwable failure, boolean mayHaveActed) {

    static StepOutcome completed(StepSpec step, Object result) {
        return new StepOutcome(step, true, result, null, false);
    }

    static StepOutcome failed(StepSpec step, Throwable failure, boolean unknown) {
        return new StepOutcome(step, false, null, failure, unknown);
    }

    static StepOutcome unrecordable(StepSpec step, Throwable failure, Object result) {
        return new StepOutcome(step, false, result, failure, true);
    }

    /** @return whether compensation must undo it (if it has a compensation) */
    boolean needsUndo() {
        return completed || mayHaveActed;
    }
}
