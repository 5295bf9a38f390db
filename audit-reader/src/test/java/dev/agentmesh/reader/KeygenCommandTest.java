package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.checkpoint.Checkpoint;
import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.audit.checkpoint.SignedCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keygen} makes a usable key pair and never overwrites one. */
class KeygenCommandTest {

    @Test
    void makesAPairThatSignsAndVerifiesAndNeverOverwrites(@TempDir Path tmp) throws Exception {
        Path priv = tmp.resolve("new-dir/k.pem");
        Path pub = tmp.resolve("k.pub.pem");
        Cli.Result r = Cli.run("keygen", "--private", priv.toString(), "--public", pub.toString(), "--name", "ops");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).startsWith("key 'ops': private ");

        CheckpointSigner signer = KeyFiles.readSigner(priv, "ops");
        SignedCheckpoint signed = SignedCheckpoint.sign(Checkpoint.of("o", 1, new byte[32], 1), signer);
        assertThat(signed.verify(KeyFiles.readVerifierKey(pub, "ops"))).isTrue();

        String before = Files.readString(priv);
        Cli.Result again = Cli.run("keygen", "--private", priv.toString(), "--public", tmp.resolve("x").toString());
        assertThat(again.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(again.err()).contains("exists already");
        assertThat(Files.readString(priv)).isEqualTo(before);
    }
}
