package dev.agentmesh.agent.weave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.agent.policy.ToolRule;
import dev.agentmesh.agent.policy.ToolRules;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link WeavingCandidates}, the start-up gate's test of which classes must wait for the weavers, on real class
 * files: it must name every class {@link RingWeaver} could weave, subclasses of governed classes included.
 */
class WeavingCandidatesTest {

    private static final ClassLoader LOADER = WeavingCandidatesTest.class.getClassLoader();
    private static final WeavingCandidates INHERITED = new WeavingCandidates(ToolRules.none());
    private static final WeavingCandidates NOT_INHERITED =
            new WeavingCandidates(new ToolRules(List.of(), ToolRules.DEFAULT_TOOL_RING, false));

    private static boolean mayWeave(WeavingCandidates candidates, Class<?> c) throws IOException {
        return candidates.mayWeave(LOADER, c.getName().replace('.', '/'), ClassFilesTest.classFile(c));
    }

    @Test
    void classesNamingRingThemselvesAreCandidatesEitherWay() throws IOException {
        for (Class<?> c : List.of(InheritanceFixtures.Payments.class, InheritanceFixtures.Base.class,
                InheritanceFixtures.Relaxed.class, RingFixtures.TypeLevel.class)) {
            assertThat(mayWeave(INHERITED, c)).as(c.getName()).isTrue();
            assertThat(mayWeave(NOT_INHERITED, c)).as(c.getName()).isTrue();
        }
    }

    @Test
    void subclassesAndImplementationsOfGovernedTypesAreCandidatesWhileRingsAreInherited() throws IOException {
        for (Class<?> c : List.of(InheritanceFixtures.StripePayments.class, InheritanceFixtures.Derived.class,
                InheritanceFixtures.Grand.class, InheritanceFixtures.StringHandler.class,
                InheritanceFixtures.IntegerHandler.class, InheritanceFixtures.FileReader.class,
                InheritanceFixtures.OverridesDefault.class, InheritanceFixtures.Operation.WIPE.getClass(),
                RingFixtures.Sub.class)) {
            assertThat(mayWeave(INHERITED, c)).as(c.getName()).isTrue();
            assertThat(mayWeave(NOT_INHERITED, c)).as(c.getName()).isFalse();
        }
    }

    @Test
    void classesMakingLambdasOfAGovernedInterfaceAreCandidatesWhileRingsAreInherited() throws IOException {
        assertThat(mayWeave(INHERITED, InheritanceFixtures.MakesLambdas.class)).isTrue();
        assertThat(mayWeave(NOT_INHERITED, InheritanceFixtures.MakesLambdas.class)).isFalse();
        assertThat(mayWeave(INHERITED, InheritanceFixtures.MakesJdkLambdas.class)).as("JDK interfaces only")
                .isFalse();
    }

    @Test
    void classesWithNoGovernedSupertypeAreNot() throws IOException {
        for (Class<?> c : List.of(InheritanceFixtures.Unrelated.class, RingFixtures.Plain.class,
                WeavingCandidatesTest.class, String.class)) {
            assertThat(mayWeave(INHERITED, c)).as(c.getName()).isFalse();
        }
    }

    @Test
    void aSupertypeWhoseClassFileCannotBeReadMakesACandidate() {
        net.bytebuddy.jar.asm.ClassWriter writer = new net.bytebuddy.jar.asm.ClassWriter(0);
        writer.visit(net.bytebuddy.jar.asm.Opcodes.V11, net.bytebuddy.jar.asm.Opcodes.ACC_PUBLIC, "generated/Orphan",
                null, "java/lang/Object", new String[] {"generated/NoSuchInterface"});
        writer.visitEnd();
        byte[] orphan = writer.toByteArray();
        assertThat(INHERITED.mayWeave(LOADER, "generated/Orphan", orphan)).isTrue();
        assertThat(NOT_INHERITED.mayWeave(LOADER, "generated/Orphan", orphan)).isFalse();
        assertThat(INHERITED.mayWeave(LOADER, "generated/Broken", new byte[] {(byte) 0xCA, (byte) 0xFE}))
                .as("a malformed class file waits; the JVM refuses it later").isTrue();
    }

    @Test
    void policyPatternsAndAnnotationsStillCount() throws IOException {
        WeavingCandidates candidates = new WeavingCandidates(new ToolRules(List.of(
                ToolRule.of("dev.agentmesh.agent.weave.RingFixtures$Plain#x", 1, 0)), 0, true));
        assertThat(mayWeave(candidates, RingFixtures.Plain.class)).isTrue();
    }
}
