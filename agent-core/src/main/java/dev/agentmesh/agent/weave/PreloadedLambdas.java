package dev.agentmesh.agent.weave;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lambdas and method references implementing governed interface methods in classes defined before the agent started
 * (attached late, or after another agent loaded them). The weaver's own retransformation of loaded classes does not
 * see them: whether a class makes such lambdas shows only in its class file. So each loaded class's file is read
 * here, and:
 * <ul>
 *   <li>a class making such lambdas or references is retransformed, so that {@link LambdaBodies} weaves its lambda
 *       bodies;</li>
 *   <li>a method such a reference calls is woven itself, with the interface method's ring ({@link ReferenceTargets}),
 *       since no bridge can be added to a class already defined. Its other callers are governed with it. A method of
 *       the JDK, or a constructor, cannot be: that is logged.</li>
 * </ul>
 */
public final class PreloadedLambdas {

    private static final Logger LOG = LoggerFactory.getLogger(PreloadedLambdas.class);

    private PreloadedLambdas() {
    }

    /**
     * @param inst the JVM's instrumentation
     * @param bridges finds the governed method references of a class file
     * @param interfaces the weaver's, whose {@link ReferenceTargets} are filled here
     * @param agentLoader the agent's own loader, whose classes are left alone
     * @return the loaded classes to retransform: those making governed lambdas or references, and those declaring the
     *     methods such references call
     */
    public static Set<Class<?>> toRetransform(Instrumentation inst, MethodReferenceBridges bridges,
            GovernedInterfaces interfaces, ClassLoader agentLoader) {
        Set<Class<?>> retransform = new LinkedHashSet<>();
        if (!interfaces.enabled()) {
            return retransform;
        }
        for (Class<?> c : inst.getAllLoadedClasses()) {
            ClassLoader loader = c.getClassLoader();
            if (loader == null || c.isArray() || c.isPrimitive() || c.isHidden() || StartupGate.isJdk(c.getName())
                    || AgentOwn.isAgentLoader(loader, agentLoader) || !inst.isModifiableClass(c)) {
                continue;
            }
            String internalName = c.getName().replace('.', '/');
            if (bridges.wasRewritten(loader, internalName)) {
                continue; // defined after the agent started: given bridges, its lambdas woven
            }
            try {
                byte[] classFile = ClassFileLocator.ForClassLoader.read(c);
                if (!interfaces.mayMakeGovernedLambdas(loader, classFile)) {
                    continue;
                }
                retransform.add(c);
                Map<Handle, Integer> references = bridges.governedReferences(loader, internalName, classFile);
                references.forEach((target, ring) -> weaveTarget(c, target, ring, interfaces.referenceTargets(),
                        retransform));
            } catch (RuntimeException | LinkageError e) {
                // A class generated at run time has no class file to read; nothing else is lost.
                LOG.debug("could not read the lambdas of {}, loaded before the agent: {}", c.getName(), e.toString());
            }
        }
        return retransform;
    }

    private static void weaveTarget(Class<?> referrer, Handle target, int ring, ReferenceTargets targets,
            Set<Class<?>> retransform) {
        String named = target.getOwner().replace('/', '.') + "." + target.getName();
        Method method = target.getTag() == Opcodes.H_NEWINVOKESPECIAL ? null : find(referrer, target);
        if (method == null || Modifier.isAbstract(method.getModifiers()) || Modifier.isNative(method.getModifiers())
                || method.getDeclaringClass().getClassLoader() == null
                || StartupGate.isJdk(method.getDeclaringClass().getName())) {
            LOG.warn("{}, loaded before the agent started, implements a governed interface method with a reference "
                    + "to {}, which cannot be woven: calls through that reference are NOT governed", referrer.getName(),
                    named);
            return;
        }
        Class<?> declaring = method.getDeclaringClass();
        if (targets.add(declaring.getName(), method.getName(), Type.getMethodDescriptor(method), ring)) {
            retransform.add(declaring);
            LOG.info("{}, loaded before the agent started, implements a governed interface method with {}: that "
                    + "method is woven with ring {}, for all its callers", referrer.getName(), named, ring);
        }
    }

    /** @return the method {@code target} names as {@code referrer} resolves it, declared in its class or above */
    private static Method find(Class<?> referrer, Handle target) {
        Class<?> owner;
        try {
            owner = Class.forName(target.getOwner().replace('/', '.'), false, referrer.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
        for (Class<?> k = owner; k != null; k = k.getSuperclass()) {
            for (Method m : k.getDeclaredMethods()) {
                if (m.getName().equals(target.getName()) && Type.getMethodDescriptor(m).equals(target.getDesc())) {
                    return m;
                }
            }
        }
        return null;
    }
}
