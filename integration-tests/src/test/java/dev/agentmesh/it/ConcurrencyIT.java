package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.audit.format.ArgumentDigest;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.it.apps.NumberedCallsApp;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8 threads × 100,000 governed calls in one agent JVM ({@link NumberedCallsApp}; every tenth call is denied), with
 * a checkpoint key. Then: {@code verify} passes (which checks that sequence numbers run 0, 1, 2, ... with no gap or
 * repeat, and the chain), the signed checkpoint matches, and the export holds exactly one decision record per call
 * number (matched through its argument digest): an ALLOW for each allowed call, a DENY for each denied one, no call
 * lost or recorded twice, and exactly one RETURNED closing each ALLOW. Records: 1 GENESIS + 720,000 × 2 + 80,000.
 * It takes about 15 s here (the calls themselves about 4 s).
 */
class ConcurrencyIT {

    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 100_000;
    private static final int DENY_EVERY = 10;
    private static final int CALLS = THREADS * CALLS_PER_THREAD;
    private static final int DENIED = CALLS / DENY_EVERY;
    private static final int ALLOWED = CALLS - DENIED;
    private static final long RECORDS = 1 + 2L * ALLOWED + DENIED;

    @Test
    void everyCallOfEightThreadsIsRecordedOnceInOneContiguousChain(@TempDir Path tmp) throws Exception {
        KeyFiles.generate(tmp.resolve("ops.pem"), tmp.resolve("ops.pub.pem"), "ops");
        Path policy = Trails.policy(tmp, Trails.MATRIX_POLICY);
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = ForkedJvm.main(NumberedCallsApp.class)
                .withAgent("policy=" + policy + ",audit.dir=" + audit + ",checkpoint.key=" + tmp.resolve("ops.pem")
                        + ",checkpoint.key.name=ops")
                .args(Integer.toString(THREADS), Integer.toString(CALLS_PER_THREAD), Integer.toString(DENY_EVERY))
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).containsExactly("BODIES " + ALLOWED + " DENIED " + DENIED + " ERRORS 0");

        ReaderRuns.Run verify = ReaderRuns.run("verify", audit.toString(), "--pubkey",
                tmp.resolve("ops.pub.pem").toString(), "--key-name", "ops");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        Matcher ok = Pattern.compile("OK (\\d+) records, head [0-9a-f]{64}, (\\d+) denials, root [0-9a-f]{64}, "
                + "checkpoint at (\\d+) signed and matching").matcher(verify.line());
        assertThat(ok.matches()).as(verify.toString()).isTrue();
        assertThat(Long.parseLong(ok.group(1))).isEqualTo(RECORDS);
        assertThat(Long.parseLong(ok.group(2))).isEqualTo(DENIED);
        assertThat(Long.parseLong(ok.group(3))).isBetween(1L, RECORDS);

        Calls calls = new Calls();
        ReaderRuns.Run export = ReaderRuns.stream(calls::row, "export", audit.toString(), "--format", "csv");
        assertThat(export.exitCode()).as(export.toString()).isZero();
        calls.assertComplete();
        System.out.println("ConcurrencyIT: " + RECORDS + " records; the chain switched thread " + calls.switches
                + " times; checkpoint at " + ok.group(3));
    }

    /** Checks the CSV export row by row, in constant memory per record. */
    private static final class Calls {
        private final long[] digestPrefixes = new long[CALLS];
        private final int[] callAt = new int[CALLS];
        private final BitSet decided = new BitSet(CALLS);
        private final BitSet open = new BitSet();
        private final Map<String, Long> types = new HashMap<>();
        private long rows = -1;
        private long switches;
        private int lastThread = -1;

        Calls() {
            // The argument digest of every call number, sorted, to find a record's call from its digest.
            ArgumentDigest digest = new ArgumentDigest();
            long[] byCall = new long[CALLS];
            for (int n = 0; n < CALLS; n++) {
                byCall[n] = prefix(Hex.of(digest.digest(Long.valueOf(n))));
            }
            System.arraycopy(byCall, 0, digestPrefixes, 0, CALLS);
            Arrays.sort(digestPrefixes);
            for (int n = 0; n < CALLS; n++) {
                callAt[Arrays.binarySearch(digestPrefixes, byCall[n])] = n;
            }
            for (int i = 1; i < CALLS; i++) {
                if (digestPrefixes[i] == digestPrefixes[i - 1]) {
                    throw new IllegalStateException("two call numbers share a 64-bit digest prefix");
                }
            }
        }

        void row(String line) {
            if (rows++ < 0) {
                assertThat(line).startsWith("seq,time,type,");
                return;
            }
            String[] r = line.split(",", -1);
            long seq = Long.parseLong(r[0]);
            if (seq != rows - 1) {
                throw new AssertionError("record " + (rows - 1) + " has seq " + seq);
            }
            String type = r[2];
            types.merge(type, 1L, Long::sum);
            switch (type) {
                case "ALLOW", "DENY" -> {
                    int at = Arrays.binarySearch(digestPrefixes, prefix(r[14]));
                    if (at < 0) {
                        throw new AssertionError("record " + seq + " is no call's: " + line);
                    }
                    int n = callAt[at];
                    if (decided.get(n)) {
                        throw new AssertionError("call " + n + " recorded twice, again at " + seq);
                    }
                    decided.set(n);
                    boolean denied = n % DENY_EVERY == DENY_EVERY - 1;
                    if (!type.equals(denied ? "DENY" : "ALLOW")) {
                        throw new AssertionError("call " + n + " recorded as " + type + " at " + seq);
                    }
                    if (!denied) {
                        open.set(Math.toIntExact(seq));
                    }
                    int thread = n / CALLS_PER_THREAD;
                    if (thread != lastThread) {
                        switches++;
                        lastThread = thread;
                    }
                }
                case "RETURNED" -> {
                    int call = Math.toIntExact(Long.parseLong(r[11]));
                    if (!open.get(call)) {
                        throw new AssertionError("record " + seq + " closes " + call + ", not an open ALLOW");
                    }
                    open.clear(call);
                }
                case "GENESIS" -> assertThat(seq).isZero();
                default -> throw new AssertionError("unexpected record " + line);
            }
        }

        void assertComplete() {
            assertThat(rows).as("records").isEqualTo(RECORDS);
            assertThat(types).containsOnly(Map.entry("GENESIS", 1L), Map.entry("ALLOW", (long) ALLOWED),
                    Map.entry("DENY", (long) DENIED), Map.entry("RETURNED", (long) ALLOWED));
            assertThat(decided.cardinality()).as("calls with a decision record").isEqualTo(CALLS);
            assertThat(open.isEmpty()).as("every ALLOW closed once").isTrue();
        }

        private static long prefix(String hex) {
            return Long.parseUnsignedLong(hex.substring(0, 16), 16);
        }
    }
}
