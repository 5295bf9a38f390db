package dev.agentmesh.agent.weave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.agent.weave.InheritanceFixtures.AbstractHandler;
import dev.agentmesh.agent.weave.InheritanceFixtures.Base;
import dev.agentmesh.agent.weave.InheritanceFixtures.Both;
import dev.agentmesh.agent.weave.InheritanceFixtures.Derived;
import dev.agentmesh.agent.weave.InheritanceFixtures.ExplicitPayments;
import dev.agentmesh.agent.weave.InheritanceFixtures.FileReader;
import dev.agentmesh.agent.weave.InheritanceFixtures.Grand;
import dev.agentmesh.agent.weave.InheritanceFixtures.IntegerHandler;
import dev.agentmesh.agent.weave.InheritanceFixtures.OverridesDefault;
import dev.agentmesh.agent.weave.InheritanceFixtures.Relaxed;
import dev.agentmesh.agent.weave.InheritanceFixtures.StringHandler;
import dev.agentmesh.agent.weave.InheritanceFixtures.StripePayments;
import dev.agentmesh.agent.weave.InheritanceFixtures.UnderRelaxed;
import dev.agentmesh.agent.weave.InheritanceFixtures.Unrelated;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RingInheritance} on fixture classes carrying the real {@code @Ring}, both as loaded types and as a
 * {@link TypePool} reads them from class files (what the weaver uses).
 */
class RingInheritanceTest {

    private static final ClassLoader LOADER = RingInheritanceTest.class.getClassLoader();
    private static final TypePool POOL = TypePool.Default.of(ClassFileLocator.ForClassLoader.of(LOADER));
    private static final RingInheritance INHERITED = new RingInheritance(true);

    static Stream<Arguments> sources() {
        Function<Class<?>, TypeDescription> loaded = TypeDescription.ForLoadedType::of;
        Function<Class<?>, TypeDescription> pooled = c -> POOL.describe(c.getName()).resolve();
        return Stream.of(Arguments.of(Named.of("loaded type", loaded)), Arguments.of(Named.of("type pool", pooled)));
    }

    /** What the weaver weaves in a type, with the ring each requires, as {@code name(descriptor)=ring}. */
    private static Set<String> woven(RingInheritance inheritance, TypeDescription type) {
        return type.getDeclaredMethods().filter(RingAnnotation.governedMethods().or(inheritance.methods())).stream()
                .map(m -> m.getInternalName() + m.getDescriptor() + "=" + inheritance.requiredRing(type, m))
                .collect(Collectors.toSet());
    }

    private static Set<String> woven(TypeDescription type) {
        return woven(INHERITED, type);
    }

    @ParameterizedTest
    @MethodSource("sources")
    void anImplementationOfARingInterfaceMethodTakesItsRing(Function<Class<?>, TypeDescription> describe) {
        assertThat(woven(describe.apply(StripePayments.class)))
                .containsExactly("pay(Ljava/lang/String;)Ljava/lang/String;=1");
        assertThat(woven(describe.apply(FileReader.class))).as("from the interface's type-level @Ring")
                .containsExactly("read()Ljava/lang/String;=3");
        assertThat(woven(describe.apply(OverridesDefault.class))).as("an override of a governed default method")
                .containsExactly("describe()Ljava/lang/String;=1");
    }

    @ParameterizedTest
    @MethodSource("sources")
    void anOverrideTakesTheRingButOverloadsStaticAndPrivateMethodsDoNot(
            Function<Class<?>, TypeDescription> describe) {
        assertThat(woven(describe.apply(Derived.class))).containsExactly("wipe()V=0");
        assertThat(woven(describe.apply(Grand.class))).as("through an unannotated override").containsExactly("wipe()V=0");
        assertThat(woven(describe.apply(RingFixtures.Sub.class))).as("from the superclass's type-level @Ring")
                .containsExactly("a()V=2");
    }

    @ParameterizedTest
    @MethodSource("sources")
    void theNearestDeclarationOnAPathDecidesAndTheStrictestAcrossPaths(
            Function<Class<?>, TypeDescription> describe) {
        assertThat(woven(describe.apply(Both.class))).as("Base's 0 against Wiper's 2").containsExactly("wipe()V=0");
        assertThat(woven(describe.apply(Relaxed.class))).as("its own @Ring wins").containsExactly("wipe()V=2");
        assertThat(woven(describe.apply(UnderRelaxed.class))).as("the nearest on the path").containsExactly("wipe()V=2");
        assertThat(woven(describe.apply(ExplicitPayments.class))).as("its own @Ring wins")
                .containsExactly("pay(Ljava/lang/String;)Ljava/lang/String;=3");
    }

