package dev.agentmesh.agent.frameworks;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Follows a Reactor {@code Mono} an asynchronous tool handler returned, by reflection through its public API (the
 * agent does not link against Reactor): {@code doOnSuccess}, {@code doOnError} and {@code doOnCancel} report its end.
 * Nothing is subscribed here; the framework's own subscription runs the hooks.
 */
final class ReactiveResults {

    private static final ClassValue<Optional<Method>> ON_SUCCESS = hook("doOnSuccess", Consumer.class);
    private static final ClassValue<Optional<Method>> ON_ERROR = hook("doOnError", Consumer.class);
    private static final ClassValue<Optional<Method>> ON_CANCEL = hook("doOnCancel", Runnable.class);

    private ReactiveResults() {
    }

    /**
     * @param result what the handler returned
     * @param done told {@code null} when it succeeds, or what it failed with (a cancellation is a
     *     {@link java.util.concurrent.CancellationException})
     * @return the publisher that reports its end to {@code done}, or {@code null} if {@code result} is not one
     */
    static Object whenDone(Object result, Consumer<Throwable> done) {
        if (result == null || ON_SUCCESS.get(result.getClass()).isEmpty()) {
            return null;
        }
        Consumer<Object> succeeded = value -> done.accept(null);
        Consumer<Throwable> failed = done::accept;
        Runnable cancelled = () -> done.accept(new java.util.concurrent.CancellationException("cancelled"));
        Object followed = PublicApi.call(ON_SUCCESS, result, succeeded);
        followed = PublicApi.call(ON_ERROR, followed, failed);
        return PublicApi.call(ON_CANCEL, followed, cancelled);
    }

    private static ClassValue<Optional<Method>> hook(String name, Class<?> parameter) {
        return new ClassValue<>() {
            @Override
            protected Optional<Method> computeValue(Class<?> type) {
                return PublicApi.method(type, name, parameter);
            }
        };
    }
}
