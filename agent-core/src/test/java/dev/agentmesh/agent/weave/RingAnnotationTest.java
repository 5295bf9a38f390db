package dev.agentmesh.agent.weave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.agent.weave.RingFixtures.AbstractTools;
import dev.agentmesh.agent.weave.RingFixtures.MethodLevel;
import dev.agentmesh.agent.weave.RingFixtures.OutOfRange;
import dev.agentmesh.agent.weave.RingFixtures.Plain;
import dev.agentmesh.agent.weave.RingFixtures.RingInterface;
import dev.agentmesh.agent.weave.RingFixtures.Sub;
import dev.agentmesh.agent.weave.RingFixtures.ToolApi;
import dev.agentmesh.agent.weave.RingFixtures.TypeLevel;
import dev.agentmesh.api.Ring;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
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
 * {@link RingAnnotation}'s matchers and {@link RingAnnotation#requiredRing}, on type descriptions of fixture
 * classes carrying the real {@code @Ring}: both as loaded types and as read from class files by a {@link TypePool}
 * (what the weaver uses), which must agree.
 */
class RingAnnotationTest {

    private static final PolicyTools NO_POLICY_TOOLS = NoPolicy.tools();

    private static final String FIXTURES = "Ldev/agentmesh/agent/weave/RingFixtures$";

    private static final TypePool POOL =
            TypePool.Default.of(ClassFileLocator.ForClassLoader.of(RingAnnotationTest.class.getClassLoader()));

    /** How a test gets a type description. */
    static Stream<Arguments> sources() {
        Function<Class<?>, TypeDescription> loaded = TypeDescription.ForLoadedType::of;
        Function<Class<?>, TypeDescription> pooled = c -> POOL.describe(c.getName()).resolve();
        return Stream.of(Arguments.of(Named.of("loaded type", loaded)), Arguments.of(Named.of("type pool", pooled)));
    }

    /** The declared methods the matcher picks, as name + descriptor. */
    private static Set<String> governed(TypeDescription type) {
        return type.getDeclaredMethods().filter(RingAnnotation.governedMethods()).stream()
                .map(m -> m.getInternalName() + m.getDescriptor()).collect(Collectors.toSet());
    }

    private static MethodDescription method(TypeDescription type, String name) {
        List<MethodDescription.InDefinedShape> found = type.getDeclaredMethods().stream()
                .filter(m -> m.getInternalName().equals(name) && !m.isBridge()).collect(Collectors.toList());
        assertThat(found).as("%s#%s", type.getName(), name).hasSize(1);
        return found.get(0);
    }

    private static int ring(TypeDescription type, String method) {
        return RingAnnotation.requiredRing(type, method(type, method));
    }

    // ---- the fixtures really have what the exclusions are about ----

    @Test
    void fixturesHaveTheBridgesLambdasAndNativesTheTestsRelyOn() throws Exception {
        Method bridge = MethodLevel.class.getDeclaredMethod("compareTo", Object.class);
        assertThat(bridge.isBridge()).isTrue();
        assertThat(bridge.isSynthetic()).isTrue();
        assertThat(bridge.isAnnotationPresent(Ring.class)).as("javac copies @Ring onto the bridge").isTrue();
        assertThat(Modifier.isPublic(bridge.getModifiers())).isTrue();

        assertThat(TypeLevel.class.getDeclaredMethod("compareTo", Object.class).isBridge()).isTrue();
        assertThat(Arrays.stream(TypeLevel.class.getDeclaredMethods())
                .filter(m -> m.getName().startsWith("lambda$")).filter(Method::isSynthetic)).isNotEmpty();
        assertThat(Modifier.isNative(TypeLevel.class.getDeclaredMethod("annotatedNative").getModifiers())).isTrue();
        assertThat(TypeLevel.class.getDeclaredMethod("annotatedNative").isAnnotationPresent(Ring.class)).isTrue();
        assertThat(Sub.class.isAnnotationPresent(Ring.class)).as("@Ring is not @Inherited").isFalse();
    }

    // ---- governedTypes ----

    @ParameterizedTest
    @MethodSource("sources")
    void governedTypesAreThoseCarryingOrDeclaringRing(Function<Class<?>, TypeDescription> describe) {
        for (Class<?> governed : List.of(MethodLevel.class, TypeLevel.class, AbstractTools.class, ToolApi.class,
                RingInterface.class, OutOfRange.class)) {
            assertThat(RingAnnotation.governedTypes().matches(describe.apply(governed))).as(governed.getName())
                    .isTrue();
        }
        for (Class<?> free : List.of(Plain.class, Sub.class, RingFixtures.class, RingAnnotationTest.class,
                String.class)) {
            assertThat(RingAnnotation.governedTypes().matches(describe.apply(free))).as(free.getName()).isFalse();
        }
    }

    // ---- governedMethods ----

    @ParameterizedTest
    @MethodSource("sources")
    void annotatedMethodsOfAnUnannotatedTypeAreGovernedButNotItsBridgeOrOtherMethods(
            Function<Class<?>, TypeDescription> describe) {
        assertThat(governed(describe.apply(MethodLevel.class))).containsExactlyInAnyOrder(
                "guarded(Ljava/lang/String;)V",
                "packagePrivateGuarded()V",
                "privateStaticGuarded()I",
                "compareTo(" + FIXTURES + "MethodLevel;)I");
        // excluded: the annotated synthetic bridge compareTo(Object), plain(), plainProtected(), <init>, <clinit>
    }

