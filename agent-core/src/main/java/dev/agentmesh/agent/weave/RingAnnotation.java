package dev.agentmesh.agent.weave;

import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.annotation.AnnotationList;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Reads {@code @dev.agentmesh.api.Ring} from type descriptions by name, never by class literal, so matching never
 * loads the application's classes or depends on which copy of the API it sees.
 */
public final class RingAnnotation {

    /** The annotation's binary name. */
    public static final String NAME = "dev.agentmesh.api.Ring";

    private static final Logger LOG = LoggerFactory.getLogger(RingAnnotation.class);

    private RingAnnotation() {
    }

    /** @return types that declare a {@code @Ring} method or carry {@code @Ring} themselves */
    public static ElementMatcher.Junction<TypeDescription> governedTypes() {
        return isAnnotatedWith(named(NAME))
                .or(net.bytebuddy.matcher.ElementMatchers.declaresMethod(isAnnotatedWith(named(NAME))));
    }

    /**
     * Methods to weave: concrete, non-synthetic methods annotated {@code @Ring}, and public ones of a type that
     * carries {@code @Ring}. Synthetic bridges are skipped: they call the method that is woven.
     *
     * @return the matcher
     */
    public static ElementMatcher.Junction<MethodDescription> governedMethods() {
        return isMethod().and(not(isConstructor())).and(not(isAbstract())).and(not(isNative()))
                .and(not(isSynthetic()))
                .and(isAnnotatedWith(named(NAME))
                        .or(isPublic().and(isDeclaredBy(isAnnotatedWith(named(NAME))))));
    }

    /**
     * The ring a method's own {@code @Ring}, else its declaring type's, requires. Used where the method is known to
     * be matched; with neither annotation it logs the mistake and requires ring 0, which can only deny more.
     *
     * @param type the declaring type
     * @param method the method
     * @return the required ring
     */
    public static int requiredRing(TypeDescription type, MethodDescription method) {
        AnnotationDescription ring = find(method.getDeclaredAnnotations());
        if (ring == null) {
            ring = find(type.getDeclaredAnnotations());
        }
        if (ring == null) {
            LOG.error("{}#{} matched but carries no @Ring; requiring ring 0", type.getName(), method.getName());
            return 0;
        }
        return value(ring, type, method);
    }

    /**
     * @param method a method
     * @return the ring its own {@code @Ring} requires, or -1 if it carries none
     */
    static int ownRing(MethodDescription method) {
        AnnotationDescription ring = find(method.getDeclaredAnnotations());
        return ring == null ? -1 : value(ring, method.getDeclaringType().asErasure(), method);
    }

    /**
     * @param type the declaring type
     * @param method a method of it
     * @return the ring the type's {@code @Ring} requires of the method if it is public, or -1
     */
    static int typeRing(TypeDescription type, MethodDescription method) {
        if (!method.isPublic()) {
            return -1;
        }
        AnnotationDescription ring = find(type.getDeclaredAnnotations());
        return ring == null ? -1 : value(ring, type, method);
    }

    /** A value outside 0..3 is a programming error: logged, and ring 0 required, so it can only deny more. */
    private static int value(AnnotationDescription ring, TypeDescription type, MethodDescription method) {
        int value = ring.getValue("value").resolve(Integer.class);
        if (value < 0 || value > 3) {
            LOG.error("{}#{} has @Ring({}), outside 0..3; requiring ring 0", type.getName(), method.getName(),
                    value);
            return 0;
        }
        return value;
    }

    /**
     * @param method a loaded method
     * @param inherited whether rings are inherited ({@code defaults.inheritRing})
     * @return the ring {@code @Ring} requires of it (its own, its type's, or, if {@code inherited}, one it
     *         inherits), or -1 if none applies
     */
    public static int declaredRing(java.lang.reflect.Method method, boolean inherited) {
        TypeDescription type = TypeDescription.ForLoadedType.of(method.getDeclaringClass());
        return new RingInheritance(inherited).requiredRing(type, new MethodDescription.ForLoadedMethod(method));
    }

    /**
     * @param method a loaded method
     * @return the binary names of the annotations it carries, as policy rules name them
     */
    public static java.util.Set<String> annotationNames(java.lang.reflect.Method method) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (AnnotationDescription a : new MethodDescription.ForLoadedMethod(method).getDeclaredAnnotations()) {
            names.add(a.getAnnotationType().getName());
        }
        return names;
    }

    private static AnnotationDescription find(AnnotationList annotations) {
        for (AnnotationDescription a : annotations) {
            if (a.getAnnotationType().getName().equals(NAME)) {
                return a;
            }
        }
        return null;
    }
}
