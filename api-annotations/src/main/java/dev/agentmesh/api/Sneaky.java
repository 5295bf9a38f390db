package dev.agentmesh.api;

/**
 * Rethrows a checked exception without declaring it, so governed actions stay transparent: what the body throws is
 * what the caller sees, as with a governed method.
 */
final class Sneaky {

    private Sneaky() {
    }

    /**
     * @param e the exception to rethrow as it is
     * @param <E> inferred as an unchecked type at the call site
     * @return never returns; declared so callers can write {@code throw Sneaky.rethrow(e)}
     * @throws E always: {@code e} itself
     */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> E rethrow(Throwable e) throws E {
        throw (E) e;
    }
}
