package dev.agentmesh.agent.weave;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

/** {@link LambdaBodies} on the real class files of fixtures making lambdas. */
class LambdaBodiesTest {

    private static final ClassLoader LOADER = LambdaBodiesTest.class.getClassLoader();

    /** Hands the class file over as ByteBuddy does, then gives each synthetic lambda body's ring. */
    private static Map<String, Integer> bodies(boolean inherited, Class<?> c) throws IOException {
        LambdaBodies lambdas = NoPolicy.lambdas(inherited);
        lambdas.resolve(c.getName(), ClassFilesTest.classFile(c), LOADER, null, null);
        TypeDescription type = TypeDescription.ForLoadedType.of(c);
        if (!lambdas.hasBodies(type)) {
            return Map.of();
        }
        return type.getDeclaredMethods().stream().filter(MethodDescription::isSynthetic)
                .filter(m -> m.getName().startsWith("lambda$"))
                .collect(Collectors.toMap(m -> m.getName() + m.getDescriptor(), m -> lambdas.ringOf(type, m)));
    }

    @Test
    void theBodyOfALambdaImplementingAGovernedMethodTakesItsRing() throws IOException {
        assertThat(bodies(true, InheritanceFixtures.MakesLambdas.class)).containsOnly(
                Map.entry("lambda$payments$0(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;", 1),
                Map.entry("lambda$plain$1()V", -1));
    }

    @Test
    void lambdasOfJdkInterfacesOnlyAreNotLookedAt() throws IOException {
        assertThat(bodies(true, InheritanceFixtures.MakesJdkLambdas.class)).isEmpty();
    }

    @Test
    void nothingIsFoundWhenRingsAreNotInherited() throws IOException {
        assertThat(bodies(false, InheritanceFixtures.MakesLambdas.class)).isEmpty();
    }

    @Test
    void whatWasFoundBelongsToTheClassItWasFoundIn() throws IOException {
        LambdaBodies lambdas = NoPolicy.lambdas(true);
        lambdas.resolve(InheritanceFixtures.MakesLambdas.class.getName(),
                ClassFilesTest.classFile(InheritanceFixtures.MakesLambdas.class), LOADER, null, null);
        assertThat(lambdas.hasBodies(TypeDescription.ForLoadedType.of(InheritanceFixtures.MakesJdkLambdas.class)))
                .isFalse();
        lambdas.resolve(String.class.getName(), ClassFilesTest.classFile(String.class), LOADER, null, null);
        assertThat(lambdas.hasBodies(TypeDescription.ForLoadedType.of(InheritanceFixtures.MakesLambdas.class)))
                .as("the next class handed over replaces it").isFalse();
    }
}