    @ParameterizedTest
    @MethodSource("sources")
    void publicMethodsOfAnAnnotatedTypeAreGovernedButNotNonPublicNativeSyntheticOrConstructors(
            Function<Class<?>, TypeDescription> describe) {
        assertThat(governed(describe.apply(TypeLevel.class))).containsExactlyInAnyOrder(
                "a()V",
                "s()V",
                "own()V",
                "ownNonPublic()V", // not public, but annotated itself
                "compareTo(" + FIXTURES + "TypeLevel;)I",
                "lambda()Ljava/lang/Runnable;");
        // excluded: pkg(), prot(), priv(), nat(), annotatedNative(), the bridge, lambda$..., both <init>, <clinit>
    }

    @ParameterizedTest
    @MethodSource("sources")
    void abstractMethodsAreNeverGoverned(Function<Class<?>, TypeDescription> describe) {
        assertThat(governed(describe.apply(AbstractTools.class))).containsExactly("concrete()V");
        assertThat(governed(describe.apply(ToolApi.class))).containsExactly("def()V");
        assertThat(governed(describe.apply(RingInterface.class))).containsExactlyInAnyOrder("def()V", "st()V");
    }

    @ParameterizedTest
    @MethodSource("sources")
    void unannotatedTypesWithUnannotatedMethodsHaveNothingGoverned(Function<Class<?>, TypeDescription> describe) {
        assertThat(governed(describe.apply(Plain.class))).isEmpty();
        assertThat(governed(describe.apply(Sub.class)))
                .as("these matchers read own annotations only; RingInheritanceTest covers what is inherited")
                .isEmpty();
    }

    @Test
    void theMatcherRejectsConstructorsEvenOfAnAnnotatedType() {
        TypeDescription type = TypeDescription.ForLoadedType.of(TypeLevel.class);
        assertThat(type.getDeclaredMethods().filter(MethodDescription::isConstructor)).hasSize(2)
                .allSatisfy(c -> assertThat(RingAnnotation.governedMethods().matches(c)).isFalse());
        assertThat(type.getDeclaredMethods().filter(MethodDescription::isTypeInitializer))
                .allSatisfy(c -> assertThat(RingAnnotation.governedMethods().matches(c)).isFalse());
    }

    // ---- requiredRing ----

    @ParameterizedTest
    @MethodSource("sources")
    void requiredRingPrefersTheMethodsOwnAnnotationOverTheTypes(Function<Class<?>, TypeDescription> describe) {
        TypeDescription typeLevel = describe.apply(TypeLevel.class);
        assertThat(ring(typeLevel, "a")).isEqualTo(2);
        assertThat(ring(typeLevel, "s")).isEqualTo(2);
        assertThat(ring(typeLevel, "own")).as("more privileged than the type").isZero();
        assertThat(ring(typeLevel, "ownNonPublic")).as("less privileged than the type").isEqualTo(3);

        TypeDescription methodLevel = describe.apply(MethodLevel.class);
        assertThat(ring(methodLevel, "guarded")).isEqualTo(1);
        assertThat(ring(methodLevel, "packagePrivateGuarded")).isEqualTo(2);
        assertThat(ring(methodLevel, "privateStaticGuarded")).isZero();
        assertThat(ring(methodLevel, "compareTo")).isEqualTo(3);

        assertThat(ring(describe.apply(AbstractTools.class), "concrete")).isEqualTo(1);
        assertThat(ring(describe.apply(RingInterface.class), "def")).isEqualTo(3);
        assertThat(ring(describe.apply(ToolApi.class), "def")).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("sources")
    void anOutOfRangeRingFailsClosedToZero(Function<Class<?>, TypeDescription> describe) {
        TypeDescription type = describe.apply(OutOfRange.class);

        assertThat(ring(type, "inheritsSeven")).as("@Ring(7) on the type").isZero();
        assertThat(ring(type, "negative")).as("@Ring(-1)").isZero();
        assertThat(ring(type, "nine")).as("@Ring(9)").isZero();
        assertThat(ring(type, "valid")).as("a valid method ring still wins over a bad type ring").isEqualTo(3);
    }

    @ParameterizedTest
    @MethodSource("sources")
    void aMethodWithNoRingAnywhereRequiresRingZero(Function<Class<?>, TypeDescription> describe) {
        assertThat(ring(describe.apply(Plain.class), "x")).isZero();
        // read from own annotations only; the superclass's type-level ring covers its own methods, not overrides
        assertThat(ring(describe.apply(Sub.class), "a")).isZero();
    }

    // ---- MethodIdMapping registers with the resolved ring ----

    @Test
    void methodIdMappingRegistersTheWovenMethodWithItsRequiredRing() {
        MethodRegistry registry = new MethodRegistry();
        MethodIdMapping mapping = new MethodIdMapping(registry, NO_POLICY_TOOLS);
        TypeDescription type = POOL.describe(TypeLevel.class.getName()).resolve();

        for (String name : List.of("a", "own", "ownNonPublic", "a")) {
            assertThat(mapping.resolve(type, method(type, name), null, null, null)).isNotNull();
        }

        assertThat(registry.size()).as("the second weave of a() reuses its id").isEqualTo(3);
        assertThat(List.of(registry.get(0), registry.get(1), registry.get(2)))
                .extracting(GovernedMethod::displayName, GovernedMethod::requiredRing)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(TypeLevel.class.getName() + "#a()V", 2),
                        org.assertj.core.groups.Tuple.tuple(TypeLevel.class.getName() + "#own()V", 0),
                        org.assertj.core.groups.Tuple.tuple(TypeLevel.class.getName() + "#ownNonPublic()V", 3));
    }
}
