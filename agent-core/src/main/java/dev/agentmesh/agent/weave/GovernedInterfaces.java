package dev.agentmesh.agent.weave;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * The ring of an interface method a lambda or a method reference implements, read through the loader of the class
 * that makes it. An interface whose class file, and its supertypes', name no {@code @Ring} is ruled out from its
 * bytes alone ({@link WeavingCandidates#namesRing}, remembered per loader); only the rest is parsed.
 */
public final class GovernedInterfaces {

    private final WeavingCandidates candidates;
    private final RingInheritance inheritance;
    private final boolean enabled;
    private final ReferenceTargets referenceTargets = new ReferenceTargets();

    /**
     * @param candidates reads interfaces' class files through a loader, remembering what they say
     * @param inheritance gives a method the ring {@code @Ring} gives it
     * @param enabled whether rings are inherited at all ({@code defaults.inheritRing}): a lambda or a method
     *        reference is an implementation like any other
     */
    GovernedInterfaces(WeavingCandidates candidates, RingInheritance inheritance, boolean enabled) {
        this.candidates = candidates;
        this.inheritance = inheritance;
        this.enabled = enabled;
    }

    /**
     * One for the weaver and the method-reference bridges together, so what each loader's class files say is read
     * and remembered once.
     *
     * @param toolRules the policy's {@code tools:} section, which says whether rings are inherited
     * @return the interfaces' rings as that policy reads them
     */
    public static GovernedInterfaces of(dev.agentmesh.agent.policy.ToolRules toolRules) {
        return new GovernedInterfaces(new WeavingCandidates(toolRules), new RingInheritance(toolRules.ringInherited()),
                toolRules.ringInherited());
    }

    /** @return the ring inheritance these rings follow, with its per-loader memory */
    RingInheritance inheritance() {
        return inheritance;
    }

    /** @return the methods woven for method references made before the agent started */
    ReferenceTargets referenceTargets() {
        return referenceTargets;
    }

    /** @return whether rings are inherited at all */
    boolean enabled() {
        return enabled;
    }

    /**
     * @param loader the loader of the class that makes the lambda
     * @param classFile that class's file
     * @return whether it makes lambdas and names an interface that may be governed: the cheap test before parsing
     */
    boolean mayMakeGovernedLambdas(ClassLoader loader, byte[] classFile) {
        return candidates.makesGovernedLambdas(loader, classFile);
    }

    /**
     * @param loader the loader of the class that makes the lambda
     * @param iface the interface's internal name
     * @param method the interface method's name
     * @param erasedDescriptor its erased descriptor, as the lambda's call site gives it
     * @return the ring {@code @Ring} gives that method as the interface or one above it declares it (the
     *         strictest, if several do), or -1
     */
    int ringOf(ClassLoader loader, String iface, String method, String erasedDescriptor) {
        if (StartupGate.isJdk(iface) || !candidates.namesRing(loader, iface)) {
            return -1;
        }
        TypePool pool = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(loader));
        int ring = -1;
        Deque<TypeDescription> todo = new ArrayDeque<>(List.of(pool.describe(iface.replace('/', '.')).resolve()));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            TypeDescription type = todo.poll();
            if (!seen.add(type.getName()) || StartupGate.isJdk(type.getName())) {
                continue;
            }
            for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
                if (m.getInternalName().equals(method) && m.getDescriptor().equals(erasedDescriptor)) {
                    int declared = inheritance.requiredRing(type, m);
                    ring = ring < 0 ? declared : declared < 0 ? ring : Math.min(ring, declared);
                }
            }
            for (TypeDescription.Generic up : type.getInterfaces()) {
                todo.add(up.asErasure());
            }
        }
        return ring;
    }
}
