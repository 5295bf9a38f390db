package dev.agentmesh.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import dev.agentmesh.audit.format.TrailQueue;
import dev.agentmesh.reader.AuditReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * CI's short smoke run of the governed-call benchmark: every variant still runs in its own fork, and the governed
 * ones really are governed (they cost more than the floor, so the agent was attached), and the checkpointed one
 * really signed checkpoints of its trail with the benchmark key. The numbers themselves come from full runs,
 * recorded in BENCHMARKS.md; none is asserted here.
 */
class GovernedCallBenchmarkSmokeTest {

    private static final Path CHECKPOINTED = Paths.get(GovernedCallBenchmark.CHECKPOINTED_DIR);
    private static final Path ANCHOR = Paths.get(GovernedCallBenchmark.CHECKPOINTED_ANCHOR);

    /** A trail left by an interrupted run would be continued, and could hold an old checkpoint. */
    @BeforeAll
    @AfterAll
    static void deleteTheTrails() throws IOException {
        for (Path trail : new Path[] {Paths.get("target/bench-audit"), CHECKPOINTED, ANCHOR}) {
            if (Files.exists(trail)) {
                try (Stream<Path> files = Files.walk(trail)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    void everyVariantRunsAndTheGovernedOnesAreGoverned() throws Exception {
        assertThat(Paths.get("javaagent/target/agentmesh-javaagent.jar"))
                .as("runs from the repository root, where the forks find the agent").exists();
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(GovernedCallBenchmark.class.getName())
                .warmupIterations(1).warmupTime(TimeValue.milliseconds(300))
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(300))
                .shouldFailOnError(true)
                .build()).run();
        Map<String, Double> score = results.stream().collect(Collectors.toMap(
                r -> r.getParams().getBenchmark().replaceAll(".*\\.", ""), r -> r.getPrimaryResult().getScore()));
        assertThat(score).containsOnlyKeys("plain", "plainMicrosecond", "agentNotGoverned", "allowedAudited",
                "denied", "allowedAuditedCheckpointed");
        assertThat(score.get("plainMicrosecond")).as("the control computes for a while").isGreaterThan(
                score.get("plain") * 10);
        assertThat(score.get("allowedAudited")).as("an audited call costs more than a plain one")
                .isGreaterThan(score.get("plain") * 10);
        assertThat(score.get("denied")).isGreaterThan(score.get("plain") * 10);
        assertThat(score.get("allowedAuditedCheckpointed")).isGreaterThan(score.get("plain") * 10);

        // The checkpointed fork's own check (Checkpoints.check) already failed it unless checkpoints were signed
        // while it was measured; here the trail it left is checked as an auditor would, with the public key.
        assertThat(CHECKPOINTED.resolve("checkpoint.note")).as("the checkpointed fork signed checkpoints").exists();
        assertThat(Paths.get("target/bench-audit/checkpoint.note")).as("the other forks sign nothing")
                .doesNotExist();
        SignedCheckpoint last = SignedCheckpoint.parse(Files.readAllBytes(CHECKPOINTED.resolve("checkpoint.note")));
        assertThat(last.verify(KeyFiles.readPublicKey(Paths.get(GovernedCallBenchmark.CHECKPOINT_PUBLIC_KEY),
                GovernedCallBenchmark.CHECKPOINT_KEY_NAME))).as("signed by the benchmark key").isTrue();
        assertThat(last.checkpoint().size()).as("many calls, two records each").isGreaterThan(
                GovernedCallBenchmark.CHECKPOINT_EVERY);

        TrailQueue.silenceChronicle();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = AuditReader.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("verify", CHECKPOINTED.toString(), "--pubkey", GovernedCallBenchmark.CHECKPOINT_PUBLIC_KEY,
                        "--key-name", GovernedCallBenchmark.CHECKPOINT_KEY_NAME, "--anchor", ANCHOR.toString());
        assertThat(exitCode).as(out + "" + err).isZero();
        // Not "covers the whole trail": at this cadence the checkpointer can lag the writer, and the shutdown hook
        // waits for it only 5 s (CheckpointIT checks full coverage); the anchor may be one checkpoint behind.
        assertThat(out.toString()).as("the checkpoint and its anchor copy match the trail, signed by the key")
                .startsWith("OK ")
                .contains(", checkpoint at " + last.checkpoint().size() + " signed and matching, anchor at ")
                .containsPattern(", anchor at \\d+ signed and matching");
    }
}