    @ParameterizedTest
    @MethodSource("sources")
    void genericOverridesAreFoundAndTheirBridgesAreLeftAlone(Function<Class<?>, TypeDescription> describe) {
        assertThat(woven(describe.apply(StringHandler.class)))
                .containsExactly("handle(Ljava/lang/String;)Ljava/lang/String;=2");
        assertThat(woven(describe.apply(IntegerHandler.class))).as("bound through an abstract class; not the overload")
                .containsExactly("handle(Ljava/lang/Integer;)Ljava/lang/String;=2");
        assertThat(woven(describe.apply(AbstractHandler.class))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("sources")
    void anEnumConstantsBodyTakesTheRingOfTheAbstractMethodItImplements(
            Function<Class<?>, TypeDescription> describe) throws Exception {
        Class<?> body = InheritanceFixtures.Operation.WIPE.getClass();
        assertThat(body).isNotEqualTo(InheritanceFixtures.Operation.class);
        assertThat(woven(describe.apply(body))).containsExactly("run()Ljava/lang/String;=0");
    }

    @ParameterizedTest
    @MethodSource("sources")
    void turnedOffOnlyOwnAnnotationsCount(Function<Class<?>, TypeDescription> describe) {
        RingInheritance off = new RingInheritance(false);
        for (Class<?> c : List.of(StripePayments.class, Derived.class, StringHandler.class, FileReader.class,
                InheritanceFixtures.Operation.WIPE.getClass())) {
            assertThat(woven(off, describe.apply(c))).as(c.getName()).isEmpty();
            assertThat(off.hasGovernedSupertype(describe.apply(c), LOADER)).isFalse();
        }
        assertThat(woven(off, describe.apply(Relaxed.class))).containsExactly("wipe()V=2");
    }

    @ParameterizedTest
    @MethodSource("sources")
    void typesBelowAGovernedTypeAreMatchedAndOthersAreNot(Function<Class<?>, TypeDescription> describe) {
        RingInheritance inheritance = new RingInheritance(true);
        for (Class<?> c : List.of(StripePayments.class, Derived.class, Grand.class, Both.class, UnderRelaxed.class,
                StringHandler.class, IntegerHandler.class, AbstractHandler.class, FileReader.class,
                OverridesDefault.class, InheritanceFixtures.Operation.WIPE.getClass())) {
            assertThat(inheritance.hasGovernedSupertype(describe.apply(c), LOADER)).as(c.getName()).isTrue();
        }
        for (Class<?> c : List.of(Base.class, Unrelated.class, InheritanceFixtures.Payments.class, String.class,
                Object.class)) {
            assertThat(inheritance.hasGovernedSupertype(describe.apply(c), LOADER)).as(c.getName()).isFalse();
        }
    }

    @Test
    void aLoadedMethodsDeclaredRingIncludesWhatItInherits() throws Exception {
        java.lang.reflect.Method pay = StripePayments.class.getMethod("pay", String.class);
        assertThat(RingAnnotation.declaredRing(pay, true)).isEqualTo(1);
        assertThat(RingAnnotation.declaredRing(pay, false)).isEqualTo(-1);
        assertThat(RingAnnotation.declaredRing(StripePayments.class.getMethod("refund", String.class), true))
                .isEqualTo(-1);
    }

    @Test
    void aSupertypeWhoseClassFileIsMissingInheritsNothingAndBreaksNothing() throws Exception {
        // A subclass made at run time of a class made at run time: no class file anywhere for the superclass.
        Class<?> parent = new net.bytebuddy.ByteBuddy().subclass(Object.class).name("generated.Parent").make()
                .load(LOADER, net.bytebuddy.dynamic.loading.ClassLoadingStrategy.Default.WRAPPER).getLoaded();
        byte[] child = new net.bytebuddy.ByteBuddy().subclass(parent).name("generated.Child").make().getBytes();
        TypePool pool = new TypePool.Default(new TypePool.CacheProvider.Simple(),
                new ClassFileLocator.Compound(ClassFileLocator.Simple.of("generated.Child", child),
                        ClassFileLocator.ForClassLoader.of(LOADER)), TypePool.Default.ReaderMode.FAST);
        TypeDescription type = pool.describe("generated.Child").resolve();
        assertThat(new RingInheritance(true).hasGovernedSupertype(type, LOADER)).isFalse();
        MethodDescription toString = TypeDescription.ForLoadedType.of(Object.class).getDeclaredMethods()
                .filter(net.bytebuddy.matcher.ElementMatchers.named("toString")).getOnly();
        assertThat(new RingInheritance(true).inheritedRing(type, toString)).isEqualTo(-1);
    }
}
