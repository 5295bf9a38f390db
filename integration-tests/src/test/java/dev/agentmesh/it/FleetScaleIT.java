package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.it.apps.FleetScaleApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forwarder at its limit, measured ({@code docs/scale.md}): threads make governed calls as fast as they can
 * under fleet mode with signed checkpoints, shipping to a real broker on this machine; then the JVM waits until Kafka
 * has every record. What it shows: records written and shipped per second while the calls run, the lag that built
 * up, how fast the forwarder alone ships it (the drain), and how fast the reader verifies the topic. Every record
 * arrives once, in order, and the topic verifies against the signed checkpoint.
 *
 * <p>A smoke run by default (2 s of calls); {@code -Dit.fleet.seconds=10 -Dit.fleet.threads=1} for the measured run
 * ({@code docs/scale.md}).
 * The figures are printed, and written to {@code target/fleet-scale.txt}.
 */
class FleetScaleIT {

    private static final long SECONDS = Long.getLong("it.fleet.seconds", 2);
    private static final int THREADS = Integer.getInteger("it.fleet.threads", 2);
    private static final long DRAIN_SECONDS = Long.getLong("it.fleet.drain", 300);
    private static final String FULL_JIT = "-XX:TieredStopAtLevel=4";

    @Test
    void theForwarderShipsEveryRecordAtItsLimitAndTheTopicVerifies(@TempDir Path tmp) throws Exception {
        // Every JVM with the optimising compiler, as in production (the other tests start them C1-only, for speed).
        try (KafkaBroker broker = KafkaBroker.start(tmp.resolve("broker"), true)) {
            KeyFiles.generate(tmp.resolve("ops.pem"), tmp.resolve("ops.pub.pem"), "ops");
            Path policy = Trails.policy(tmp, Trails.MATRIX_POLICY + String.join("\n",
                    "fleet:",
                    "  kafka: {bootstrap: \"" + broker.bootstrap() + "\"}",
                    "  auditTopic: fleet-scale",
                    ""));
            Path audit = tmp.resolve("audit");
            ForkedJvm.Result run = ForkedJvm.main(FleetScaleApp.class)
                    .withAgent("policy=" + policy + ",audit.dir=" + audit + ",checkpoint.key=" + tmp.resolve("ops.pem")
                            + ",checkpoint.key.name=ops")
                    .jvmArg(FULL_JIT)
                    .args(String.valueOf(THREADS), String.valueOf(SECONDS), String.valueOf(DRAIN_SECONDS))
                    .timeoutSeconds(SECONDS + DRAIN_SECONDS + 120)
                    .run();
            assertThat(run.exitCode()).as(run.toString()).isZero();
            Samples s = Samples.of(run.lines());
            assertThat(s.drainedMillis).as("every record acknowledged: %s", run).isPositive();

            long local = Trails.verifiedCount(audit);
            assertThat(s.last()[1]).as("records written").isEqualTo(local);
            long verifyStart = System.nanoTime();
            ForkedJvm.Result verify = ForkedJvm.auditReader("verify", "--kafka", broker.bootstrap(), "--topic",
                    "fleet-scale", "--pubkey", tmp.resolve("ops.pub.pem").toString(), "--key-name", "ops")
                    .jvmArg(FULL_JIT).timeoutSeconds(DRAIN_SECONDS + 120).run();
            long verifyMillis = (System.nanoTime() - verifyStart) / 1_000_000;
            assertThat(verify.exitCode()).as(verify.toString()).isZero();
            assertThat(verify.lines()).first().isEqualTo("OK 1 writers, " + local + " records on fleet-scale");
            assertThat(verify.lines()).anyMatch(l -> l.endsWith("signed and matching"));

            String report = s.report(THREADS, local, verifyMillis) + s.series()
                    + String.format(Locale.ROOT, "fleet scale: %.0f bytes a record on the topic (Kafka's batches, key "
                    + "and header included, uncompressed)%n",
                    (double) bytesUnder(tmp.resolve("broker/data"), "fleet-scale-") / local);
            System.out.print(report);
            Files.writeString(Path.of("target", "fleet-scale.txt"), report);
        }
    }

    /** @return the bytes of Kafka's log segments under {@code dir} whose path contains {@code part} */
    private static long bytesUnder(Path dir, String part) throws Exception {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().contains(part))
                    .filter(f -> f.toString().endsWith(".log"))
                    .mapToLong(f -> f.toFile().length()).sum();
        }
    }

    /** What the app printed: its samples, when the calls stopped, when the lag reached 0. */
    private static final class Samples {
        /** millis, written, acknowledged */
        final List<long[]> rows = new ArrayList<>();
        long calls;
        long callsEndMillis;
        long drainedMillis = -1;

        static Samples of(List<String> lines) {
            Samples s = new Samples();
            for (String line : lines) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "FLEET" -> s.rows.add(new long[] {Long.parseLong(f[1]), Long.parseLong(f[2]),
                        Long.parseLong(f[3])});
                    case "CALLS" -> {
                        s.calls = Long.parseLong(f[1]);
                        s.callsEndMillis = Long.parseLong(f[2]);
                    }
                    case "DRAINED" -> s.drainedMillis = Long.parseLong(f[1]);
                    default -> { }
                }
            }
            return s;
        }

        long[] last() {
            return rows.get(rows.size() - 1);
        }

        /** The last sample taken while the calls ran. */
        long[] atCallsEnd() {
            long[] at = rows.get(0);
            for (long[] r : rows) {
                if (r[0] <= callsEndMillis) {
                    at = r;
                }
            }
            return at;
        }

        /** @return the samples a second apart: seconds, records written, acknowledged, lag */
        String series() {
            StringBuilder out = new StringBuilder("fleet scale: s written acknowledged lag\n");
            long next = 0;
            for (long[] r : rows) {
                if (r[0] >= next) {
                    out.append(String.format(Locale.ROOT, "fleet scale: %.1f %d %d %d%n", r[0] / 1000.0, r[1], r[2],
                            r[1] - r[2]));
                    next = (r[0] / 1000 + 1) * 1000;
                }
            }
            return out.toString();
        }

        String report(int threads, long records, long verifyMillis) {
            long[] end = atCallsEnd();
            long maxLag = rows.stream().mapToLong(r -> r[1] - r[2]).max().orElse(0);
            double loadSeconds = end[0] / 1000.0;
            double drainSeconds = (drainedMillis - end[0]) / 1000.0;
            return String.format(Locale.ROOT, "fleet scale: %d threads, %d calls in %.1f s: %,.0f records/s written, "
                    + "%,.0f records/s shipped meanwhile; largest lag %,d records; the rest (%,d records) shipped in "
                    + "%.1f s: %,.0f records/s; %,d records verified from the topic in %.1f s (JVM start included): "
                    + "%,.0f records/s%n",
                    threads, calls, callsEndMillis / 1000.0, end[1] / loadSeconds, end[2] / loadSeconds, maxLag,
                    records - end[2], drainSeconds,
                    (records - end[2]) / Math.max(drainSeconds, 0.001), records, verifyMillis / 1000.0,
                    records / (verifyMillis / 1000.0));
        }
    }
}
