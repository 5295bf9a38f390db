package dev.agentmesh.agent.weave;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.utility.OpenedClassReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every method reference that implements a governed interface method ({@code Payments p = bank::send}) a body
 * of its own that the weaver governs. A lambda has one already ({@link LambdaBodies}); a method reference points
 * the lambda's hidden class straight at the method it names, and weaving that method would govern every other call
 * of it too. So, as the class making the reference is first defined, its call site is pointed at a new private
 * static method of that class, {@code lambda$agentmesh$ref$<n>}, which calls the named method with the same
 * arguments; {@link LambdaBodies} then weaves it like any lambda body, with the interface method's ring.
 *
 * <p>A serializable method reference is left alone: deserializing it matches the name of the method it calls.
 *
 * <p>Adding a method is allowed only when a class is first defined. The same rewrite is made again, identically,
 * whenever a class it rewrote is retransformed (the JVM hands transformers the class file as first defined); a
 * class loaded before the agent (attached late) keeps its method references as they are.
 *
 * <p>Runs before the weavers, as a transformer of its own (or first in the start-up gate's chain). Most classes cost
 * a byte search: only a class that makes lambdas and names an interface whose class file names {@code @Ring} is
 * parsed ({@link GovernedInterfaces}).
 */
public final class MethodReferenceBridges implements ClassFileTransformer {

    private static final Logger LOG = LoggerFactory.getLogger(MethodReferenceBridges.class);
    private static final String LAMBDA_METAFACTORY = "java/lang/invoke/LambdaMetafactory";
    /** The bridges' name: it starts with {@code lambda$}, which {@link LambdaBodies} takes for a lambda body. */
    static final String PREFIX = "lambda$agentmesh$ref$";

    private final GovernedInterfaces interfaces;
    private final ClassLoader agentLoader;
    private final boolean enabled;
    /** Per loader, the classes rewritten when they were defined: a retransformation must make the same rewrite. */
    private final Map<ClassLoader, Set<String>> rewritten = new WeakHashMap<>();

    /**
     * @param interfaces finds the ring of the interface method a reference implements, if rings are inherited; the
     *        weaver's own ({@link RingWeaver#builder})
     * @param agentLoader the agent's own loader, whose classes are left alone
     */
    public MethodReferenceBridges(GovernedInterfaces interfaces, ClassLoader agentLoader) {
        this.interfaces = interfaces;
        this.agentLoader = agentLoader;
        this.enabled = interfaces.enabled();
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (!enabled || className == null || loader == null || AgentOwn.isAgentLoader(loader, agentLoader)
                || StartupGate.isJdk(className)) {
            return null;
        }
        if (classBeingRedefined != null && !wasRewritten(loader, className)) {
            return null; // no method can be added to a class already defined
        }
        try {
            byte[] out = rewrite(loader, className, classfileBuffer);
            if (out != null && classBeingRedefined == null) {
                synchronized (rewritten) {
                    rewritten.computeIfAbsent(loader, l -> new HashSet<>()).add(className);
                }
            }
            return out;
        } catch (Throwable e) {
            // Fail-safe weaving: the class loads as it was; its method references to governed methods are not.
            LOG.error("could not give the method references of {} a governed body; those implementing a @Ring "
                    + "method are NOT governed: {}", className.replace('/', '.'), e.toString());
            return null;
        }
    }

    private boolean wasRewritten(ClassLoader loader, String className) {
        synchronized (rewritten) {
            return rewritten.getOrDefault(loader, Collections.emptySet()).contains(className);
        }
    }

    /**
     * @param loader the class's loader, through which the interfaces it implements are read
     * @param internalName the class's internal name
     * @param classFile its class file
     * @return the class file with its governed method references pointed at bridges, or {@code null} if it has none
     */
    byte[] rewrite(ClassLoader loader, String internalName, byte[] classFile) {
        if (!interfaces.mayMakeGovernedLambdas(loader, classFile)) {
            return null;
        }
        ClassReader reader = OpenedClassReader.of(classFile);
        boolean isInterface = (reader.getAccess() & Opcodes.ACC_INTERFACE) != 0;
        Map<Handle, Handle> bridges = bridgesFor(loader, internalName, isInterface, reader);
        if (bridges.isEmpty()) {
            return null;
        }
        ClassWriter writer = new ClassWriter(0);
        reader.accept(new ClassVisitor(OpenedClassReader.ASM_API, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                return new MethodVisitor(OpenedClassReader.ASM_API,
                        super.visitMethod(access, name, descriptor, signature, exceptions)) {
                    @Override
                    public void visitInvokeDynamicInsn(String method, String type, Handle bootstrap,
                            Object... arguments) {
                        if (bootstrap.getOwner().equals(LAMBDA_METAFACTORY) && arguments.length >= 2
                                && arguments[1] instanceof Handle target && bridges.containsKey(target)) {
                            Object[] changed = arguments.clone();
                            changed[1] = bridges.get(target);
                            super.visitInvokeDynamicInsn(method, type, bootstrap, changed);
                        } else {
                            super.visitInvokeDynamicInsn(method, type, bootstrap, arguments);
                        }
                    }
                };
            }

            @Override
            public void visitEnd() {
                bridges.forEach((target, bridge) -> writeBridge(cv, target, bridge));
                super.visitEnd();
            }
        }, 0);
        return writer.toByteArray();
    }

    /** The method references to bridge, each to its bridge, in the order they appear (so a rewrite repeats). */
    private Map<Handle, Handle> bridgesFor(ClassLoader loader, String internalName, boolean isInterface,
            ClassReader reader) {
        Map<Handle, Handle> bridges = new LinkedHashMap<>();
        Map<String, Integer> rings = new HashMap<>();
        List<String> taken = new ArrayList<>();
        reader.accept(new ClassVisitor(OpenedClassReader.ASM_API) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                taken.add(name);
                return new MethodVisitor(OpenedClassReader.ASM_API) {
                    @Override
                    public void visitInvokeDynamicInsn(String method, String type, Handle bootstrap,
                            Object... arguments) {
                        if (!bootstrap.getOwner().equals(LAMBDA_METAFACTORY) || arguments.length < 2
                                || !(arguments[0] instanceof Type erased) || !(arguments[1] instanceof Handle target)
                                || isLambdaBody(target, internalName) || bridges.containsKey(target)
                                || isSerializable(bootstrap, arguments)
                                || bridgeDescriptor(target) == null
                                || Type.getReturnType(type).getSort() != Type.OBJECT) {
                            return;
                        }
                        String iface = Type.getReturnType(type).getInternalName();
                        int ring = rings.computeIfAbsent(iface + '.' + method + erased.getDescriptor(),
                                k -> interfaces.ringOf(loader, iface, method, erased.getDescriptor()));
                        if (ring >= 0) {
                            bridges.put(target, new Handle(Opcodes.H_INVOKESTATIC, internalName,
                                    PREFIX + bridges.size(), bridgeDescriptor(target), isInterface));
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        for (String name : taken) {
            if (name.startsWith(PREFIX)) {
                throw new IllegalStateException("it already has a method named " + name);
            }
        }
        return bridges;
    }

    /**
     * A serializable lambda is deserialized by matching the name of the method it called, so its call site is left
     * as it is (javac gives it {@code altMetafactory} with {@code FLAG_SERIALIZABLE}).
     */
    private static boolean isSerializable(Handle bootstrap, Object[] arguments) {
        return bootstrap.getName().equals("altMetafactory") && arguments.length > 3
                && arguments[3] instanceof Integer flags
                && (flags & java.lang.invoke.LambdaMetafactory.FLAG_SERIALIZABLE) != 0;
    }

    private static boolean isLambdaBody(Handle target, String internalName) {
        return target.getOwner().equals(internalName) && target.getName().startsWith("lambda$");
    }

    /**
     * @return the descriptor of a static method taking what {@code target} takes (its receiver first) and returning
     *         what it returns (a constructor: the new object); {@code null} for a handle that is not a method call
     */
    static String bridgeDescriptor(Handle target) {
        String owner = target.getOwner().startsWith("[") ? target.getOwner() : "L" + target.getOwner() + ";";
        return switch (target.getTag()) {
            case Opcodes.H_INVOKESTATIC -> target.getDesc();
            case Opcodes.H_INVOKEVIRTUAL, Opcodes.H_INVOKEINTERFACE, Opcodes.H_INVOKESPECIAL ->
                    "(" + owner + target.getDesc().substring(1);
            case Opcodes.H_NEWINVOKESPECIAL -> target.getDesc().substring(0, target.getDesc().indexOf(')') + 1) + owner;
            default -> null;
        };
    }

    /** A private static synthetic method that calls {@code target} with its arguments and returns what it returns. */
    private static void writeBridge(ClassVisitor cv, Handle target, Handle bridge) {
        MethodVisitor mv = cv.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
                bridge.getName(), bridge.getDesc(), null, null);
        mv.visitCode();
        int stack = 0;
        if (target.getTag() == Opcodes.H_NEWINVOKESPECIAL) {
            mv.visitTypeInsn(Opcodes.NEW, target.getOwner());
            mv.visitInsn(Opcodes.DUP);
            stack = 2;
        }
        int slot = 0;
        for (Type argument : Type.getArgumentTypes(bridge.getDesc())) {
            mv.visitVarInsn(argument.getOpcode(Opcodes.ILOAD), slot);
            slot += argument.getSize();
        }
        stack += slot;
        switch (target.getTag()) {
            case Opcodes.H_INVOKESTATIC -> mv.visitMethodInsn(Opcodes.INVOKESTATIC, target.getOwner(),
                    target.getName(), target.getDesc(), target.isInterface());
            case Opcodes.H_INVOKEINTERFACE -> mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, target.getOwner(),
                    target.getName(), target.getDesc(), true);
            case Opcodes.H_NEWINVOKESPECIAL -> mv.visitMethodInsn(Opcodes.INVOKESPECIAL, target.getOwner(),
                    "<init>", target.getDesc(), false);
            case Opcodes.H_INVOKESPECIAL -> mv.visitMethodInsn(
                    target.getOwner().equals(bridge.getOwner()) ? Opcodes.INVOKESPECIAL : Opcodes.INVOKEVIRTUAL,
                    target.getOwner(), target.getName(), target.getDesc(), target.isInterface());
            default -> mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, target.getOwner(), target.getName(),
                    target.getDesc(), target.isInterface());
        }
        Type returned = Type.getReturnType(bridge.getDesc());
        mv.visitInsn(returned.getOpcode(Opcodes.IRETURN));
        mv.visitMaxs(Math.max(stack, returned.getSize()), slot);
        mv.visitEnd();
    }
}
