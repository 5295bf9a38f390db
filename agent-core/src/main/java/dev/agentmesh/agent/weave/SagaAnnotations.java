package dev.agentmesh.agent.weave;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Reads {@code @dev.agentmesh.api.OpensSaga} and {@code @dev.agentmesh.api.SagaStep} from type descriptions by
 * name, as {@link RingAnnotation} reads {@code @Ring}.
 */
public final class SagaAnnotations {

    /** The binary name of the annotation on methods that open a saga. */
    public static final String OPENS_SAGA = "dev.agentmesh.api.OpensSaga";

    /** The binary name of the annotation on saga steps. */
    public static final String SAGA_STEP = "dev.agentmesh.api.SagaStep";

    private SagaAnnotations() {
    }

    /** @return types that declare a method carrying either annotation */
    public static ElementMatcher.Junction<TypeDescription> sagaTypes() {
        return declaresMethod(isAnnotatedWith(named(OPENS_SAGA)).or(isAnnotatedWith(named(SAGA_STEP))));
    }

    /** @return concrete methods that open a saga */
    public static ElementMatcher.Junction<MethodDescription> opensSaga() {
        return concrete().and(isAnnotatedWith(named(OPENS_SAGA)));
    }

    /** @return concrete methods that are saga steps */
    public static ElementMatcher.Junction<MethodDescription> steps() {
        return concrete().and(isAnnotatedWith(named(SAGA_STEP)));
    }

    private static ElementMatcher.Junction<MethodDescription> concrete() {
        return isMethod().and(not(isConstructor())).and(not(isAbstract())).and(not(isNative()))
                .and(not(isSynthetic()));
    }

    /**
     * @param type the declaring type
     * @param method a method matched by {@link #opensSaga()} or {@link #steps()}
     * @return what its annotation says
     */
    static SagaMethods.SagaMethod describe(TypeDescription type, MethodDescription method) {
        for (AnnotationDescription a : method.getDeclaredAnnotations()) {
            String name = a.getAnnotationType().getName();
            if (name.equals(OPENS_SAGA)) {
                return new SagaMethods.SagaMethod(true, type.getName(), method.getInternalName(),
                        method.getDescriptor(), a.getValue("value").resolve(String.class), "");
            }
            if (name.equals(SAGA_STEP)) {
                String step = a.getValue("name").resolve(String.class);
                return new SagaMethods.SagaMethod(false, type.getName(), method.getInternalName(),
                        method.getDescriptor(), step.isEmpty() ? method.getInternalName() : step,
                        a.getValue("compensation").resolve(String.class));
            }
        }
        throw new IllegalStateException(type.getName() + "#" + method.getName() + " carries no saga annotation");
    }
}
