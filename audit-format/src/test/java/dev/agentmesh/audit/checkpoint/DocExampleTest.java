package dev.agentmesh.audit.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/checkpoint-format.md shows real values: rebuilt here from the fixed seed, and its shell steps run. */
class DocExampleTest {

    private static final Path DOC = Path.of("..", "docs", "checkpoint-format.md");

    @TempDir
    Path dir;

    @Test
    void theDocumentShowsTheValuesTheCodeProduces() throws IOException {
        assumeTrue(Files.exists(DOC), "run from the audit-format module directory");
        String doc = Files.readString(DOC);
        CheckpointSigner signer = Fixtures.SIGNER;
        SignedCheckpoint signed = SignedCheckpoint.sign(Fixtures.example(), signer);

        assertThat(signed.text()).isEqualTo(SignedCheckpointTest.EXAMPLE);
        assertThat(block(doc, "agentmesh.dev/trail/example\n1042\n")).isEqualTo(signed.text());
        assertThat(block(doc, "-----BEGIN PRIVATE KEY-----")).isEqualTo(KeyFiles.privatePem(signer));
        assertThat(block(doc, "-----BEGIN PUBLIC KEY-----")).isEqualTo(KeyFiles.publicPem(signer.verifierKey()));
        assertThat(doc).contains("```\n" + signer.verifierKey().vkey() + "\n```")
                .contains("note.NewVerifier(\"" + signer.verifierKey().vkey() + "\")")
                .contains(HexFormat.of().formatHex(signer.verifierKey().rawPublicKey()))
                .contains(HexFormat.of().formatHex(Fixtures.example().rootHash()))
                .contains(signer.verifierKey().keyIdHex())
                .contains("302e020100300506032b657004220420 || 32-byte seed")
                .contains("302a300506032b6570032100 || 32-byte public key");
    }

    @Test
    void theDocumentsOpensslStepsVerifyTheExample() throws Exception {
        assumeTrue(Files.exists(DOC), "run from the audit-format module directory");
        assumeTrue(works("openssl", "version") && works("bash", "-c", "true"), "needs openssl and bash");
        String doc = Files.readString(DOC);
        Files.writeString(dir.resolve("checkpoint.txt"), block(doc, "agentmesh.dev/trail/example\n1042\n"));
        Files.writeString(dir.resolve("checkpoint-key.pub.pem"), block(doc, "-----BEGIN PUBLIC KEY-----"));
        Matcher sh = Pattern.compile("```sh\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(sh.find()).isTrue();
        Files.writeString(dir.resolve("steps.sh"), "set -e\n" + sh.group(1));

        String out = run(dir, "bash", "steps.sh");
        assertThat(out).isEqualTo("26c5d9cf\n26c5d9cf\nSignature Verified Successfully\n"
                + HexFormat.of().formatHex(Fixtures.example().rootHash()) + "\n");

        Files.writeString(dir.resolve("checkpoint.txt"),
                block(doc, "agentmesh.dev/trail/example\n1042\n").replace("\n1042\n", "\n1043\n"));
        assertThat(exit(dir, "bash", "steps.sh")).as("the steps catch a changed size").isNotZero();
    }

    /** The fenced block that starts with {@code start}. */
    private static String block(String doc, String start) {
        int i = doc.indexOf("```\n" + start);
        assertThat(i).as("a block starting with %s", start).isNotNegative();
        int from = i + 4;
        return doc.substring(from, doc.indexOf("```", from));
    }

    private static boolean works(String... cmd) {
        try {
            return exit(null, cmd) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static String run(Path cwd, String... cmd) throws IOException {
        Process p = start(cwd, cmd);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(waitFor(p)).as(out).isZero();
        return out;
    }

    private static int exit(Path cwd, String... cmd) throws IOException {
        Process p = start(cwd, cmd);
        p.getInputStream().readAllBytes();
        return waitFor(p);
    }

    private static Process start(Path cwd, String... cmd) throws IOException {
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (cwd != null) {
            b.directory(cwd.toFile());
        }
        b.environment().put("LC_ALL", "C.UTF-8");
        Process p = b.start();
        p.getOutputStream().close();
        return p;
    }

    private static int waitFor(Process p) throws IOException {
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
