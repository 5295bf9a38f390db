package dev.agentmesh.agent.weave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** {@link ClassFiles} against what the JVM says of the same classes. */
class ClassFilesTest {

    /** Classes with every kind of constant: longs and doubles (two entries), method handles, indy, generics. */
    private static final List<Class<?>> SAMPLES = List.of(Object.class, String.class, java.util.HashMap.class,
            java.util.concurrent.ConcurrentHashMap.class, Math.class, java.lang.invoke.LambdaMetafactory.class,
            java.util.stream.Collectors.class, InheritanceFixtures.IntegerHandler.class,
            InheritanceFixtures.Operation.WIPE.getClass(), InheritanceFixtures.Both.class, Runnable.class,
            ClassFilesTest.class, RingInheritance.class);

    @Test
    void readsTheSuperclassAndInterfacesTheJvmReports() throws IOException {
        for (Class<?> c : SAMPLES) {
            assertThat(ClassFiles.supertypes(classFile(c))).as(c.getName()).isEqualTo(expected(c));
        }
    }

    @Test
    void returnedTypesIncludeTheInterfacesLambdasImplement() throws IOException {
        assertThat(ClassFiles.returnedTypes(classFile(InheritanceFixtures.MakesLambdas.class))).contains(
                "dev/agentmesh/agent/weave/InheritanceFixtures$Payments", "java/lang/Runnable");
        assertThat(ClassFiles.returnedTypes(classFile(InheritanceFixtures.Payments.class)))
                .containsExactly("java/lang/String");
        assertThat(ClassFiles.returnedTypes(classFile(Object.class))).contains("java/lang/String",
                "java/lang/Class");
    }

    @Test
    void refusesWhatIsNotAClassFile() {
        assertThatThrownBy(() -> ClassFiles.supertypes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a class file");
        assertThatThrownBy(() -> ClassFiles.supertypes(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A cut of a real class file is refused with IllegalArgumentException, never anything else, unless it keeps
     * everything up to the interfaces: then it reads them right.
     */
    @Property(tries = 300)
    void aTruncatedClassFileIsRefusedCleanly(@ForAll @IntRange(min = 0, max = 10_000) int cut) throws IOException {
        byte[] whole = classFile(java.util.HashMap.class);
        byte[] truncated = Arrays.copyOf(whole, Math.min(cut, whole.length - 1));
        try {
            assertThat(ClassFiles.supertypes(truncated)).isEqualTo(expected(java.util.HashMap.class));
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    /** Random damage either reads as some names or is refused; it never throws anything else or hangs. */
    @Property(tries = 300)
    void damageIsNeverMoreThanARefusal(@ForAll @IntRange(min = 10, max = 2_000) int at, @ForAll byte value)
            throws IOException {
        byte[] file = classFile(String.class);
        file[at % file.length] = value;
        try {
            assertThat(ClassFiles.supertypes(file)).isNotNull();
        } catch (IllegalArgumentException refused) {
            assertThat(refused).hasMessageNotContaining("Exception");
        }
    }

    static byte[] classFile(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    private static List<String> expected(Class<?> c) {
        List<String> names = new ArrayList<>();
        if (c.getSuperclass() != null) {
            names.add(c.getSuperclass().getName().replace('.', '/'));
        } else if (c.isInterface()) {
            names.add("java/lang/Object"); // the class file names it; reflection does not
        }
        for (Class<?> i : c.getInterfaces()) {
            names.add(i.getName().replace('.', '/'));
        }
        return names;
    }
}
