package dev.agentmesh.bootstrap;

/**
 * The static bridge woven into {@code @OpensSaga} and {@code @SagaStep} methods. Until the agent installs its hooks,
 * it does nothing: those methods run as plain methods.
 */
public final class SagaWeaving {

    /** What the agent provides. */
    public interface Hooks {

        /**
         * An {@code @OpensSaga} method starts: opens a saga on this thread.
         *
         * @param methodId the method's id
         * @return a token for {@link #close}
         */
        Object open(int methodId);

        /**
         * An {@code @OpensSaga} method ends: completes its saga, or undoes it if the method threw.
         *
         * @param token what {@link #open} returned
         * @param thrown what the method threw, or {@code null}
         */
        void close(Object token, Throwable thrown);

        /**
         * A {@code @SagaStep} method starts: records the step STARTED if a saga is open on this thread.
         *
         * @param methodId the method's id
         * @param type the class declaring the method
         * @param target the receiver, or {@code null} for a static method
         * @param args the arguments
         * @return a token for {@link #exitStep}, or {@code null} if no saga is open
         */
        Object enterStep(int methodId, Class<?> type, Object target, Object[] args);

        /**
         * A {@code @SagaStep} method ends.
         *
         * @param token what {@link #enterStep} returned (not null)
         * @param result what it returned (boxed), or {@code null}
         * @param thrown what it threw, or {@code null}
         */
        void exitStep(Object token, Object result, Throwable thrown);

        /**
         * A framework is about to run a compensation of its own for a call of {@code step} (LangChain4j's
         * {@code @CompensateFor}). If that call was a completed step of the saga open on this thread, the saga
         * records the compensation as that step's and will not run its own for it.
         *
         * @param step the step method the framework undoes
         * @param compensation the method that undoes it
         * @param framework the framework's short name
         * @return a token for {@link #externalCompensationEnded}, or {@code null} if no saga step is concerned
         */
        Object externalCompensation(java.lang.reflect.Method step, java.lang.reflect.Method compensation,
                String framework);

        /**
         * @param token what {@link #externalCompensation} returned (not null)
         * @param failure what the compensation threw or reported, or {@code null} if it succeeded; on a failure the
         *     saga keeps the step to compensate itself
         */
        void externalCompensationEnded(Object token, Throwable failure);
    }

    /** Set once, as the class initialises, from {@link Handoff#installSagaHooks}; {@code null} if none. */
    private static final Hooks hooks = Handoff.takeSagaHooks();

    private SagaWeaving() {
    }

    /** @return whether {@code h} are the hooks installed */
    static boolean isInstalled(Hooks h) {
        return hooks == h;
    }

    /** @see Hooks#open */
    public static Object open(int methodId) {
        Hooks h = hooks;
        return h == null ? null : h.open(methodId);
    }

    /** @see Hooks#close */
    public static void close(Object token, Throwable thrown) {
        Hooks h = hooks;
        if (h != null && token != null) {
            h.close(token, thrown);
        }
    }

    /** @see Hooks#enterStep */
    public static Object enterStep(int methodId, Class<?> type, Object target, Object[] args) {
        Hooks h = hooks;
        return h == null ? null : h.enterStep(methodId, type, target, args);
    }

    /** @see Hooks#exitStep */
    public static void exitStep(Object token, Object result, Throwable thrown) {
        Hooks h = hooks;
        if (h != null && token != null) {
            h.exitStep(token, result, thrown);
        }
    }

    /** @see Hooks#externalCompensation */
    public static Object externalCompensation(java.lang.reflect.Method step, java.lang.reflect.Method compensation,
            String framework) {
        Hooks h = hooks;
        return h == null ? null : h.externalCompensation(step, compensation, framework);
    }

    /** @see Hooks#externalCompensationEnded */
    public static void externalCompensationEnded(Object token, Throwable failure) {
        Hooks h = hooks;
        if (h != null && token != null) {
            h.externalCompensationEnded(token, failure);
        }
    }
}
