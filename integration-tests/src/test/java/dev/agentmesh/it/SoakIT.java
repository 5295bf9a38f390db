package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.SoakApp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight threads make governed calls for a bounded time, then: the heap did not grow, no record was lost, and the
 * trail verifies. By default a short smoke run; set {@code -Dit.soak.seconds=600} for a real soak (README, the two
 * commands). The heap is sampled once a second after a collection; growth is the last third's highest sample over
 * the first third's lowest, after a warm-up second.
 */
class SoakIT {

    private static final long SECONDS = Long.getLong("it.soak.seconds", 6);
    /** What the heap after a collection may grow by over the run: buffers settling, not a leak per call. */
    private static final long MAX_GROWTH_BYTES = 16L * 1024 * 1024;

    @Test
    void governedCallsFromEightThreadsLeakNothingAndLoseNoRecord(@TempDir Path tmp) throws Exception {
        Path audit = tmp.resolve("audit");
        Soak soak = Soak.run(tmp, audit, 8, SECONDS, "");
        System.out.printf("soak: %d s, %d allowed, %d denied, heap after GC grew by %d bytes%n", SECONDS,
                soak.allowed, soak.denied, soak.heapGrowth());
        assertThat(soak.heapGrowth()).as("heap growth, samples %s", soak.heap).isLessThan(MAX_GROWTH_BYTES);

        // GENESIS, an ALLOW and a RETURNED per allowed call, a DENY per denied one: nothing lost.
        assertThat(Trails.verifiedCount(audit)).isEqualTo(1 + 2 * soak.allowed + soak.denied);
    }

    @Test
    void theHeapCheckCatchesALeak(@TempDir Path tmp) throws Exception {
        Soak leaking = Soak.run(tmp, tmp.resolve("audit"), 2, 6, "leak");
        assertThat(leaking.heapGrowth()).as("samples %s", leaking.heap).isGreaterThan(MAX_GROWTH_BYTES);
    }

    /** One run of {@link SoakApp}: what it counted and its heap samples. */
    private record Soak(long allowed, long denied, List<Long> heap) {

        static Soak run(Path tmp, Path audit, int threads, long seconds, String mode) throws Exception {
            ForkedJvm.Result run = ForkedJvm.main(SoakApp.class)
                    .withAgent("policy=" + Trails.policy(tmp, Trails.MATRIX_POLICY) + ",audit.dir=" + audit)
                    .jvmArg("-Xmx256m")
                    .args(String.valueOf(threads), String.valueOf(seconds), mode)
                    .timeoutSeconds(seconds + 120)
                    .run();
            assertThat(run.exitCode()).as(run.toString()).isZero();
            List<Long> heap = new ArrayList<>();
            long allowed = -1;
            long denied = -1;
            for (String line : run.lines()) {
                String[] f = line.split(" ");
                if (f[0].equals("HEAP")) {
                    heap.add(Long.parseLong(f[2]));
                } else if (f[0].equals("CALLS")) {
                    allowed = Long.parseLong(f[1]);
                    denied = Long.parseLong(f[2]);
                    assertThat(Long.parseLong(f[3])).as("calls that failed otherwise").isZero();
                }
            }
            assertThat(allowed).as(run.toString()).isPositive();
            assertThat(denied).as(run.toString()).isPositive();
            assertThat(heap).as("a sample a second").hasSizeGreaterThanOrEqualTo((int) seconds - 1);
            return new Soak(allowed, denied, heap);
        }

        /** The last third's highest sample over the first third's lowest, after a warm-up second. */
        long heapGrowth() {
            List<Long> settled = heap.subList(1, heap.size());
            int third = Math.max(1, settled.size() / 3);
            long early = settled.subList(0, third).stream().mapToLong(Long::longValue).min().orElseThrow();
            long late = settled.subList(settled.size() - third, settled.size()).stream().mapToLong(Long::longValue)
                    .max().orElseThrow();
            return late - early;
        }
    }
}
