package dev.agentmesh.agent.weave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.agent.weave.InheritanceFixtures.MakesMethodReferences;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

/** {@link MethodReferenceBridges} on the real class files of fixtures making method references. */
class MethodReferenceBridgesTest {

    private static final ClassLoader LOADER = MethodReferenceBridgesTest.class.getClassLoader();
    private static final String NAME = MakesMethodReferences.class.getName();
    private static final String INTERNAL = NAME.replace('.', '/');

    private static byte[] rewritten() throws IOException {
        return rewritten(MakesMethodReferences.class);
    }

    private static byte[] rewritten(Class<?> c) throws IOException {
        return new MethodReferenceBridges(NoPolicy.interfaces(true), null)
                .rewrite(LOADER, c.getName().replace('.', '/'), ClassFilesTest.classFile(c));
    }

    /** Defines the rewritten class in a loader of its own, its parent the tests' loader. */
    private static Class<?> load(byte[] classFile) throws ClassNotFoundException {
        return load(NAME, classFile);
    }

    private static Class<?> load(String className, byte[] classFile) throws ClassNotFoundException {
        ClassLoader own = new ClassLoader(LOADER) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(className)) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : defineClass(name, classFile, 0, classFile.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
        return Class.forName(className, true, own);
    }

    @Test
    void eachGovernedReferenceGetsABridgeAndStillDoesWhatItDid() throws Exception {
        Class<?> c = load(rewritten());
        assertThat(Arrays.stream(c.getDeclaredMethods()).filter(m -> m.getName().startsWith(
                MethodReferenceBridges.PREFIX)).map(Method::getName).sorted())
                .containsExactly("lambda$agentmesh$ref$0", "lambda$agentmesh$ref$1", "lambda$agentmesh$ref$2",
                        "lambda$agentmesh$ref$3");
        assertThat(Arrays.stream(c.getDeclaredMethods()).filter(m -> m.getName().startsWith("lambda$"))
                .allMatch(m -> m.isSynthetic() && Modifier.isPrivate(m.getModifiers())
                        && Modifier.isStatic(m.getModifiers()))).isTrue();

        InheritanceFixtures.Payments bound = (InheritanceFixtures.Payments) c.getMethod("bound",
                InheritanceFixtures.Bank.class).invoke(null, new InheritanceFixtures.Bank());
        assertThat(bound.pay("ada")).isEqualTo("sent ada");
        assertThat(((InheritanceFixtures.Payments) c.getMethod("unboundStatic").invoke(null)).pay("bob"))
                .isEqualTo("wired bob");
        assertThat(((InheritanceFixtures.Opener) c.getMethod("constructor").invoke(null)).open("7"))
                .hasToString("receipt 7");
        assertThat(((InheritanceFixtures.Payments) c.getMethod("jdkMethod").invoke(null)).pay("  x  "))
                .isEqualTo("x");
        ((Runnable) c.getMethod("notGoverned").invoke(null)).run();
    }

