package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import dev.agentmesh.it.apps.RingMatrixApp;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a checkpoint key, the agent signs checkpoints of the whole trail and mirrors them to the anchor. */
class CheckpointIT {

    @Test
    void theLastCheckpointCoversEveryRecordIsSignedAndIsMirrored(@TempDir Path tmp) throws Exception {
        CheckpointSigner signer = KeyFiles.generate(tmp.resolve("key.pem"), tmp.resolve("key.pub.pem"), "ops");
        Path policy = Trails.policy(tmp, Trails.MATRIX_POLICY);
        Path audit = tmp.resolve("audit");
        Path anchor = tmp.resolve("anchor/trail.note");
        ForkedJvm.Result run = ForkedJvm.main(RingMatrixApp.class)
                .withAgent("policy=" + policy + ",audit.dir=" + audit + ",checkpoint.key=" + tmp.resolve("key.pem")
                        + ",checkpoint.key.name=ops,checkpoint.anchor=" + anchor + ",checkpoint.every=5")
                .args("agent-r0", "agent-r1", "agent-r2", "agent-r3")
                .run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stderr()).doesNotContain("no checkpoint.key");

        long records = Trails.verifiedCount(audit);
        SignedCheckpoint last = SignedCheckpoint.parse(Files.readString(audit.resolve("checkpoint.note")));
        assertThat(last.verify(signer.verifierKey())).isTrue();
        assertThat(last.checkpoint().size()).as("the shutdown checkpoint covers the whole trail").isEqualTo(records);
        assertThat(Files.readString(anchor)).isEqualTo(Files.readString(audit.resolve("checkpoint.note")));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"malformed", "missing", "a directory", "empty",
        "truncated"})
    void aKeyThatCannotBeReadStopsTheJvmWithOneLine(String kind, @TempDir Path tmp) throws Exception {
        Path key = tmp.resolve("key.pem");
        switch (kind) {
            case "malformed" -> Files.writeString(key, "not a key\n");
            case "missing" -> { }
            case "a directory" -> Files.createDirectory(key);
            case "empty" -> Files.createFile(key);
            case "truncated" -> {
                dev.agentmesh.audit.checkpoint.KeyFiles.generate(key, tmp.resolve("key.pub.pem"), "ops");
                byte[] whole = Files.readAllBytes(key);
                Files.write(key, java.util.Arrays.copyOf(whole, whole.length / 2));
            }
            default -> throw new IllegalArgumentException(kind);
        }
        ForkedJvm.Result run = ForkedJvm.main(RingMatrixApp.class)
                .withAgent("audit.dir=" + tmp.resolve("audit") + ",checkpoint.key=" + key)
                .args("agent-r0")
                .run();
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(78);
        assertThat(run.stdout()).as("main never ran").isEmpty();
        assertThat(run.stderr().lines()).as(run.toString()).hasSize(1);
        assertThat(run.stderr()).startsWith("agentmesh: checkpoint key error: ").contains(key.toString());
    }
}
