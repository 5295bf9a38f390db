package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.checkpoint.Checkpoint;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import dev.agentmesh.audit.format.ArgumentDigest;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.it.apps.NumberedCallsApp;
import dev.agentmesh.it.apps.RollingTrailWriter;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tamper matrix of issue 3, against real trails and the real reader jar: each attack is its own test, asserting
 * the exit code and the one line the reader prints, which names the first bad record. The tests that show a
 * guarantee's boundary (what passes without a checkpoint key, the anchor or a state file) say so in their names.
 *
 * <p>The genuine trail is written by the agent in two runs (so it holds two GENESIS records), with a checkpoint
 * key, an anchor outside the audit directory and a checkpoint every 8 records. One thread makes numbered calls
 * ({@link NumberedCallsApp}); every fifth is denied. Run 1 makes calls 0..9 (19 records), run 2 calls 10..29 (37
 * more, 56 in all). A copy of the directory taken between the runs is the "earlier copy" a rollback restores. Each
 * test damages its own copy of the genuine trail at the byte level, in the Chronicle cycle file
 * ({@link TrailFiles} describes its layout); records are found by their call number through the argument digest
 * the trail stores for them.
 */
class TamperMatrixIT {

    private static final int RUN1_RECORDS = 1 + 8 * 2 + 2;
    private static final int GENUINE_RECORDS = RUN1_RECORDS + 1 + 16 * 2 + 4;
    private static final int FORGED_RECORDS = 1 + 30 * 2;
    private static final String HASH_MISMATCH = "hash mismatch: the record or the one before it was altered";

    /** Chronicle needs these on JDK 17+ (the root pom's chronicle.test.argLine). */
    static final List<String> CHRONICLE_FLAGS = List.of("--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-opens=jdk.compiler/com.sun.tools.javac=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED");

    @TempDir
    static Path shared;
    static Path genuine;
    static Path earlier;
    static Path anchor;
    static Path pubkey;
    static Path forged;
    static Path rolling;
    static List<Map<String, String>> records;
    static List<long[]> cycles;

    @TempDir
    Path tmp;

    @BeforeAll
    static void writeTrails() throws Exception {
        KeyFiles.generate(shared.resolve("ops.pem"), shared.resolve("ops.pub.pem"), "ops");
        pubkey = shared.resolve("ops.pub.pem");
        // The forger controls the writer, and names their own key 'ops' too.
        KeyFiles.generate(shared.resolve("forger.pem"), shared.resolve("forger.pub.pem"), "ops");
        Path policy = Trails.policy(shared, Trails.MATRIX_POLICY);
        genuine = shared.resolve("genuine");
        anchor = shared.resolve("anchor/trail.note");
        String options = "policy=" + policy + ",audit.dir=" + genuine + ",checkpoint.key=" + shared.resolve("ops.pem")
                + ",checkpoint.key.name=ops,checkpoint.anchor=" + anchor + ",checkpoint.every=8";
        forged = shared.resolve("forged");
        rolling = shared.resolve("rolling");
        earlier = shared.resolve("earlier");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> genuineRuns = pool.submit(() -> {
                calls(options, "1", "10", "5", "0", "BODIES 8 DENIED 2 ERRORS 0");
                TrailFiles.copyTrail(genuine, earlier);
                calls(options, "1", "20", "5", "10", "BODIES 16 DENIED 4 ERRORS 0");
                return null;
            });
            // A forgery: the forger reruns the writer into a fresh directory, with their own key, and every call
            // allowed: a consistent chain, longer than the genuine one, that hides the denials.
            Future<ForkedJvm.Result> forgery = pool.submit(() -> {
                calls("policy=" + policy + ",audit.dir=" + forged + ",checkpoint.key=" + shared.resolve("forger.pem")
                        + ",checkpoint.key.name=ops,checkpoint.anchor=" + shared.resolve("forger-anchor.note"),
                        "1", "30", "0", "0", "BODIES 30 DENIED 0 ERRORS 0");
                ForkedJvm writer = ForkedJvm.main(RollingTrailWriter.class);
                testClassPath().forEach(writer::classPath);
                CHRONICLE_FLAGS.forEach(writer::jvmArg);
                return writer.args(rolling.toString(), "4", "6").run();
            });
            genuineRuns.get();
            ForkedJvm.Result written = forgery.get();
            assertThat(written.exitCode()).as(written.toString()).isZero();
            cycles = new ArrayList<>();
            Matcher m = Pattern.compile("(?m)^CYCLE (\\d+) FIRST (\\d+) COUNT (\\d+)$").matcher(written.stdout());
            while (m.find()) {
                cycles.add(new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
            }
            assertThat(cycles).as(written.toString()).hasSize(4);
        } finally {
            pool.shutdownNow();
        }
        assertThat(TrailFiles.cycleFiles(rolling)).hasSize(4);
        assertThat(SignedCheckpoint.parse(Files.readString(anchor)).checkpoint().size()).isEqualTo(GENUINE_RECORDS);

        // The walk over the cycle file finds exactly the records the reader exports, with their hashes.
        records = export(genuine);
        List<TrailFiles.Doc> docs = TrailFiles.records(genuine);
        assertThat(records).hasSize(GENUINE_RECORDS);
        assertThat(docs).hasSize(GENUINE_RECORDS);
        for (int i = 0; i < GENUINE_RECORDS; i++) {
            assertThat(Hex.of(TrailFiles.chainHash(TrailFiles.payload(docs.get(i)))))
                    .isEqualTo(records.get(i).get("hash"));
        }
    }

