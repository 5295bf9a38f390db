package dev.agentmesh.agent.saga;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;

/**
 * The compensation method a {@code @SagaStep} names: a method of the step's class taking the step's result, its
 * arguments, or the result followed by the arguments. Found by name and shape, in that order of preference.
 *
 * @param method the compensation
 * @param takesResult whether its first parameter is the step's result
 * @param takesArgs whether it takes the step's arguments
 */
record CompensationMethod(Method method, boolean takesResult, boolean takesArgs) {

    /**
     * @param type the class declaring the step (the compensation may be declared by it or a superclass)
     * @param stepName the step method's name
     * @param stepDescriptor its JVM descriptor
     * @param compensation the compensation method's name
     * @return the compensation
     * @throws IllegalStateException if the step or a fitting compensation cannot be found
     */
    static CompensationMethod resolve(Class<?> type, String stepName, String stepDescriptor, String compensation) {
        Method step = find(type, stepName, stepDescriptor);
        Class<?> result = step.getReturnType();
        Class<?>[] params = step.getParameterTypes();
        List<Method> named = new ArrayList<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(compensation) && !m.isSynthetic()) {
                    named.add(m);
                }
            }
        }
        boolean isStatic = Modifier.isStatic(step.getModifiers());
        for (Method m : named) {
            if (Modifier.isStatic(m.getModifiers()) != isStatic) {
                continue;
            }
            Class<?>[] p = m.getParameterTypes();
            if (result != void.class && p.length == 1 && fits(p[0], result)) {
                return open(new CompensationMethod(m, true, false));
            }
            if (Arrays.equals(p, params)) {
                return open(new CompensationMethod(m, false, true));
            }
            if (result != void.class && p.length == params.length + 1 && fits(p[0], result)
                    && Arrays.equals(Arrays.copyOfRange(p, 1, p.length), params)) {
                return open(new CompensationMethod(m, true, true));
            }
        }
        throw new IllegalStateException("@SagaStep " + type.getName() + "#" + stepName + " names compensation \""
                + compensation + "\", but " + type.getName() + " has no " + (isStatic ? "static " : "non-static ")
                + "method " + compensation + " taking " + (result == void.class ? "" : "(" + result.getSimpleName()
                + "), ") + "(" + names(params) + ")" + (result == void.class ? "" : " or (" + result.getSimpleName()
                + (params.length == 0 ? "" : ", " + names(params)) + ")"));
    }

    /**
     * Calls the compensation.
     *
     * @param target the tools object, or {@code null} for a static step
     * @param result the step's result, or {@code null} if unknown
     * @param args the step's arguments
     * @throws Exception what the compensation threw
     */
    void invoke(Object target, Object result, Object[] args) throws Exception {
        // An unknown outcome reaches a primitive result parameter as its zero, since it cannot be null.
        Object given = result == null && takesResult && method.getParameterTypes()[0].isPrimitive()
                ? java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(method.getParameterTypes()[0], 1), 0)
                : result;
        Object[] call = takesResult && takesArgs ? concat(given, args) : takesResult ? new Object[] {given} : args;
        try {
            method.invoke(target, call);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw (Error) e.getCause();
        }
    }

    private static Method find(Class<?> type, String name, String descriptor) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name)
                        && new MethodDescription.ForLoadedMethod(m).getDescriptor().equals(descriptor)) {
                    return m;
                }
            }
        }
        throw new IllegalStateException(type.getName() + " has no method " + name + descriptor);
    }

    private static CompensationMethod open(CompensationMethod c) {
        c.method.setAccessible(true);
        return c;
    }

    private static boolean fits(Class<?> param, Class<?> value) {
        return box(param).isAssignableFrom(box(value));
    }

    private static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        return java.lang.invoke.MethodType.methodType(c).wrap().returnType();
    }

    private static Object[] concat(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static String names(Class<?>[] types) {
        return String.join(", ", Arrays.stream(types).map(Class::getSimpleName).toList());
    }
}
