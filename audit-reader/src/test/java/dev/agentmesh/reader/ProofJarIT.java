package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.audit.format.Hex;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prove}, {@code verify-proof} and {@code consistency} from the shaded jar, the way users run them
 * ({@code java -jar agentmesh-audit-reader.jar ...} with no flags), on the JVM named by the {@code it.java} property,
 * as {@link AuditReaderJarIT} runs {@code verify}.
 */
class ProofJarIT {

    @TempDir
    Path tmp;

    @Test
    void provesARecordChecksTheProofOfflineAndCatchesAnAlteredOne() throws Exception {
        Path dir = tmp.resolve("trail");
        TrailFixture.standard(dir, 25).close();
        CheckpointSigner signer = KeyFiles.generate(tmp.resolve("k.pem"), tmp.resolve("k.pub.pem"), "ops");
        Path pub = tmp.resolve("k.pub.pem");
        Path early = ProofSupport.checkpointOf(dir, 12, tmp.resolve("early.note"), signer);
        ProofSupport.checkpointOf(dir, 25, dir.resolve("checkpoint.note"), signer);
        Path proof = tmp.resolve("record-11.tlog-proof");

        Run prove = jar("prove", dir.toString(), "--seq", "11", "--out", proof.toString());
        assertThat(prove.exitCode).as(prove.toString()).isEqualTo(ExitCodes.OK);
        assertThat(prove.errorsOtherThanJvmWarnings()).isEmpty();

        Run ok = jar("verify-proof", proof.toString(), "--pubkey", pub.toString(), "--key-name", "ops");
        assertThat(ok.exitCode).as(ok.toString()).isEqualTo(ExitCodes.OK);
        assertThat(ok.out).hasLineCount(1).startsWith("OK record 11 is in the trail of size 25, root "
                + Hex.of(ProofSupport.rootOf(dir, 25))).contains("agent " + TrailFixture.agentId(11));
        assertThat(ok.errorsOtherThanJvmWarnings()).isEmpty();

        List<String> lines = new ArrayList<>(Files.readAllLines(proof));
        byte[] hash = Base64.getDecoder().decode(lines.get(3));
        hash[0] ^= 1;
        lines.set(3, Base64.getEncoder().encodeToString(hash));
        Path altered = Files.writeString(tmp.resolve("altered.tlog-proof"), String.join("\n", lines) + "\n");
        Run tampered = jar("verify-proof", altered.toString(), "--pubkey", pub.toString(), "--key-name", "ops");
        assertThat(tampered.exitCode).as(tampered.toString()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(tampered.out).startsWith("TAMPERED: record 11 is not in the checkpoint's tree").hasLineCount(1);

        Run grew = jar("consistency", early.toString(), dir.resolve("checkpoint.note").toString(), "--trail",
                dir.toString(), "--pubkey", pub.toString(), "--key-name", "ops");
        assertThat(grew.exitCode).as(grew.toString()).isEqualTo(ExitCodes.OK);
        assertThat(grew.out).startsWith("OK the new checkpoint (size 25) extends the old one (size 12)")
                .hasLineCount(1);
        assertThat(grew.errorsOtherThanJvmWarnings()).isEmpty();
    }

    private Run jar(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(System.getProperty("it.java"), "-jar",
                System.getProperty("reader.jar")));
        command.addAll(List.of(args));
        Path out = tmp.resolve("stdout");
        Path err = tmp.resolve("stderr");
        // To files rather than pipes: nothing can block on a full pipe buffer.
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Run(int exitCode, String out, String err) {
        /** @return stderr lines, less the JVM's own warnings (JDK 24+ warns about Chronicle's sun.misc.Unsafe) */
        List<String> errorsOtherThanJvmWarnings() {
            return err.lines().filter(line -> !line.startsWith("WARNING: ")).toList();
        }
    }
}