    /** Every undamaged trail of the matrix verifies. */
    @Test
    void theUndamagedTrailsVerify() throws Exception {
        assertThat(verify(genuine, "--pubkey", pubkey.toString(), "--key-name", "ops", "--anchor", anchor.toString())
                .line()).startsWith("OK " + GENUINE_RECORDS + " records, ")
                .endsWith(", checkpoint at " + GENUINE_RECORDS + " signed and matching, anchor at " + GENUINE_RECORDS
                        + " signed and matching");
        assertThat(verify(earlier).line()).startsWith("OK " + RUN1_RECORDS + " records, ");
        assertThat(verify(forged).line()).startsWith("OK " + FORGED_RECORDS + " records, ");
        assertThat(verify(rolling).line()).startsWith("OK 24 records, ");
    }

    // ---- Edits in the middle: the chain names the record -------------------------------------------------------

    /**
     * Simulates an edit of what was recorded: one bit of call 14's DENY record is flipped in the file, the one
     * that turns its type byte from DENY (3) into ALLOW (2), as someone hiding a denial would.
     */
    @Test
    void aFlippedPayloadByteIsFoundAtItsRecord() throws Exception {
        Path trail = copy(genuine);
        int k = seqOf("DENY", 14);
        TrailFiles.Doc doc = TrailFiles.records(trail).get(k);
        TrailFiles.xor(doc.file(), doc.payload() + 1, 0x01);

        ReaderRuns.Run r = verify(trail);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.line()).isEqualTo("TAMPERED at record " + k + ": " + HASH_MISMATCH);
    }

    /** Simulates damage to the chain itself: one byte of the chain hash stored with call 20's ALLOW record. */
    @Test
    void aFlippedChainHashByteIsFoundAtItsRecord() throws Exception {
        Path trail = copy(genuine);
        int k = seqOf("ALLOW", 20);
        TrailFiles.Doc doc = TrailFiles.records(trail).get(k);
        TrailFiles.xor(doc.file(), doc.payload() + doc.length() - 7, 0x40);

        ReaderRuns.Run r = verify(trail);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.line()).isEqualTo("TAMPERED at record " + k + ": " + HASH_MISMATCH);
    }

    /**
     * Simulates deleting one event: call 14's DENY record is cut out of the cycle file and every record after it
     * moves up one place, as an editor of the file would leave it. The record now at its position was chained to
     * the deleted one, so the chain breaks there.
     */
    @Test
    void aRecordDeletedFromTheMiddleIsFoundAtItsPosition() throws Exception {
        Path trail = copy(genuine);
        int k = seqOf("DENY", 14);
        List<TrailFiles.Doc> docs = TrailFiles.records(trail);
        List<byte[]> after = payloads(docs.subList(k + 1, docs.size()));
        TrailFiles.rewriteFrom(docs.get(k), after);
        assertThat(TrailFiles.records(trail)).hasSize(GENUINE_RECORDS - 1);

        ReaderRuns.Run r = verify(trail);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.line()).isEqualTo("TAMPERED at record " + k + ": " + HASH_MISMATCH);
    }

    /**
     * The same deletion by a forger who also recomputes every chain hash after it: the hashes now agree, but the
     * record at the deleted one's position carries the next sequence number.
     */
    @Test
    void aRecordDeletedAndTheRestRechainedIsFoundByItsSequenceNumber() throws Exception {
        Path trail = copy(genuine);
        int k = seqOf("DENY", 14);
        List<TrailFiles.Doc> docs = TrailFiles.records(trail);
        List<byte[]> after = payloads(docs.subList(k + 1, docs.size()));
        TrailFiles.rechain(TrailFiles.chainHash(TrailFiles.payload(docs.get(k - 1))), after);
        TrailFiles.rewriteFrom(docs.get(k), after);

        ReaderRuns.Run r = verify(trail);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.line()).isEqualTo("TAMPERED at record " + k + ": sequence number " + (k + 1) + " where " + k
                + " was expected");
    }

    /**
     * Simulates reordering events: call 14's DENY and call 17's ALLOW exchange places in the file (the documents
     * differ in length, so everything between them is rewritten in the new order). The first moved record breaks
     * the chain.
     */
    @Test
    void swappedRecordsAreFoundAtTheFirstOfThem() throws Exception {
        Path trail = copy(genuine);
        int i = seqOf("DENY", 14);
        int j = seqOf("ALLOW", 17);
        List<TrailFiles.Doc> docs = TrailFiles.records(trail);
        List<byte[]> from = payloads(docs.subList(i, docs.size()));
        Collections.swap(from, 0, j - i);
        TrailFiles.rewriteFrom(docs.get(i), from);
        assertThat(TrailFiles.records(trail)).hasSize(GENUINE_RECORDS);

        ReaderRuns.Run r = verify(trail);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.line()).isEqualTo("TAMPERED at record " + i + ": " + HASH_MISMATCH);
    }

    /** The same swap by a forger who recomputes every chain hash from there on: the sequence numbers give it away. */
    @Test
    void swappedRecordsRechainedAreFoundByTheirSequenceNumber() throws Exception {
        Path trail = copy(genuine);
        int i = seqOf("DENY", 14);
        int j = seqOf("ALLOW", 17);
        List<TrailFiles.Doc> docs = TrailFiles.records(trail);
        List<byte[]> from = payloads(docs.subList(i, docs.size()));
        Collections.swap(from, 0, j - i);
        TrailFiles.rechain(TrailFiles.chainHash(TrailFiles.payload(docs.get(i - 1))), from);
        TrailFiles.rewriteFrom(docs.get(i), from);

        ReaderRuns.Run r = verify(trail);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.line()).isEqualTo("TAMPERED at record " + i + ": sequence number " + j + " where " + i
                + " was expected");
    }

    // ---- The tail: truncation and rollback --------------------------------------------------------------------

    /**
     * Simulates cutting records off the end in place: records 40..55 are zeroed in the cycle file, so the queue
     * ends after record 39. The checkpoint the agent left in the directory was signed at 56.
     */
    @Test
    void aTailCutInPlaceIsCaughtByTheCheckpointInTheDirectory() throws Exception {
        Path trail = copy(genuine);
        cutFrom(trail, 40);

        ReaderRuns.Run r = verify(trail);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.line()).isEqualTo("TRUNCATED: the trail has 40 records, but the checkpoint in the directory "
                + "was signed at " + GENUINE_RECORDS);
    }

    /**
     * The guarantee's boundary: the same cut, with the directory's checkpoint deleted too, verifies, since a hash
     * chain alone cannot show that its end is missing. The anchor, kept outside the directory, still catches it.
     */
    @Test
    void aTailCutTogetherWithTheCheckpointPassesTheChainAloneButNotTheAnchor() throws Exception {
        Path trail = copy(genuine);
        cutFrom(trail, 40);
        Files.delete(trail.resolve("checkpoint.note"));

        ReaderRuns.Run alone = verify(trail);
        assertThat(alone.exitCode()).as(alone.toString()).isZero();
        assertThat(alone.line()).startsWith("OK 40 records, ");

        ReaderRuns.Run r = verify(trail, "--anchor", anchor.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.line()).isEqualTo("TRUNCATED: the trail has 40 records, but the anchor was signed at "
                + GENUINE_RECORDS);
    }

    /**
     * The guarantee's boundary: the whole directory rolled back to the copy taken between the two runs (its cycle
     * file and its own checkpoint, 19 records) is a consistent trail, and verifies without a state file or anchor.
     */
    @Test
    void aRolledBackCopyVerifiesWithoutStateOrAnchor() throws Exception {
        ReaderRuns.Run r = verify(copy(earlier));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.line()).startsWith("OK " + RUN1_RECORDS + " records, ")
                .endsWith(", checkpoint at " + RUN1_RECORDS + " matching");
    }

    /** A rollback to the earlier copy, after a run with {@code --state} saw the whole trail: exit 2. */
    @Test
    void aRolledBackCopyIsCaughtByTheStateFile() throws Exception {
        Path state = tmp.resolve("state/verified.checkpoint");
        ReaderRuns.Run before = verify(copy(genuine), "--state", state.toString());
        assertThat(before.exitCode()).as(before.toString()).isZero();

        Path rolledBack = tmp.resolve("rolled-back");
        TrailFiles.copyTrail(earlier, rolledBack);
        ReaderRuns.Run r = verify(rolledBack, "--state", state.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.line()).isEqualTo("TRUNCATED: the trail has " + RUN1_RECORDS + " records, but the state file "
                + "remembers " + GENUINE_RECORDS + ": truncated or rolled back");
        assertThat(Checkpoint.parse(Files.readString(state)).size()).as("a failed run keeps the state")
                .isEqualTo(GENUINE_RECORDS);
    }

    /** A rollback to the earlier copy is caught by the anchor the agent kept outside the directory: exit 2. */
    @Test
    void aRolledBackCopyIsCaughtByTheAnchor() throws Exception {
        ReaderRuns.Run r = verify(copy(earlier), "--anchor", anchor.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.line()).isEqualTo("TRUNCATED: the trail has " + RUN1_RECORDS + " records, but the anchor was "
                + "signed at " + GENUINE_RECORDS);
    }

    // ---- Cycle files ------------------------------------------------------------------------------------------

    /**
     * A trail over four daily cycle files (6 records each; see {@link RollingTrailWriter}) loses its second file:
     * the chain breaks at the first record that file held.
     */
    @Test
    void aCycleFileDeletedFromTheMiddleIsFoundAtItsFirstRecord() throws Exception {
        Path trail = copy(rolling);
        Files.delete(TrailFiles.cycleFiles(trail).get(1));

        ReaderRuns.Run r = verify(trail);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.line()).isEqualTo("TAMPERED at record " + cycles.get(1)[0] + ": " + HASH_MISMATCH);
    }

    /** The second and third cycle files exchange names: the chain breaks where the second file's records were. */
    @Test
    void reorderedCycleFilesAreFoundAtTheFirstMovedRecord() throws Exception {
        Path trail = copy(rolling);
        List<Path> files = TrailFiles.cycleFiles(trail);
        Path swap = trail.resolve("swap.tmp");
        Files.move(files.get(1), swap);
        Files.move(files.get(2), files.get(1));
        Files.move(swap, files.get(2));

        ReaderRuns.Run r = verify(trail);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.line()).isEqualTo("TAMPERED at record " + cycles.get(1)[0] + ": " + HASH_MISMATCH);
    }

    /**
     * Deleting the last cycle file cuts the tail. This trail has no checkpoint (it was not written by the agent), so
     * without a state file that is the boundary: it verifies. A state file from a run that saw all four files
     * catches it.
     */
    @Test
    void aDeletedLastCycleFileIsCaughtByTheStateFileOnly() throws Exception {
        Path trail = copy(rolling);
        Path state = tmp.resolve("verified.checkpoint");
        assertThat(verify(trail, "--state", state.toString()).exitCode()).isZero();
        List<Path> files = TrailFiles.cycleFiles(trail);
        Files.delete(files.get(files.size() - 1));
        long kept = 24 - cycles.get(3)[1];

        ReaderRuns.Run alone = verify(trail);
        assertThat(alone.exitCode()).as(alone.toString()).isZero();
        assertThat(alone.line()).startsWith("OK " + kept + " records, ");

        ReaderRuns.Run r = verify(trail, "--state", state.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.line()).isEqualTo("TRUNCATED: the trail has " + kept + " records, but the state file remembers "
                + "24: truncated or rolled back");
    }

    // ---- A whole re-chained forgery ---------------------------------------------------------------------------

    /**
     * The guarantee's boundary: a forger who controls the writer replaces the trail with a fresh, consistent chain
     * (and deletes the checkpoint). The chain alone cannot tell.
     */
    @Test
    void aRechainedForgeryPassesTheChainAlone() throws Exception {
        Path trail = copy(forged);
        Files.delete(trail.resolve("checkpoint.note"));

        ReaderRuns.Run r = verify(trail);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.line()).startsWith("OK " + FORGED_RECORDS + " records, ");
    }

    /**
     * The forgery carrying the genuine checkpoint, copied from the real trail: its size fits (the forgery is longer),
     * but its Merkle root is not the forgery's. Caught with or without the public key, since the copied signature is
     * genuine.
     */
    @Test
    void aRechainedForgeryWithTheGenuineCheckpointFailsOnItsRoot() throws Exception {
        Path trail = copy(forged);
        Files.copy(genuine.resolve("checkpoint.note"), trail.resolve("checkpoint.note"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String expected = "TAMPERED: the first " + GENUINE_RECORDS + " records do not match the checkpoint in the "
                + "directory (Merkle root differs): the trail was rewritten";

        ReaderRuns.Run r = verify(trail);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.line()).isEqualTo(expected);

        ReaderRuns.Run signed = verify(trail, "--pubkey", pubkey.toString(), "--key-name", "ops");
        assertThat(signed.exitCode()).as(signed.toString()).isEqualTo(1);
        assertThat(signed.line()).isEqualTo(expected);
    }

    /**
     * The forgery with its own checkpoint, signed by the forger's key (also named 'ops'): consistent in itself, so
     * it passes without {@code --pubkey} (the boundary); with the genuine public key it is a signature problem.
     */
    @Test
    void aRechainedForgerySignedByAnotherKeyFailsOnTheSignature() throws Exception {
        Path trail = copy(forged);

        ReaderRuns.Run unkeyed = verify(trail);
        assertThat(unkeyed.exitCode()).as(unkeyed.toString()).isZero();
        assertThat(unkeyed.line()).endsWith(", checkpoint at " + FORGED_RECORDS + " matching");

        ReaderRuns.Run r = verify(trail, "--pubkey", pubkey.toString(), "--key-name", "ops");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.line()).isEqualTo("SIGNATURE: " + trail.resolve("checkpoint.note")
                + " carries no valid signature by key 'ops'");
    }

    /** The genuine anchor catches the forgery even without the public key: its root is not the forgery's. */
    @Test
    void aRechainedForgeryIsCaughtByTheGenuineAnchor() throws Exception {
        ReaderRuns.Run r = verify(copy(forged), "--anchor", anchor.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.line()).isEqualTo("TAMPERED: the first " + GENUINE_RECORDS + " records do not match the anchor "
                + "(Merkle root differs): the trail was rewritten");
    }

    // ---- Helpers ----------------------------------------------------------------------------------------------

    /** Exports a trail as JSON lines through the reader, each parsed into a flat field map (as {@link Trails}). */
    private static List<Map<String, String>> export(Path trail) throws Exception {
        ReaderRuns.Run r = ReaderRuns.run("export", trail.toString(), "--format", "jsonl");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Pattern field = Pattern.compile("\"([^\"]+)\":(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,}]+)");
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : r.stdout().lines().toList()) {
            Map<String, String> fields = new java.util.LinkedHashMap<>();
            Matcher m = field.matcher(line);
            while (m.find()) {
                fields.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2).trim());
            }
            out.add(fields);
        }
        return out;
    }

    private static void calls(String agentOptions, String threads, String calls, String denyEvery, String first,
            String expected) throws Exception {
        ForkedJvm.Result run = ForkedJvm.main(NumberedCallsApp.class).withAgent(agentOptions)
                .args(threads, calls, denyEvery, first).run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).as(run.toString()).containsExactly(expected);
    }

    /** @return the seq of the ALLOW or DENY record of call {@code n} in the genuine trail */
    private static int seqOf(String decision, long n) {
        String digest = Hex.of(new ArgumentDigest().digest(Long.valueOf(n)));
        return records.stream()
                .filter(r -> decision.equals(r.get("type")) && digest.equals(r.get("argsDigest")))
                .mapToInt(r -> Integer.parseInt(r.get("seq")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + decision + " of call " + n));
    }

    /** Cuts the trail's records from {@code seq} on: zeroed in their cycle file, and any later cycle file deleted. */
    private static void cutFrom(Path trail, int seq) throws Exception {
        TrailFiles.Doc first = TrailFiles.records(trail).get(seq);
        TrailFiles.rewriteFrom(first, List.of());
        for (Path file : TrailFiles.cycleFiles(trail)) {
            if (file.getFileName().toString().compareTo(first.file().getFileName().toString()) > 0) {
                Files.delete(file);
            }
        }
        assertThat(TrailFiles.records(trail)).hasSize(seq);
    }

    private Path copy(Path trail) throws Exception {
        Path to = tmp.resolve("trail");
        TrailFiles.copyTrail(trail, to);
        return to;
    }

    private static List<byte[]> payloads(List<TrailFiles.Doc> docs) throws Exception {
        List<byte[]> out = new ArrayList<>();
        for (TrailFiles.Doc doc : docs) {
            out.add(TrailFiles.payload(doc));
        }
        return out;
    }

    static ReaderRuns.Run verify(Path trail, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("verify", trail.toString()));
        args.addAll(List.of(options));
        return ReaderRuns.run(args.toArray(String[]::new));
    }

    /** The test JVM's own class path, which holds the audit format and Chronicle, as separate entries. */
    static List<Path> testClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).toList();
    }
}
