package dev.agentmesh.agent.weave;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.description.type.TypeList;
import net.bytebuddy.matcher.ElementMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * The ring a method with no {@code @Ring} of its own takes from the {@code @Ring} methods it overrides or implements
 * ({@code defaults.inheritRing}, on unless the policy turns it off). Without it, a subclass, an implementation of a
 * {@code @Ring} interface method, or an enum constant's body would run its override ungoverned.
 *
 * <p>Along each path up the hierarchy the nearest declaration decides: a method's own {@code @Ring}, else its type's
 * {@code @Ring} if the method is public. Across paths (the superclass and each interface) the strictest ring wins, so
 * implementing one more interface can only tighten a method. Overrides are matched by name and by parameter types
 * as the subtype sees them, so a generic override ({@code handle(String)} for {@code Handler<T>.handle(T)}) is
 * found, and the bridge the compiler adds is left alone: it calls the woven method. JDK types are never looked at:
 * they carry no {@code @Ring}.
 *
 * <p>Matching a type means reading its supertypes' class files, so what each loader's supertypes say is remembered,
 * by name: every class that loads asks, and most have supertypes that were asked about before.
 */
final class RingInheritance {

    private static final Logger LOG = LoggerFactory.getLogger(RingInheritance.class);

    /** Deeper than any real hierarchy; a class file that claims a cycle stops here. */
    private static final int MAX_DEPTH = 64;

    private final boolean enabled;
    /** Per initiating loader: whether the named supertype, or any of its own, carries or declares {@code @Ring}. */
    private final Map<ClassLoader, Map<String, Boolean>> governedSupertypes = new WeakHashMap<>();

    /** @param enabled whether rings are inherited at all ({@code defaults.inheritRing}) */
    RingInheritance(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * @param type a type being loaded
     * @param loader its loader
     * @return whether a supertype carries {@code @Ring} or declares a {@code @Ring} method, so the type may
     *         inherit a ring
     */
    boolean hasGovernedSupertype(TypeDescription type, ClassLoader loader) {
        return enabled && anyGovernedAbove(type, knownFor(loader), 0);
    }

    /** @return concrete methods with no {@code @Ring} of their own that inherit one */
    ElementMatcher.Junction<MethodDescription> methods() {
        if (!enabled) {
            return none();
        }
        return isMethod().and(not(isConstructor())).and(not(isAbstract())).and(not(isNative()))
                .and(not(isSynthetic())).and(not(isStatic()))
                .and(new ElementMatcher.Junction.AbstractBase<MethodDescription>() {
                    @Override
                    public boolean matches(MethodDescription method) {
                        return RingAnnotation.ownRing(method) < 0
                                && inheritedRing(method.getDeclaringType(), method) >= 0;
                    }
                });
    }

    /**
     * The ring {@code @Ring} requires of a method: its own, else the stricter of the one it inherits and its type's
     * (for a public method).
     *
     * @param type the declaring type
     * @param method the method
     * @return the ring, or -1 if no {@code @Ring} applies to it
     */
    int requiredRing(TypeDescription type, MethodDescription method) {
        int own = RingAnnotation.ownRing(method);
        if (own >= 0) {
            return own;
        }
        int ofType = RingAnnotation.typeRing(type, method);
        return stricter(ofType, inheritedRing(type, method));
    }

    /**
     * @param type the type declaring {@code method}
     * @param method a method of it
     * @return the ring it inherits from the methods it overrides or implements, or -1 if none carries one
     */
    int inheritedRing(TypeDefinition type, MethodDescription method) {
        if (!enabled || method.isStatic() || method.isPrivate() || method.isConstructor()) {
            return -1;
        }
        return fromSupertypes(type, method.getInternalName(), method.getParameters().asTypeList().asErasures(), 0);
    }

    private int fromSupertypes(TypeDefinition type, String name, TypeList parameters, int depth) {
        int ring = -1;
        if (depth > MAX_DEPTH) {
            return ring;
        }
        for (TypeDescription.Generic supertype : supertypes(type)) {
            try {
                if (StartupGate.isJdk(supertype.asErasure().getName())) {
                    continue;
                }
                int declared = declaredIn(supertype, name, parameters);
                ring = stricter(ring, declared >= 0 ? declared : fromSupertypes(supertype, name, parameters,
                        depth + 1));
            } catch (RuntimeException unreadable) {
                unreadable(supertype, unreadable);
            }
        }
        return ring;
    }

    /** @return the ring of {@code name(parameters)} as {@code supertype} declares it, or -1 */
    private static int declaredIn(TypeDescription.Generic supertype, String name, TypeList parameters) {
        // The supertype as the subtype sees it: type variables are bound, so parameters compare as erased there.
        for (MethodDescription candidate : supertype.getDeclaredMethods()) {
            if (candidate.isStatic() || candidate.isPrivate() || candidate.isConstructor()
                    || !candidate.getInternalName().equals(name)
                    || !candidate.getParameters().asTypeList().asErasures().equals(parameters)) {
                continue;
            }
            int own = RingAnnotation.ownRing(candidate);
            return own >= 0 ? own : RingAnnotation.typeRing(supertype.asErasure(), candidate);
        }
        return -1;
    }

    private boolean anyGovernedAbove(TypeDefinition type, Map<String, Boolean> known, int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        for (TypeDescription.Generic supertype : supertypes(type)) {
            try {
                TypeDescription erasure = supertype.asErasure();
                String name = erasure.getName();
                if (StartupGate.isJdk(name)) {
                    continue;
                }
                Boolean governed = known.get(name);
                if (governed == null) {
                    governed = RingAnnotation.governedTypes().matches(erasure)
                            || anyGovernedAbove(erasure, known, depth + 1);
                    known.put(name, governed);
                }
                if (governed) {
                    return true;
                }
            } catch (RuntimeException unreadable) {
                unreadable(supertype, unreadable);
            }
        }
        return false;
    }

    /** @return the superclass, if any, and the interfaces; none if they cannot be read */
    private static List<TypeDescription.Generic> supertypes(TypeDefinition type) {
        List<TypeDescription.Generic> all = new ArrayList<>();
        try {
            TypeDescription.Generic superClass = type.getSuperClass();
            if (superClass != null) {
                all.add(superClass);
            }
            all.addAll(type.getInterfaces());
        } catch (RuntimeException unreadable) {
            unreadable(type, unreadable);
        }
        return all;
    }

    /**
     * A supertype whose class file cannot be found or read was made at run time, with no {@code @Ring} compiled
     * into it: it gives no ring.
     */
    private static void unreadable(TypeDefinition type, RuntimeException e) {
        LOG.debug("could not read the supertypes of {}: {}", type.getTypeName(), e.toString());
    }

    private Map<String, Boolean> knownFor(ClassLoader loader) {
        synchronized (governedSupertypes) {
            return governedSupertypes.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
        }
    }

    /** @return the stricter (lower) of two rings, where -1 means "none" */
    private static int stricter(int a, int b) {
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }
}
