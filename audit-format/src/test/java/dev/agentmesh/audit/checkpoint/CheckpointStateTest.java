package dev.agentmesh.audit.checkpoint;

import static dev.agentmesh.audit.checkpoint.Fixtures.ORIGIN;
import static dev.agentmesh.audit.checkpoint.Fixtures.OTHER;
import static dev.agentmesh.audit.checkpoint.Fixtures.SIGNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.audit.checkpoint.CheckpointState.ConsistencyCheck;
import dev.agentmesh.audit.checkpoint.CheckpointState.Result;
import dev.agentmesh.audit.checkpoint.CheckpointState.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStateTest {

    @TempDir
    Path dir;

    static Checkpoint at(long size, String root) {
        return Checkpoint.of(ORIGIN, size, Fixtures.sha256(root), 1_700_000_000_000L + size);
    }

    static SignedCheckpoint signed(long size, String root) {
        return SignedCheckpoint.sign(at(size, root), SIGNER);
    }

    // ---------------------------------------------------------------- classification

    @Test
    void theSameTreeIsOk() {
        Result r = CheckpointState.compare(at(10, "a"), Checkpoint.of("agentmesh.dev/trail/run-2", 10,
                Fixtures.sha256("a"), 5));
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.ok()).isTrue();
        assertThat(r.message()).startsWith("the same tree as the remembered checkpoint: 10 records, root ");
    }

    @Test
    void aLargerTreeNeedsAConsistencyProof() {
        Result r = CheckpointState.compare(at(10, "a"), at(12, "b"));
        assertThat(r.verdict()).isEqualTo(Verdict.NEEDS_CONSISTENCY_PROOF);
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).isEqualTo("grew from 10 to 12 records; a consistency proof from 10 to 12 must show "
                + "the old tree is a prefix");
        assertThat(CheckpointState.compare(at(0, ""), at(1, "b")).verdict())
                .isEqualTo(Verdict.NEEDS_CONSISTENCY_PROOF);
    }

    @Test
    void aSmallerTreeIsARollback() {
        Result r = CheckpointState.compare(at(10, "a"), at(9, "a"));
        assertThat(r.verdict()).isEqualTo(Verdict.ROLLBACK);
        assertThat(r.message()).startsWith("the trail has 9 records, fewer than the 10 of the remembered checkpoint")
                .endsWith("records were removed or an older trail was restored");
        assertThat(CheckpointState.compare(at(1, "a"), at(0, "")).verdict()).isEqualTo(Verdict.ROLLBACK);
    }

    @Test
    void theSameSizeWithAnotherRootIsAFork() {
        Result r = CheckpointState.compare(at(10, "a"), at(10, "b"));
        assertThat(r.verdict()).isEqualTo(Verdict.FORK);
        assertThat(r.message()).contains("the tree of 10 records has root " + hex("b"))
                .contains("the remembered checkpoint of the same size has root " + hex("a"));
        assertThat(r.previous()).contains(at(10, "a"));
        assertThat(r.current()).isEqualTo(at(10, "b"));
    }

    @Test
    void theConsistencyHookDecidesGrowthAndIsCalledOnlyForGrowth() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<List<Long>> seen = new AtomicReference<>();
        ConsistencyCheck yes = (older, newer) -> {
            calls.incrementAndGet();
            seen.set(List.of(older.size(), newer.size()));
            return true;
        };
        ConsistencyCheck no = (older, newer) -> {
            calls.incrementAndGet();
            return false;
        };
        Result grown = CheckpointState.check(at(10, "a"), at(12, "b"), yes);
        assertThat(grown.verdict()).isEqualTo(Verdict.OK);
        assertThat(grown.message()).isEqualTo("grew from 10 to 12 records; the consistency proof verifies");
        assertThat(seen.get()).containsExactly(10L, 12L);

        Result forked = CheckpointState.check(at(10, "a"), at(12, "b"), no);
        assertThat(forked.verdict()).isEqualTo(Verdict.FORK);
        assertThat(forked.message()).contains("does not extend the remembered tree of 10 records")
                .endsWith("the consistency proof fails");
        assertThat(calls).hasValue(2);

        assertThat(CheckpointState.check(at(10, "a"), at(10, "a"), no).verdict()).isEqualTo(Verdict.OK);
        assertThat(CheckpointState.check(at(10, "a"), at(9, "a"), yes).verdict()).isEqualTo(Verdict.ROLLBACK);
        assertThat(CheckpointState.check(at(10, "a"), at(10, "b"), yes).verdict()).isEqualTo(Verdict.FORK);
        assertThat(calls).hasValue(2);

        assertThatThrownBy(() -> CheckpointState.check(at(1, "a"), at(2, "b"), (o, n) -> {
            throw new IOException("trail unreadable");
        })).isInstanceOf(IOException.class).hasMessage("trail unreadable");
    }

    // ---------------------------------------------------------------- the file

    @Test
    void aMissingStateFileIsTheFirstRun() throws Exception {
        assertThat(CheckpointState.read(dir.resolve("state"))).isEmpty();
    }

    @Test
    void writesExactlyTheSignedNoteAndReadsItBack() throws Exception {
        Path state = dir.resolve("sub/dir/verify.state");
        SignedCheckpoint first = signed(5, "a");
        CheckpointState.write(state, first);
        assertThat(Files.readString(state)).isEqualTo(first.text());
        assertThat(CheckpointState.read(state)).contains(first);

        SignedCheckpoint second = signed(8, "b").withSignature(OTHER);
        CheckpointState.write(state, second);
        Optional<SignedCheckpoint> back = CheckpointState.read(state);
        assertThat(back).contains(second);
        assertThat(back.get().verify(SIGNER.verifierKey())).isTrue();
        assertThat(leftovers(state.getParent())).containsExactly("verify.state");
    }

    @Test
    void readersNeverSeeAHalfWrittenFile() throws Exception {
        Path state = dir.resolve("state");
        SignedCheckpoint a = signed(5, "a");
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            big.append("extension line number ").append(i).append(" padding the file out");
            big.append(i < 199 ? "\n" : "");
        }
        SignedCheckpoint b = SignedCheckpoint.sign(Checkpoint.of(ORIGIN, 6, Fixtures.sha256("b"), 1,
                List.of(big.toString().split("\n"))), SIGNER);
        CheckpointState.write(state, a);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; !stop.get(); i++) {
                    CheckpointState.write(state, i % 2 == 0 ? b : a);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        writer.start();
        int reads = 0;
        long end = System.nanoTime() + 400_000_000L;
        try {
            while (System.nanoTime() < end) {
                SignedCheckpoint seen = CheckpointState.read(state).orElseThrow();
                assertThat(seen).isIn(a, b);
                reads++;
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(reads).isGreaterThan(10);
        assertThat(leftovers(dir)).containsExactly("state");
    }

    @Test
    void aWriteThatFailsAtTheLastStepLeavesTheOldStateAndNoTemporaryFile() throws Exception {
        Path state = dir.resolve("state");
        SignedCheckpoint old = signed(5, "a");
        CheckpointState.write(state, old);
        AtomicReference<String> staged = new AtomicReference<>();
        assertThatThrownBy(() -> CheckpointState.write(state, signed(6, "b"), (tmp, target) -> {
            staged.set(Files.readString(tmp));
            assertThat(tmp.getParent()).isEqualTo(target.getParent());
            throw new IOException("No space left on device");
        })).isInstanceOf(CheckpointFileException.class)
                .hasMessage(state + ": cannot write: java.io.IOException: No space left on device");
        assertThat(staged.get()).as("the new state was complete before the move").isEqualTo(signed(6, "b").text());
        assertThat(CheckpointState.read(state)).contains(old);
        assertThat(leftovers(dir)).containsExactly("state");
    }

    @Test
    void aStateFileThatIsNotASignedCheckpointIsNamed() throws Exception {
        Path state = dir.resolve("state");
        Files.writeString(state, "");
        assertThatThrownBy(() -> CheckpointState.read(state)).isInstanceOf(CheckpointFileException.class)
                .hasMessage(state + ": empty; expected a signed checkpoint");
        Files.writeString(state, "size=5\n");
        assertThatThrownBy(() -> CheckpointState.read(state)).hasMessage(state + ": not a signed checkpoint: "
                + "signed note: no blank line separating the text from the signature lines");
        Files.writeString(state, signed(5, "a").text().replace("\n5\n", "\n05\n"));
        assertThatThrownBy(() -> CheckpointState.read(state)).hasMessage(state + ": not a signed checkpoint: "
                + "checkpoint line 2 (tree size): '05' has a leading zero");
        assertThatThrownBy(() -> CheckpointState.read(dir))
                .hasMessage(dir + ": is a directory, not a state file");
        assertThatThrownBy(() -> CheckpointState.write(dir, signed(5, "a"))).hasMessage(dir + ": is a directory");
    }

    // ---------------------------------------------------------------- verify --state, one step

    @Test
    void advanceRemembersOnlyWhatChecksOut() throws Exception {
        Path state = dir.resolve("state");
        CheckpointVerifierKey key = SIGNER.verifierKey();
        ConsistencyCheck proofHolds = (o, n) -> true;

        Result first = CheckpointState.advance(state, signed(5, "a"), key, proofHolds);
        assertThat(first.verdict()).isEqualTo(Verdict.OK);
        assertThat(first.previous()).isEmpty();
        assertThat(first.message()).startsWith("no remembered checkpoint; remembering 5 records, root ");
        assertThat(CheckpointState.read(state)).contains(signed(5, "a"));

        assertThat(CheckpointState.advance(state, signed(8, "b"), key, proofHolds).verdict()).isEqualTo(Verdict.OK);
        assertThat(CheckpointState.read(state)).contains(signed(8, "b"));

        assertThat(CheckpointState.advance(state, signed(7, "c"), key, proofHolds).verdict())
                .isEqualTo(Verdict.ROLLBACK);
        assertThat(CheckpointState.advance(state, signed(8, "x"), key, proofHolds).verdict())
                .isEqualTo(Verdict.FORK);
        assertThat(CheckpointState.advance(state, signed(9, "y"), key, (o, n) -> false).verdict())
                .isEqualTo(Verdict.FORK);
        assertThat(CheckpointState.read(state)).as("bad checkpoints are never remembered").contains(signed(8, "b"));

        assertThatThrownBy(() -> CheckpointState.advance(state, SignedCheckpoint.sign(at(9, "z"), OTHER), key,
                proofHolds)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("checkpoint: no signature by key agentmesh.dev/trail/example (key ID 26c5d9cf)");
        assertThat(CheckpointState.read(state)).contains(signed(8, "b"));

        CheckpointState.write(state, SignedCheckpoint.sign(at(8, "b"), OTHER));
        assertThatThrownBy(() -> CheckpointState.advance(state, signed(9, "z"), key, proofHolds))
                .isInstanceOf(CheckpointFileException.class).hasMessage(state + ": the remembered checkpoint: "
                        + "no signature by key agentmesh.dev/trail/example (key ID 26c5d9cf)");
    }

    private static String hex(String root) {
        return java.util.HexFormat.of().formatHex(Fixtures.sha256(root));
    }

    private static List<String> leftovers(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
