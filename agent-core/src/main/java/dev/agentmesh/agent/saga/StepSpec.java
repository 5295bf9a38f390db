package dev.agentmesh.agent.saga;

import dev.agentmesh.api.Compensation;
import dev.agentmesh.api.GovernedAction;
import dev.agentmesh.api.StepOptions;

/**
 * One step as defined: its action, its compensation and how it runs.
 *
 * @param name the step's name
 * @param action what it does
 * @param compensation how to undo it, or {@code null} if nothing needs undoing
 * @param options retries, timeout, key, pivot
 * @param group the parallel group it belongs to (1-based), or 0 if it runs alone
 */
record StepSpec(String name, GovernedAction<?> action, Compensation<Object> compensation, StepOptions options,
        int group) {

    /** The descriptor of a step with nothing to undo. */
    static final String NO_COMPENSATION = "-";

    /**
     * @param sagaName the saga's name
     * @return what the STEP_STARTED record names as the compensation: {@code <saga>/<step>}, which recovery looks
     *     up among the registered compensations, or {@value #NO_COMPENSATION}
     */
    String descriptor(String sagaName) {
        return compensation == null ? NO_COMPENSATION : sagaName + "/" + name;
    }

    /** @return the STEP_STARTED flags: {@code pivot}, {@code group=<n>}, comma-separated */
    String flags() {
        String pivot = options.pivot() ? "pivot" : "";
        String inGroup = group > 0 ? "group=" + group : "";
        return pivot.isEmpty() ? inGroup : inGroup.isEmpty() ? pivot : pivot + "," + inGroup;
    }

    /**
     * @param sagaId the saga's id
     * @return the idempotency key the action and compensation see
     */
    String idempotencyKey(String sagaId) {
        return options.idempotencyKey() != null ? options.idempotencyKey() : sagaId + ":" + name;
    }
}
