package dev.agentmesh.agent.weave;

import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;
import net.bytebuddy.utility.OpenedClassReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.not;

/**
 * Lambda bodies that implement a governed interface method ({@code Payments p = to -> bank.send(to)} where
 * {@code Payments.pay} carries {@code @Ring}). The JVM makes a lambda's class a hidden class, which no agent may
 * transform, so the body is woven instead: the synthetic method javac puts in the class that makes the lambda
 * ({@code lambda$main$0}), with the ring of the interface method it implements. That method is found at the
 * lambda's call site: its bootstrap is {@code LambdaMetafactory}, its type returns the interface, its first
 * bootstrap argument is the interface method's erased type and its second the body. A method reference
 * ({@code bank::send}) has no body of its own and is not woven here: the method it names is governed if it is.
 *
 * <p>The class file is read as ByteBuddy is handed it (this is its {@link AgentBuilder.ClassFileBufferStrategy}),
 * on the thread loading the class, and what it finds is kept on that thread for the class's matching and weaving,
 * which follow on the same thread. Most classes cost a byte search: only a class that makes lambdas and names an
 * interface whose class file names {@code @Ring} ({@link GovernedInterfaces}) is parsed.
 */
final class LambdaBodies implements AgentBuilder.ClassFileBufferStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(LambdaBodies.class);
    private static final String LAMBDA_METAFACTORY = "java/lang/invoke/LambdaMetafactory";

    private final GovernedInterfaces interfaces;
    private final boolean enabled;
    private final ThreadLocal<Found> found = new ThreadLocal<>();

    /** @param interfaces finds the ring of the interface method a lambda implements, if rings are inherited */
    LambdaBodies(GovernedInterfaces interfaces) {
        this.interfaces = interfaces;
        this.enabled = interfaces.enabled();
    }

    @Override
    public ClassFileLocator resolve(String name, byte[] binaryRepresentation, ClassLoader classLoader,
            JavaModule module, ProtectionDomain protectionDomain) {
        Found bodies = null;
        if (enabled && classLoader != null && !StartupGate.isJdk(name)) {
            try {
                bodies = scan(name, binaryRepresentation, classLoader);
            } catch (RuntimeException e) {
                LOG.error("could not read the lambdas of {}; any that implement a @Ring method are NOT governed: {}",
                        name, e.toString());
            }
        }
        found.set(bodies);
        return Default.RETAINING.resolve(name, binaryRepresentation, classLoader, module, protectionDomain);
    }

    @Override
    public TypePool typePool(AgentBuilder.PoolStrategy poolStrategy, ClassFileLocator classFileLocator,
            ClassLoader classLoader, String name) {
        return Default.RETAINING.typePool(poolStrategy, classFileLocator, classLoader, name);
    }

    /**
     * @param type a type being matched, on the thread loading it
     * @return whether it holds lambda bodies to weave
     */
    boolean hasBodies(TypeDescription type) {
        Found f = found.get();
        return f != null && f.typeName.equals(type.getName());
    }

    /** @return the lambda bodies of the type being woven on this thread */
    ElementMatcher.Junction<MethodDescription> methods() {
        return withRing(this::ringOf);
    }

    /**
     * @param ringOf a method's ring, or -1
     * @return methods with a body (not constructors) to which {@code ringOf} gives a ring
     */
    static ElementMatcher.Junction<MethodDescription> withRing(
            java.util.function.ToIntBiFunction<TypeDescription, MethodDescription> ringOf) {
        return isMethod().and(not(isConstructor())).and(not(isAbstract())).and(not(isNative()))
                .and(new ElementMatcher.Junction.AbstractBase<MethodDescription>() {
                    @Override
                    public boolean matches(MethodDescription method) {
                        return ringOf.applyAsInt(method.getDeclaringType().asErasure(), method) >= 0;
                    }
                });
    }

    /**
     * @param type the type being woven on this thread
     * @param method a method of it
     * @return the ring of the interface method it is the lambda body of, or -1
     */
    int ringOf(TypeDescription type, MethodDescription method) {
        Found f = found.get();
        if (f == null || !f.typeName.equals(type.getName())) {
            return -1;
        }
        return f.rings.getOrDefault(method.getInternalName() + method.getDescriptor(), -1);
    }

    private Found scan(String name, byte[] classFile, ClassLoader loader) {
        if (!interfaces.mayMakeGovernedLambdas(loader, classFile)) {
            return null;
        }
        Map<String, Integer> rings = new HashMap<>();
        for (Site site : sites(name.replace('.', '/'), classFile)) {
            int ring = interfaces.ringOf(loader, site.iface, site.method, site.erasedType);
            if (ring >= 0) {
                rings.merge(site.body, ring, Math::min);
            }
        }
        return rings.isEmpty() ? null : new Found(name, rings);
    }

    /** The lambda call sites whose body is a method of this class. */
    private static List<Site> sites(String internalName, byte[] classFile) {
        List<Site> sites = new ArrayList<>();
        ClassReader reader = OpenedClassReader.of(classFile);
        reader.accept(new ClassVisitor(OpenedClassReader.ASM_API) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                return new MethodVisitor(OpenedClassReader.ASM_API) {
                    @Override
                    public void visitInvokeDynamicInsn(String method, String type, Handle bootstrap,
                            Object... arguments) {
                        if (bootstrap.getOwner().equals(LAMBDA_METAFACTORY) && arguments.length >= 2
                                && arguments[0] instanceof Type erased && arguments[1] instanceof Handle body
                                && body.getOwner().equals(internalName) && body.getName().startsWith("lambda$")
                                && Type.getReturnType(type).getSort() == Type.OBJECT) {
                            sites.add(new Site(Type.getReturnType(type).getInternalName(), method,
                                    erased.getDescriptor(), body.getName() + body.getDesc()));
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return sites;
    }

    /** A lambda call site: the interface, its method and the method's erased type, and the body's name+descriptor. */
    private record Site(String iface, String method, String erasedType, String body) {
    }

    /** What was found in the class being loaded on this thread: body name+descriptor to ring. */
    private record Found(String typeName, Map<String, Integer> rings) {
    }
}
