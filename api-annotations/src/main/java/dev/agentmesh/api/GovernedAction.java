package dev.agentmesh.api;

/**
 * The body of a governed action: what {@link Session#execute} and {@link Session#runAs} run once the call is
 * allowed and recorded. It may throw any exception; the session rethrows it unchanged, checked or not, as a governed
 * method would.
 *
 * @param <T> what the action returns
 */
@FunctionalInterface
public interface GovernedAction<T> {

    /**
     * @return the action's result
     * @throws Exception whatever the action throws
     */
    T run() throws Exception;
}
