package dev.agentmesh.api;

/**
 * A group of saga steps that run at the same time, added with {@link Saga#parallel}. The group completes when every
 * step in it has; if one fails, the saga waits for the others to finish, then compensates every step that
 * completed, the group's included.
 */
public interface ParallelSteps {

    /**
     * Adds a step to the group, with the default {@link StepOptions}.
     *
     * @param name the step's name, unique in the saga, following the id rule of {@link Ids}
     * @param action what the step does
     * @param compensation how to undo it
     * @param <T> what the action returns
     * @return this group
     */
    <T> ParallelSteps step(String name, GovernedAction<T> action, Compensation<? super T> compensation);

    /**
     * Adds a step to the group.
     *
     * @param name the step's name, unique in the saga
     * @param action what the step does
     * @param compensation how to undo it, or {@code null} if nothing needs undoing
     * @param options retries, timeout, idempotency key; a step in a group cannot be the pivot
     * @param <T> what the action returns
     * @return this group
     */
    <T> ParallelSteps step(String name, GovernedAction<T> action, Compensation<? super T> compensation,
            StepOptions options);
}
