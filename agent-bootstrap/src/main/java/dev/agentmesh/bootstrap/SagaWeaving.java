package dev.agentmesh.bootstrap;

/**
 * The static bridge woven into {@code @OpensSaga} and {@code @SagaStep} methods. Until the agent installs its hooks,
 * it does nothing: those methods run as plain methods.
 *
 * <p>Woven code names its method by a token only the weaver gave it (see {@link Governor}): code calling the bridge
 * itself cannot record a step that did not run (whose compensation the saga would later run), or have the saga skip
 * a compensation.
 */
public final class SagaWeaving {

    /** What the agent provides. */
    public interface Hooks {

        /**
         * An {@code @OpensSaga} method starts: opens a saga on this thread.
         *
         * @param methodToken the method's token, as the weaver baked it in
         * @return a token for {@link #close}
         * @throws SecurityException if {@code methodToken} is not one the weaver gave
         */
        Object open(long methodToken);

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
         * @param methodToken the method's token, as the weaver baked it in
         * @param type the class declaring the method
         * @param target the receiver, or {@code null} for a static method
         * @param args the arguments
         * @return a token for {@link #exitStep}, or {@code null} if no saga is open
         * @throws SecurityException if {@code methodToken} is not one the weaver gave
         */
        Object enterStep(long methodToken, Class<?> type, Object target, Object[] args);

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
         * @param frameworkToken the token the weaver baked into the framework's choke point
         * @param step the step method the framework undoes
         * @param compensation the method that undoes it
         * @param framework the framework's short name
         * @return a token for {@link #externalCompensationEnded}, or {@code null} if no saga step is concerned
         * @throws SecurityException if {@code frameworkToken} is not the weaver's
         */
        Object externalCompensation(long frameworkToken, java.lang.reflect.Method step, java.lang.reflect.Method compensation,
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
    public static Object open(long methodToken) {
        Hooks h = hooks;
        return h == null ? null : h.open(methodToken);
    }

    /** @see Hooks#close */
    public static void close(Object token, Throwable thrown) {
        Hooks h = hooks;
        if (h != null && token != null) {
            h.close(token, thrown);
        }
    }

    /** @see Hooks#enterStep */
    public static Object enterStep(long methodToken, Class<?> type, Object target, Object[] args) {
        Hooks h = hooks;
        return h == null ? null : h.enterStep(methodToken, type, target, args);
    }

    /** @see Hooks#exitStep */
    public static void exitStep(Object token, Object result, Throwable thrown) {
        Hooks h = hooks;
        if (h != null && token != null) {
            h.exitStep(token, result, thrown);
        }
    }

    /** @see Hooks#externalCompensation */
    public static Object externalCompensation(long frameworkToken, java.lang.reflect.Method step,
            java.lang.reflect.Method compensation, String framework) {
        Hooks h = hooks;
        return h == null ? null : h.externalCompensation(frameworkToken, step, compensation, framework);
    }

    /** @see Hooks#externalCompensationEnded */
    public static void externalCompensationEnded(Object token, Throwable failure) {
        Hooks h = hooks;
        if (h != null && token != null) {
            h.externalCompensationEnded(token, failure);
        }
    }
}
