package dev.agentmesh.agent.frameworks;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Optional;

/**
 * Finds a framework's public methods by reflection, so the agent reads framework objects without linking against
 * the framework: any version, in any loader.
 */
final class PublicApi {

    private PublicApi() {
    }

    /**
     * The method as a public type declares it: an SDK class may be package-private behind a public interface, and
     * a method of such a class cannot be invoked from outside its package even when the method is public.
     */
    static Optional<Method> method(Class<?> type, String name, Class<?>... parameters) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            Optional<Method> found = declaredPublicly(c, name, parameters);
            if (found.isPresent()) {
                return found;
            }
            for (Class<?> i : c.getInterfaces()) {
                Optional<Method> viaInterface = method(i, name, parameters);
                if (viaInterface.isPresent()) {
                    return viaInterface;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Method> declaredPublicly(Class<?> c, String name, Class<?>... parameters) {
        if (!Modifier.isPublic(c.getModifiers())) {
            return Optional.empty();
        }
        try {
            Method m = c.getDeclaredMethod(name, parameters);
            return Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) ? Optional.of(m)
                    : Optional.empty();
        } catch (NoSuchMethodException e) {
            return Optional.empty();
        }
    }

    /**
     * @param accessor a public no-argument (or given-argument) method's lookup, cached per class
     * @param target the object to call it on, or {@code null}
     * @param args its arguments
     * @return what it returned; {@code null} if {@code target} is {@code null} or has no such method
     */
    static Object call(ClassValue<Optional<Method>> accessor, Object target, Object... args) {
        if (target == null) {
            return null;
        }
        Optional<Method> method = accessor.get(target.getClass());
        if (method.isEmpty()) {
            return null;
        }
        try {
            return method.get().invoke(target, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call " + method.get(), e);
        }
    }

    /** @return a per-class cache of the public method {@code name} taking no arguments */
    static ClassValue<Optional<Method>> getter(String name) {
        return new ClassValue<>() {
            @Override
            protected Optional<Method> computeValue(Class<?> type) {
                return method(type, name);
            }
        };
    }
}