    @Test
    void theBridgesAreWovenAsLambdaBodiesWithTheInterfaceMethodsRing() throws Exception {
        byte[] classFile = rewritten();
        LambdaBodies lambdas = NoPolicy.lambdas(true);
        lambdas.resolve(NAME, classFile, LOADER, null, null);
        TypeDescription type = TypePool.Default.of(new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(NAME, classFile), ClassFileLocator.ForClassLoader.of(LOADER)))
                .describe(NAME).resolve();
        assertThat(lambdas.hasBodies(type)).isTrue();
        Map<String, Integer> rings = type.getDeclaredMethods().stream()
                .filter(m -> m.getName().startsWith(MethodReferenceBridges.PREFIX))
                .collect(Collectors.toMap(MethodDescription::getName, m -> lambdas.ringOf(type, m)));
        // bound (Payments 1), static (Payments 1), constructor (Opener 2), a JDK method (Payments 1)
        assertThat(rings).containsOnly(Map.entry("lambda$agentmesh$ref$0", 1), Map.entry("lambda$agentmesh$ref$1", 1),
                Map.entry("lambda$agentmesh$ref$2", 2), Map.entry("lambda$agentmesh$ref$3", 1));
    }

    @Test
    void aSerializableReferenceIsBridgedAndDeserializesThroughItsBridge() throws Exception {
        Class<?> serializing = InheritanceFixtures.MakesSerializableMethodReferences.class;
        Class<?> c = load(serializing.getName(), rewritten(serializing));
        Object unbound = c.getMethod("unbound").invoke(null);
        Object bound = c.getMethod("bound", InheritanceFixtures.Teller.class)
                .invoke(null, new InheritanceFixtures.Teller());
        Object notGoverned = c.getMethod("notGoverned").invoke(null);
        Object lambda = c.getMethod("lambda").invoke(null);
        for (Object reference : new Object[] {unbound, bound, notGoverned}) {
            assertThat(implMethodName(reference)).startsWith(MethodReferenceBridges.PREFIX);
        }
        assertThat(implMethodName(lambda)).startsWith("lambda$lambda$");

        // Each comes back from its bytes as the same bridged lambda, and still does what it did.
        assertThat(((InheritanceFixtures.Payments) roundTrip(unbound, c)).pay("ada")).isEqualTo("wired ada");
        assertThat(implMethodName(roundTrip(unbound, c))).isEqualTo(implMethodName(unbound));
        assertThat(((InheritanceFixtures.Payments) roundTrip(bound, c)).pay("bob")).isEqualTo("told bob");
        assertThat(implMethodName(roundTrip(bound, c))).isEqualTo(implMethodName(bound));
        @SuppressWarnings("unchecked")
        java.util.function.Function<String, String> function =
                (java.util.function.Function<String, String>) roundTrip(notGoverned, c);
        assertThat(function.apply("cy")).isEqualTo("wired cy");
        assertThat(((InheritanceFixtures.Payments) roundTrip(lambda, c)).pay("dee")).isEqualTo("lambda dee");

        // Serialized by the class as compiled (before the agent came), it deserializes through the bridge.
        Object old = serializing.getMethod("bound", InheritanceFixtures.Teller.class)
                .invoke(null, new InheritanceFixtures.Teller());
        assertThat(implMethodName(old)).isEqualTo("send");
        Object revived = roundTrip(old, c);
        assertThat(((InheritanceFixtures.Payments) revived).pay("eve")).isEqualTo("told eve");
        assertThat(implMethodName(revived)).startsWith(MethodReferenceBridges.PREFIX);
    }

    /** @return the name of the method a serializable lambda calls, as it serializes it */
    private static String implMethodName(Object lambda) throws Exception {
        Method writeReplace = lambda.getClass().getDeclaredMethod("writeReplace");
        writeReplace.setAccessible(true);
        return ((java.lang.invoke.SerializedLambda) writeReplace.invoke(lambda)).getImplMethodName();
    }

    /** Serializes {@code lambda} and reads it back, its capturing class resolved to {@code capturing}. */
    private static Object roundTrip(Object lambda, Class<?> capturing) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(lambda);
        }
        try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray())) {
            @Override
            protected Class<?> resolveClass(java.io.ObjectStreamClass desc)
                    throws IOException, ClassNotFoundException {
                return desc.getName().equals(capturing.getName()) ? capturing : super.resolveClass(desc);
            }
        }) {
            return in.readObject();
        }
    }

    @Test
    void aClassDefinedBeforeTheAgentNamesTheMethodsItsReferencesCallWithTheirRings() throws Exception {
        Map<String, Integer> targets = new MethodReferenceBridges(NoPolicy.interfaces(true), null)
                .governedReferences(LOADER, INTERNAL, ClassFilesTest.classFile(MakesMethodReferences.class))
                .entrySet().stream().collect(Collectors.toMap(e -> e.getKey().getOwner().replaceAll(".*[/$]", "")
                        + "." + e.getKey().getName(), Map.Entry::getValue));
        assertThat(targets).containsOnly(Map.entry("Bank.send", 1), Map.entry("Bank.wire", 1),
                Map.entry("Receipt.<init>", 2), Map.entry("String.trim", 1));
        assertThat(new MethodReferenceBridges(NoPolicy.interfaces(false), null)
                .governedReferences(LOADER, INTERNAL, ClassFilesTest.classFile(MakesMethodReferences.class)))
                .as("rings not inherited").isEmpty();
    }

    @Test
    void theRewriteIsTheSameEveryTimeSoARetransformationCanRepeatIt() throws Exception {
        assertThat(rewritten()).isEqualTo(rewritten());
        assertThat(rewritten(InheritanceFixtures.MakesSerializableMethodReferences.class))
                .isEqualTo(rewritten(InheritanceFixtures.MakesSerializableMethodReferences.class));
    }

    @Test
    void classesWithoutGovernedMethodReferencesAreLeftAlone() throws Exception {
        MethodReferenceBridges bridges = new MethodReferenceBridges(NoPolicy.interfaces(true), null);
        for (Class<?> c : new Class<?>[] {InheritanceFixtures.MakesLambdas.class,
            InheritanceFixtures.MakesJdkLambdas.class, InheritanceFixtures.Bank.class}) {
            assertThat(bridges.rewrite(LOADER, c.getName().replace('.', '/'), ClassFilesTest.classFile(c)))
                    .as(c.getName()).isNull();
        }
        assertThat(new MethodReferenceBridges(NoPolicy.interfaces(false), null)
                .transform(null, LOADER, INTERNAL, null, null, ClassFilesTest.classFile(MakesMethodReferences.class)))
                .as("rings not inherited").isNull();
    }
}
