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
        return new MethodReferenceBridges(NoPolicy.interfaces(true), null)
                .rewrite(LOADER, INTERNAL, ClassFilesTest.classFile(MakesMethodReferences.class));
    }

    /** Defines the rewritten class in a loader of its own, its parent the tests' loader. */
    private static Class<?> load(byte[] classFile) throws ClassNotFoundException {
        ClassLoader own = new ClassLoader(LOADER) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(NAME)) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : defineClass(name, classFile, 0, classFile.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
        return Class.forName(NAME, true, own);
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
    void theRewriteIsTheSameEveryTimeSoARetransformationCanRepeatIt() throws Exception {
        assertThat(rewritten()).isEqualTo(rewritten());
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
