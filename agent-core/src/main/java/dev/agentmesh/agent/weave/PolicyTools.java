package dev.agentmesh.agent.weave;

import dev.agentmesh.agent.policy.ToolRules;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Matches the methods the policy's {@code tools:} section names by {@code class#method} pattern or by annotation, so
 * they are governed with no {@code @Ring} in their source: the zero-code path for tools a team will not annotate.
 * Annotations are matched by name, never loaded. A method with its own {@code @Ring} (or in a type carrying one)
 * keeps it: {@link #requiredRing} asks the annotation first.
 */
final class PolicyTools {

    private final ToolRules tools;
    private final RingInheritance inheritance;
    private final LambdaBodies lambdas;
    private final ReferenceTargets referenceTargets;
    private final List<Pattern> classPatterns;
    private final String[] annotations;

    PolicyTools(ToolRules tools, RingInheritance inheritance, LambdaBodies lambdas,
            ReferenceTargets referenceTargets) {
        this.tools = tools;
        this.inheritance = inheritance;
        this.lambdas = lambdas;
        this.referenceTargets = referenceTargets;
        // Framework tool names (NAME rules) are decided where the framework calls its tools, not woven.
        this.classPatterns = tools.classPatterns();
        this.annotations = tools.annotationNames().toArray(String[]::new);
    }

    /** @return types a method pattern names, or that declare a method carrying a named annotation */
    ElementMatcher.Junction<TypeDescription> types() {
        if (!tools.matchesMethods()) {
            return none();
        }
        ElementMatcher.Junction<TypeDescription> byName = new ElementMatcher.Junction.AbstractBase<>() {
            @Override
            public boolean matches(TypeDescription type) {
                for (Pattern p : classPatterns) {
                    if (p.matcher(type.getName()).matches()) {
                        return true;
                    }
                }
                return false;
            }
        };
        return annotations.length == 0 ? byName
                : byName.or(ElementMatchers.declaresMethod(isAnnotatedWith(namedOneOf(annotations))));
    }

    /** @return concrete, non-synthetic methods whose {@code class#method} or annotations a rule names */
    ElementMatcher.Junction<MethodDescription> methods() {
        if (!tools.matchesMethods()) {
            return none();
        }
        return isMethod().and(not(isConstructor())).and(not(isAbstract())).and(not(isNative()))
                .and(not(isSynthetic())).and(new ElementMatcher.Junction.AbstractBase<MethodDescription>() {
                    @Override
                    public boolean matches(MethodDescription method) {
                        return tools.decide(null, method.getDeclaringType().asErasure().getName(),
                                method.getInternalName(), annotationNames(method)) != null;
                    }
                });
    }

    /**
     * @return the ring a woven method requires: the one {@code @Ring} gives it (its own, its type's, one it
     *         inherits, or, for a lambda body or a method a reference made before the agent calls, its interface
     *         method's) if any does, else the policy's
     */
    int requiredRing(TypeDescription type, MethodDescription method) {
        int declared = inheritance.requiredRing(type, method);
        if (declared < 0) {
            declared = lambdas.ringOf(type, method);
        }
        if (declared < 0) {
            declared = referenceTargets.ringOf(type, method);
        }
        return declared >= 0 ? declared
                : tools.ringOf(null, type.getName(), method.getInternalName(), annotationNames(method));
    }

    private static Set<String> annotationNames(MethodDescription method) {
        return method.getDeclaredAnnotations().stream().map(a -> a.getAnnotationType().getName())
                .collect(Collectors.toSet());
    }
}
