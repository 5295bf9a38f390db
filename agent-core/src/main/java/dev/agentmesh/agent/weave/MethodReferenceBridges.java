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
import net.bytebuddy.jar.asm.Label;
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
 * <p>A serializable method reference is bridged too. Deserializing it calls the class's {@code $deserializeLambda$},
 * which matches the name of the method the lambda calls: that method is given a first check of its own, matching the
 * bridge's name and making the same bridged lambda, ahead of what the compiler wrote (which still deserializes a
 * reference serialized before the agent came, through the bridge). A class with serializable references and no
 * {@code $deserializeLambda$} keeps them as they are.
 *
 * <p>Adding a method is allowed only when a class is first defined. The same rewrite is made again, identically,
 * whenever a class it rewrote is retransformed (the JVM hands transformers the class file as first defined). A class
 * loaded before the agent (attached late) cannot be given bridges: the methods its references call are woven
 * instead ({@link PreloadedLambdas}).
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
    private static final String DESERIALIZE = "$deserializeLambda$";
    private static final String DESERIALIZE_DESCRIPTOR = "(Ljava/lang/invoke/SerializedLambda;)Ljava/lang/Object;";
    private static final String SERIALIZED_LAMBDA = "java/lang/invoke/SerializedLambda";

    /**
     * What to rewrite in one class.
     *
     * @param bridges each method reference to bridge, to its bridge, in the order they appear (so a rewrite repeats)
     * @param serializable the serializable call sites among them, as rewritten
     * @param rings each method reference to bridge, to the ring of the interface method it implements (the
     *        strictest, if it implements several)
     */
    private record Plan(Map<Handle, Handle> bridges, List<Site> serializable, Map<Handle, Integer> rings) {
    }

    /** A serializable lambda's call site, pointed at its bridge. */
    private record Site(String method, String type, Handle bootstrap, Object[] arguments) {
    }

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

    /** @return whether the class was given bridges as it was defined */
    boolean wasRewritten(ClassLoader loader, String className) {
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
        Plan plan = planFor(loader, internalName, isInterface, reader);
        Map<Handle, Handle> bridges = plan.bridges();
        if (bridges.isEmpty()) {
            return null;
        }
        ClassWriter writer = new ClassWriter(0);
        reader.accept(new ClassVisitor(OpenedClassReader.ASM_API, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                MethodVisitor written = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (isDeserializer(access, name, descriptor) && !plan.serializable().isEmpty()) {
                    written = new Deserializer(written, plan.serializable());
                }
                return new MethodVisitor(OpenedClassReader.ASM_API, written) {
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

    /**
     * For a class defined before the agent started, which cannot be given bridges: the methods its governed method
     * references call, each to the ring of the interface method it implements with them.
     *
     * @param loader the class's loader
     * @param internalName its internal name
     * @param classFile its class file
     * @return each reference's target handle to its ring; empty if it makes none
     */
    Map<Handle, Integer> governedReferences(ClassLoader loader, String internalName, byte[] classFile) {
        if (!enabled || !interfaces.mayMakeGovernedLambdas(loader, classFile)) {
            return Map.of();
        }
        ClassReader reader = OpenedClassReader.of(classFile);
        return planFor(loader, internalName, (reader.getAccess() & Opcodes.ACC_INTERFACE) != 0, reader).rings();
    }

    /** The method references to bridge, and the serializable sites among them. */
    private Plan planFor(ClassLoader loader, String internalName, boolean isInterface, ClassReader reader) {
        Map<Handle, Handle> bridges = new LinkedHashMap<>();
        Map<Handle, Integer> targetRings = new HashMap<>();
        List<Site> serializable = new ArrayList<>();
        Map<String, Integer> rings = new HashMap<>();
        List<String> taken = new ArrayList<>();
        boolean[] deserializes = {false};
        reader.accept(new ClassVisitor(OpenedClassReader.ASM_API) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                taken.add(name);
                deserializes[0] |= isDeserializer(access, name, descriptor);
                return new MethodVisitor(OpenedClassReader.ASM_API) {
                    @Override
                    public void visitInvokeDynamicInsn(String method, String type, Handle bootstrap,
                            Object... arguments) {
                        if (bootstrap.getOwner().equals(LAMBDA_METAFACTORY) && isSerializable(bootstrap, arguments)
                                && arguments[0] instanceof Type && arguments[1] instanceof Handle) {
                            // Whatever its interface: the rewrite points every site of a bridged target at the bridge.
                            serializable.add(new Site(method, type, bootstrap, arguments));
                        }
                        if (!bootstrap.getOwner().equals(LAMBDA_METAFACTORY) || arguments.length < 2
                                || !(arguments[0] instanceof Type erased) || !(arguments[1] instanceof Handle target)
                                || isLambdaBody(target, internalName)
                                || bridgeDescriptor(target) == null
                                || Type.getReturnType(type).getSort() != Type.OBJECT) {
                            return;
                        }
                        String iface = Type.getReturnType(type).getInternalName();
                        int ring = rings.computeIfAbsent(iface + '.' + method + erased.getDescriptor(),
                                k -> interfaces.ringOf(loader, iface, method, erased.getDescriptor()));
                        if (ring < 0) {
                            return;
                        }
                        targetRings.merge(target, ring, Math::min);
                        bridges.computeIfAbsent(target, t -> new Handle(Opcodes.H_INVOKESTATIC, internalName,
                                PREFIX + bridges.size(), bridgeDescriptor(t), isInterface));
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        for (String name : taken) {
            if (name.startsWith(PREFIX)) {
                throw new IllegalStateException("it already has a method named " + name);
            }
        }
        List<Site> bridged = new ArrayList<>();
        for (Site site : serializable) {
            Handle bridge = bridges.get((Handle) site.arguments()[1]);
            if (bridge != null) {
                Object[] changed = site.arguments().clone();
                changed[1] = bridge;
                bridged.add(new Site(site.method(), site.type(), site.bootstrap(), changed));
            }
        }
        if (!bridged.isEmpty() && !deserializes[0]) {
            throw new IllegalStateException("it makes serializable lambdas but has no " + DESERIALIZE);
        }
        return new Plan(bridges, bridged, targetRings);
    }

    private static boolean isDeserializer(int access, String name, String descriptor) {
        return (access & Opcodes.ACC_STATIC) != 0 && name.equals(DESERIALIZE) && descriptor.equals(DESERIALIZE_DESCRIPTOR);
    }

    /**
     * Puts a check of its own for each bridged serializable site ahead of the compiler's code in
     * {@code $deserializeLambda$(SerializedLambda)}: if the lambda calls that bridge, for that interface method, the
     * same call site is made again with the captured arguments, as the compiler's code does for its own lambdas.
     */
    private static final class Deserializer extends MethodVisitor {
        private final List<Site> sites;
        private int stack;

        Deserializer(MethodVisitor written, List<Site> sites) {
            super(OpenedClassReader.ASM_API, written);
            this.sites = sites;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            for (Site site : sites) {
                Handle bridge = (Handle) site.arguments()[1];
                Type erased = (Type) site.arguments()[0];
                Label next = new Label();
                matches("getImplMethodName", bridge.getName(), next);
                matches("getImplClass", bridge.getOwner(), next);
                matches("getFunctionalInterfaceClass", Type.getReturnType(site.type()).getInternalName(), next);
                matches("getFunctionalInterfaceMethodName", site.method(), next);
                matches("getFunctionalInterfaceMethodSignature", erased.getDescriptor(), next);
                int depth = 0;
                Type[] captured = Type.getArgumentTypes(site.type());
                for (int i = 0; i < captured.length; i++) {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitLdcInsn(i);
                    super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SERIALIZED_LAMBDA, "getCapturedArg",
                            "(I)Ljava/lang/Object;", false);
                    stack = Math.max(stack, depth + 2);
                    unbox(captured[i]);
                    depth += captured[i].getSize();
                }
                stack = Math.max(stack, Math.max(depth, 2));
                super.visitInvokeDynamicInsn(site.method(), site.type(), site.bootstrap(), site.arguments());
                super.visitInsn(Opcodes.ARETURN);
                super.visitLabel(next);
                super.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
            }
            // The compiler's first instruction may carry a frame of its own: keep it off the offset of the last one.
            super.visitInsn(Opcodes.NOP);
        }

        /** Leaves for {@code next} unless {@code lambda.<getter>()} equals {@code expected}. */
        private void matches(String getter, String expected, Label next) {
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SERIALIZED_LAMBDA, getter, "()Ljava/lang/String;", false);
            super.visitLdcInsn(expected);
            super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/String", "equals", "(Ljava/lang/Object;)Z",
                    false);
            super.visitJumpInsn(Opcodes.IFEQ, next);
        }

        /** Turns the {@code Object} on the stack into a value of {@code type}. */
        private void unbox(Type type) {
            if (type.getSort() == Type.OBJECT || type.getSort() == Type.ARRAY) {
                super.visitTypeInsn(Opcodes.CHECKCAST, type.getInternalName());
                return;
            }
            String box = switch (type.getSort()) {
                case Type.BOOLEAN -> "java/lang/Boolean";
                case Type.CHAR -> "java/lang/Character";
                case Type.BYTE -> "java/lang/Byte";
                case Type.SHORT -> "java/lang/Short";
                case Type.INT -> "java/lang/Integer";
                case Type.LONG -> "java/lang/Long";
                case Type.FLOAT -> "java/lang/Float";
                default -> "java/lang/Double";
            };
            super.visitTypeInsn(Opcodes.CHECKCAST, box);
            super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, box, type.getClassName() + "Value",
                    "()" + type.getDescriptor(), false);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, stack), Math.max(maxLocals, 1));
        }
    }

    /** javac gives a serializable lambda's call site {@code altMetafactory} with {@code FLAG_SERIALIZABLE}. */
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
