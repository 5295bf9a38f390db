package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import dev.agentmesh.audit.format.ArgumentDigest;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.it.apps.CrashLoopApp;
import dev.agentmesh.it.apps.NumberedCallsApp;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A JVM making governed calls in a burst is killed with SIGKILL ({@link Process#destroyForcibly()} on Linux) at a
 * random moment, at several kill points. No shutdown hook runs, so no last checkpoint is written. Then:
 * <ul>
 * <li>{@code verify} passes on what is there, with the public key and the anchor too when the agent had written a
 * checkpoint before it died; an incomplete last record is an incomplete tail, not tampering;</li>
 * <li>every call whose body started has its ALLOW record. Each body ({@link CrashLoopApp}) appends its call number
 * to a side file; the tool takes that number as its argument, so the n-th ALLOW record's argument digest must be
 * {@code ArgumentDigest.digest(n)} for every number in the side file (write-ahead: the ALLOW is complete in the
 * mapped queue file before the body runs, and the kernel keeps both files' pages when the process dies).</li>
 * </ul>
 * The kill delay after the burst is under way is a base per kill point plus a random part; the seed is in every
 * assertion message and can be fixed with {@code -Dcrashit.seed=}. Whatever the delay, every assertion must hold.
 */
class CrashIT {

    private static final long SEED = Long.getLong("crashit.seed", System.nanoTime());
    private static final Random RANDOM = new Random(SEED);

    @ParameterizedTest(name = "killed {0}+ ms into the burst")
    @ValueSource(ints = {0, 120, 350, 700})
    void aKilledWriterLeavesAVerifiableTrailWithAnAllowForEveryBodyThatStarted(int baseDelayMillis, @TempDir Path tmp)
            throws Exception {
        long delay = baseDelayMillis + RANDOM.nextInt(100);
        String context = "seed " + SEED + ", killed " + delay + " ms after STARTED";
        KeyFiles.generate(tmp.resolve("ops.pem"), tmp.resolve("ops.pub.pem"), "ops");
        Path policy = Trails.policy(tmp, Trails.MATRIX_POLICY);
        Path audit = tmp.resolve("audit");
        Path anchor = tmp.resolve("anchor.note");
        Path side = tmp.resolve("bodies.txt");

        ProcessBuilder launch = new ProcessBuilder(ForkedJvm.JAVA,
                "-javaagent:" + ForkedJvm.AGENT_JAR + "=policy=" + policy + ",audit.dir=" + audit
                        + ",checkpoint.key=" + tmp.resolve("ops.pem") + ",checkpoint.key.name=ops,checkpoint.anchor="
                        + anchor + ",checkpoint.every=1000",
                "-cp", ForkedJvm.TEST_CLASSES + File.pathSeparator + ForkedJvm.API_JAR, CrashLoopApp.class.getName(),
                side.toString())
                .redirectError(tmp.resolve("app.err").toFile());
        launch.environment().keySet().removeIf(k -> k.startsWith("AGENTMESH_"));
        Process app = launch.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).as("the burst is under way; " + context + "; stderr:\n"
                    + Files.readString(tmp.resolve("app.err"))).isEqualTo("STARTED");
            Thread.sleep(delay);
        } finally {
            app.destroyForcibly();
            assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(app.exitValue()).as("killed by SIGKILL; " + context).isEqualTo(128 + 9);

        // verify passes on what is there: with the public key and the anchor, once the agent had written them.
        List<String> args = new ArrayList<>(List.of("verify", audit.toString()));
        boolean checkpointed = Files.exists(audit.resolve("checkpoint.note"));
        if (checkpointed) {
            args.addAll(List.of("--pubkey", tmp.resolve("ops.pub.pem").toString(), "--key-name", "ops"));
        }
        if (Files.exists(anchor)) {
            args.addAll(List.of("--anchor", anchor.toString()));
        }
        ReaderRuns.Run verify = ReaderRuns.run(args.toArray(String[]::new));
        assertThat(verify.exitCode()).as(context + "\n" + verify).isZero();
        String ok = verify.line();
        assertThat(ok).as(context).startsWith("OK ");
        long records = Long.parseLong(ok.split(" ")[1]);
        if (checkpointed) {
            assertThat(ok).as(context).contains(", checkpoint at ").contains(" signed and matching");
            assertThat(SignedCheckpoint.parse(Files.readString(audit.resolve("checkpoint.note"))).checkpoint().size())
                    .as("a checkpoint never covers more than the trail holds; " + context).isLessThanOrEqualTo(records);
        }

        // Every body that started has its ALLOW record, in order.
        List<String> bodies = completeLines(side);
        for (int n = 0; n < bodies.size(); n++) {
            assertThat(bodies.get(n)).as("bodies run in call order; " + context).isEqualTo(Long.toString(n));
        }
        List<String> allowDigests = new ArrayList<>();
        // filter --decision ALLOW prints the ALLOWs and their outcomes; only the ALLOW rows are counted.
        ReaderRuns.Run filter = ReaderRuns.stream(line -> {
            String[] row = line.split(",", -1);
            if (row[2].equals("ALLOW")) {
                allowDigests.add(row[14]);
            }
        }, "filter", audit.toString(), "--decision", "ALLOW", "--format", "csv");
        assertThat(filter.exitCode()).as(context + "\n" + filter).isZero();
        assertThat(allowDigests.size()).as("ALLOW records vs bodies started; " + context)
                .isBetween(bodies.size(), bodies.size() + 1);
        ArgumentDigest digest = new ArgumentDigest();
        for (int n = 0; n < bodies.size(); n++) {
            if (!allowDigests.get(n).equals(Hex.of(digest.digest(Long.valueOf(n))))) {
                throw new AssertionError("ALLOW number " + n + " is not call " + n + "'s; " + context);
            }
        }
        boolean torn = tornTail(audit);
        System.out.println("CrashIT: " + context + ": " + records + " records, " + bodies.size() + " bodies, "
                + allowDigests.size() + " ALLOWs, " + (torn ? "a torn last record" : "no torn record"));
    }

    /**
     * What a kill in the middle of writing a record leaves, made deterministic: after the last complete record, the
     * start of one more whose header was never completed. This Chronicle version writes a document's header only when
     * the document is complete, so the header is still zero (older versions, and Chronicle's recovery, mark it
     * "not complete" instead: the second case). Either way it is an incomplete tail, not tampering: verify reports
     * the records before it, exit 0, and the checkpoint written at shutdown still matches.
     */
    @Test
    void aTornLastRecordReadsAsAnIncompleteTail(@TempDir Path tmp) throws Exception {
        KeyFiles.generate(tmp.resolve("ops.pem"), tmp.resolve("ops.pub.pem"), "ops");
        Path policy = Trails.policy(tmp, Trails.MATRIX_POLICY);
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = ForkedJvm.main(NumberedCallsApp.class)
                .withAgent("policy=" + policy + ",audit.dir=" + audit + ",checkpoint.key=" + tmp.resolve("ops.pem")
                        + ",checkpoint.key.name=ops")
                .args("1", "10", "0").run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        int records = 1 + 10 * 2;
        List<TrailFiles.Doc> docs = TrailFiles.records(audit);
        Path cq4 = docs.get(docs.size() - 1).file();
        assertThat(docs).hasSize(records);
        byte[] allow = TrailFiles.payload(docs.get(records - 2));
        int end = TrailFiles.usedEnd(cq4);

        for (int header : new int[] {0, TrailFiles.NOT_COMPLETE | allow.length}) {
            byte[] torn = new byte[4 + allow.length / 2];
            java.nio.ByteBuffer.wrap(torn).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(header);
            System.arraycopy(allow, 0, torn, 4, allow.length / 2);
            TrailFiles.write(cq4, end, torn);

            ReaderRuns.Run r = ReaderRuns.run("verify", audit.toString(), "--pubkey",
                    tmp.resolve("ops.pub.pem").toString(), "--key-name", "ops");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.line()).startsWith("OK " + records + " records, ")
                    .endsWith(", checkpoint at " + records + " signed and matching");
        }
    }

    /** @return the lines of a file that end in a newline (a write cut short by the kill would not) */
    private static List<String> completeLines(Path file) throws Exception {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        int last = text.lastIndexOf('\n');
        return last < 0 ? List.of() : Arrays.asList(text.substring(0, last).split("\n"));
    }

    /** @return whether the cycle file holds bytes after its last complete document, as a write cut short leaves */
    private static boolean tornTail(Path audit) throws Exception {
        List<Path> files = TrailFiles.cycleFiles(audit);
        Path cq4 = files.get(files.size() - 1);
        List<TrailFiles.Doc> docs = TrailFiles.documents(cq4);
        TrailFiles.Doc last = docs.get(docs.size() - 1);
        return !last.complete() || TrailFiles.lastNonZero(cq4) >= last.end();
    }
}
