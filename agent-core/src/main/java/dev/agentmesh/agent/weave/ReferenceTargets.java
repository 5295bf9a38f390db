package dev.agentmesh.agent.weave;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Methods woven because a method reference in a class defined before the agent started implements a governed
 * interface method with them ({@code Payments p = bank::send} in a class loaded before a late attach). Such a class
 * cannot be given a bridge ({@link MethodReferenceBridges}): no method can be added to a class already defined, and
 * its references' hidden classes call the method directly. So the method itself is woven, with the interface method's
 * ring, which governs its other callers too: the price of governing a reference made before the agent came.
 *
 * <p>Thread-safe; the weaver's matchers read it as classes are transformed.
 */
final class ReferenceTargets {

    /** {@code class#name descriptor} to the ring, the strictest of the references naming it. */
    private final Map<String, Integer> rings = new ConcurrentHashMap<>();
    private final Set<String> classNames = ConcurrentHashMap.newKeySet();

    /**
     * @param className the binary name of the class declaring the method
     * @param methodName its name
     * @param descriptor its descriptor
     * @param ring the ring of the interface method a reference implements with it
     * @return whether this is news: the method was not a target, or now takes a stricter ring
     */
    boolean add(String className, String methodName, String descriptor, int ring) {
        boolean[] news = {false};
        rings.compute(className + '#' + methodName + descriptor, (k, before) -> {
            news[0] = before == null || ring < before;
            return news[0] ? ring : before;
        });
        classNames.add(className);
        return news[0];
    }

    /** @return the types declaring a target */
    ElementMatcher.Junction<TypeDescription> types() {
        return new ElementMatcher.Junction.AbstractBase<>() {
            @Override
            public boolean matches(TypeDescription type) {
                return !classNames.isEmpty() && classNames.contains(type.getName());
            }
        };
    }

    /** @return the targets: methods with a body */
    ElementMatcher.Junction<MethodDescription> methods() {
        return LambdaBodies.withRing(this::ringOf);
    }

    /**
     * @param type the type being woven
     * @param method a method of it
     * @return the ring it takes as a target, or -1 if it is none
     */
    int ringOf(TypeDescription type, MethodDescription method) {
        if (rings.isEmpty()) {
            return -1;
        }
        return rings.getOrDefault(type.getName() + '#' + method.getInternalName() + method.getDescriptor(), -1);
    }
}
