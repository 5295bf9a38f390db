package dev.agentmesh.agent.weave;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link MethodRegistry}: stable, dense ids; same method and ring, same id. */
class MethodRegistryTest {

    private static final String CLS = "com.acme.Tools";
    private static final String DESC = "(Ljava/lang/String;)V";

    @Test
    void theSameKeyGetsTheSameId() {
        MethodRegistry registry = new MethodRegistry();

        int first = registry.register(CLS, "search", DESC, 2);
        int again = registry.register(CLS, "search", DESC, 2);

        assertThat(again).isEqualTo(first);
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void everyPartOfTheKeyDistinguishes() {
        MethodRegistry registry = new MethodRegistry();

        int base = registry.register(CLS, "search", DESC, 2);
        int otherRing = registry.register(CLS, "search", DESC, 1);
        int otherClass = registry.register("com.acme.Other", "search", DESC, 2);
        int otherName = registry.register(CLS, "fetch", DESC, 2);
        int otherDescriptor = registry.register(CLS, "search", "(I)V", 2);

        assertThat(List.of(base, otherRing, otherClass, otherName, otherDescriptor)).containsExactly(0, 1, 2, 3, 4);
        assertThat(registry.get(base).requiredRing()).isEqualTo(2);
        assertThat(registry.get(otherRing).requiredRing()).isEqualTo(1);
        // re-registering any of them finds it again
        assertThat(registry.register(CLS, "search", DESC, 1)).isEqualTo(otherRing);
        assertThat(registry.register(CLS, "search", "(I)V", 2)).isEqualTo(otherDescriptor);
        assertThat(registry.size()).isEqualTo(5);
    }

    @Test
    void getReturnsTheRegisteredMethodWithItsEncodedNames() {
        MethodRegistry registry = new MethodRegistry();
        int id = registry.register(CLS, "search", DESC, 3);

        GovernedMethod m = registry.get(id);

        assertThat(m.className()).isEqualTo(CLS);
        assertThat(m.methodName()).isEqualTo("search");
        assertThat(m.descriptor()).isEqualTo(DESC);
        assertThat(m.requiredRing()).isEqualTo(3);
        assertThat(m.displayName()).isEqualTo("com.acme.Tools#search(Ljava/lang/String;)V");
        assertThat(m.classNameUtf8()).isEqualTo(CLS.getBytes(StandardCharsets.UTF_8));
        assertThat(m.methodNameUtf8()).isEqualTo("search".getBytes(StandardCharsets.UTF_8));
        assertThat(m.descriptorUtf8()).isEqualTo(DESC.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void idsAreDenseFromZeroAndSurviveGrowthBeyondTheInitialCapacity() {
        MethodRegistry registry = new MethodRegistry();
        int n = 64 * 4 + 3; // three doublings of the initial 64 slots

        for (int i = 0; i < n; i++) {
            assertThat(registry.register(CLS, "m" + i, "()V", i % 4)).isEqualTo(i);
            assertThat(registry.size()).isEqualTo(i + 1);
        }

        for (int i = 0; i < n; i++) {
            assertThat(registry.get(i).methodName()).as("id %d after growth", i).isEqualTo("m" + i);
            assertThat(registry.get(i).requiredRing()).isEqualTo(i % 4);
            assertThat(registry.register(CLS, "m" + i, "()V", i % 4)).isEqualTo(i);
        }
        assertThat(registry.size()).isEqualTo(n);
    }

    /** Ids are the order of first registration, whatever the order and repetitions of later ones. */
    @Property(tries = 200)
    void idsAreTheOrderOfFirstRegistration(
            @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 150) Integer> methods,
            @ForAll @Size(max = 300) List<@IntRange(min = 0, max = 3) Integer> rings) {
        MethodRegistry registry = new MethodRegistry();
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (int i = 0; i < methods.size(); i++) {
            int method = methods.get(i);
            int ring = rings.isEmpty() ? 0 : rings.get(i % rings.size());
            String key = method + "@" + ring;
            expected.putIfAbsent(key, expected.size());

            int id = registry.register(CLS, "m" + method, "()V", ring);

            assertThat(id).isEqualTo(expected.get(key));
        }
        assertThat(registry.size()).isEqualTo(expected.size());
    }

    @Test
    void concurrentRegistrationGivesEveryThreadTheSameIds() throws Exception {
        MethodRegistry registry = new MethodRegistry();
        int threads = 8;
        int methods = 500;
        List<String> names = IntStream.range(0, methods).mapToObj(i -> "m" + i).collect(Collectors.toList());
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Map<String, Integer>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                List<String> order = new ArrayList<>(names);
                Collections.shuffle(order, new Random(t));
                results.add(pool.submit(() -> {
                    Map<String, Integer> seen = new LinkedHashMap<>();
                    start.await();
                    for (String name : order) {
                        int id = registry.register(CLS, name, "()V", name.length() % 4);
                        seen.put(name, id);
                        // lock-free lookup of an id just handed out sees the method
                        assertThat(registry.get(id).methodName()).isEqualTo(name);
                    }
                    return seen;
                }));
            }
            start.countDown();
            Map<String, Integer> reference = results.get(0).get(30, TimeUnit.SECONDS);
            for (Future<Map<String, Integer>> r : results) {
                assertThat(r.get(30, TimeUnit.SECONDS)).isEqualTo(reference);
            }
            assertThat(reference.values()).containsExactlyInAnyOrderElementsOf(
                    IntStream.range(0, methods).boxed().collect(Collectors.toList()));
            assertThat(registry.size()).isEqualTo(methods);
            reference.forEach((name, id) -> assertThat(registry.get(id).methodName()).isEqualTo(name));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void onlyTheTokensARegistryGaveOutNameItsMethods() {
        MethodRegistry registry = new MethodRegistry();
        int first = registry.register(CLS, "search", DESC, 2);
        int second = registry.register(CLS, "fetch", DESC, 3);
        assertThat(registry.idOf(registry.token(first))).isEqualTo(first);
        assertThat(registry.idOf(registry.token(second))).isEqualTo(second);
        // Bare ids, an id not given out yet, and another registry's (another JVM's) token for the same id.
        MethodRegistry other = new MethodRegistry();
        other.register(CLS, "search", DESC, 2);
        for (long forged : new long[] {first, second, registry.token(2), registry.token(63), other.token(first),
            registry.token(first) ^ (1L << 62), registry.frameworkToken()}) {
            assertThat(registry.idOf(forged)).as("token %d", forged).isEqualTo(-1);
        }
        assertThat(registry.frameworkToken()).isNotEqualTo(other.frameworkToken());
    }
}
