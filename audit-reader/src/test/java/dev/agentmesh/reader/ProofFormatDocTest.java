package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.TrailQueue;
import dev.agentmesh.audit.merkle.MerkleHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/proof-format.md shows a real proof: rebuilt here from a fixed trail and the document's fixed key (Ed25519 is
 * deterministic), checked by {@code verify-proof}, and checked again by the document's own shell steps.
 */
class ProofFormatDocTest {

    private static final Path DOC = Path.of("..", "docs", "proof-format.md");

    /** RFC 8032 section 7.1 TEST 1: the example key of docs/checkpoint-format.md. Never a real key. */
    private static final CheckpointSigner EXAMPLE_KEY = CheckpointSigner.fromSeed("agentmesh.dev/trail/example",
            Hex.parse("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

    /** The example proof's first line and a half (the schema block starts with the same header). */
    private static final String EXAMPLE_START = "c2sp.org/tlog-proof@v1\nextra AQ";

    @TempDir
    Path tmp;

    @Test
    void theDocumentStatesTheRecordLengthsTheReaderAccepts() throws Exception {
        assumeTrue(Files.exists(DOC), "run from the audit-reader module directory");
        int longest = TrailQueue.MAX_STORED_LENGTH - TrailFormat.HASH_LENGTH;
        assertThat(Files.readString(DOC)).contains(String.format(Locale.ROOT, "It must be %d (the record header) to "
                + "%,d bytes long", TrailFormat.HEADER_LENGTH, longest));
        // One byte more is refused on line 2, naming the bounds.
        String proof = "c2sp.org/tlog-proof@v1\nextra " + Base64.getEncoder().encodeToString(new byte[longest + 1])
                + "\nindex 0\n\n";
        assertThatThrownBy(() -> ProofFile.parse(proof.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(ProofFile.Malformed.class)
                .hasMessageContaining("the record is " + (longest + 1) + " bytes; a record has "
                        + TrailFormat.HEADER_LENGTH + " to " + longest)
                .satisfies(e -> assertThat(((ProofFile.Malformed) e).line()).isEqualTo(2));
    }

    @Test
    void theDocumentShowsTheProofTheReaderWrites() throws Exception {
        assumeTrue(Files.exists(DOC), "run from the audit-reader module directory");
        String doc = Files.readString(DOC);
        String proof = example();

        assertThat(block(doc, EXAMPLE_START)).isEqualTo(proof);
        assertThat(doc).contains("```\n" + EXAMPLE_KEY.verifierKey().vkey() + "\n```");
        List<String> lines = proof.lines().toList();
        byte[] record = Base64.getDecoder().decode(lines.get(1).substring("extra ".length()));
        assertThat(doc).as("the leaf hash").contains(Hex.of(new MerkleHash().leafHash(record)))
                .as("the root").contains(Hex.of(ProofSupport.rootOf(tmp.resolve("trail"), 5)))
                .as("the record's bytes, in hex").contains(spaced(Hex.of(record)));
        for (String hash : lines.subList(3, 6)) {
            assertThat(doc).as("proof hash %s in hex", hash).contains(Hex.of(Base64.getDecoder().decode(hash)));
        }

        Path file = Files.writeString(tmp.resolve("record-3.tlog-proof"), block(doc, EXAMPLE_START));
        Path vkey = Files.writeString(tmp.resolve("example.vkey"), EXAMPLE_KEY.verifierKey().vkey());
        Cli.Result r = Cli.run("verify-proof", file.toString(), "--pubkey", vkey.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(doc).as("the output shown").contains("```\n" + r.out() + "```");
    }

    @Test
    void theDocumentsShellStepsCheckTheExample() throws Exception {
        assumeTrue(Files.exists(DOC), "run from the audit-reader module directory");
        assumeTrue(works("bash", "-c", "true") && works("openssl", "version") && works("sha256sum", "--version"),
                "needs bash, openssl and coreutils");
        String doc = Files.readString(DOC);
        String proof = block(doc, EXAMPLE_START);
        Files.writeString(tmp.resolve("record-3.tlog-proof"), proof);
        Files.writeString(tmp.resolve("checkpoint-key.pub.pem"),
                KeyFiles.publicPem(EXAMPLE_KEY.verifierKey()));
        Files.writeString(tmp.resolve("check-proof.sh"), script(doc, "check-proof.sh"));
        Files.writeString(tmp.resolve("steps.sh"), "set -e\n" + script(doc, "steps"));

        String out = run("bash", "steps.sh");
        assertThat(doc).as("the output shown for the steps").contains("```\n" + out + "```");
        assertThat(proof).as("the example is what prove writes").isEqualTo(example());
        assertThat(out).contains("Signature Verified Successfully\n")
                .contains("inclusion verified: record 3 is in the tree of size 5, root "
                        + Hex.of(ProofSupport.rootOf(tmp.resolve("trail"), 5)));

        // Each kind of alteration fails the steps.
        String[] altered = {
            proof.replace("index 3", "index 2"),
            proof.replaceFirst("\n5\n", "\n6\n"),
            replaceLine(proof, 4, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="),
            replaceLine(proof, 2, "extra " + Base64.getEncoder().encodeToString(flipLast(proof))),
        };
        for (String a : altered) {
            assertThat(a).isNotEqualTo(proof);
            Files.writeString(tmp.resolve("record-3.tlog-proof"), a);
            assertThat(exit("bash", "steps.sh")).as(a).isNotZero();
        }
    }

    /**
     * The example: records 0 to 4 of the standard fixture trail, checkpoint at 5, proof of record 3, in the format
     * version of the document's example record (its first byte). The document's example was written in version 1;
     * a trail may still hold such records, and the proof of one is exactly this. The document can move to a later
     * version by being regenerated: this follows it.
     */
    private String example() throws Exception {
        Path dir = tmp.resolve("trail");
        TrailFixture.standard(dir, 5, documentedVersion()).close();
        ProofSupport.checkpointOf(dir, 5, dir.resolve("checkpoint.note"), EXAMPLE_KEY);
        Cli.Result r = Cli.run("prove", dir.toString(), "--seq", "3");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        return r.out();
    }

    /** @return the format version of the document's example record: the first byte of its {@code extra} line */
    private static int documentedVersion() throws IOException {
        String extra = block(Files.readString(DOC), EXAMPLE_START).lines().toList().get(1);
        return Base64.getDecoder().decode(extra.substring("extra ".length()))[0];
    }

    private byte[] flipLast(String proof) {
        byte[] record = Base64.getDecoder().decode(proof.lines().toList().get(1).substring("extra ".length()));
        record[record.length - 1] ^= 1;
        return record;
    }

    private static String replaceLine(String text, int n, String line) {
        List<String> lines = new java.util.ArrayList<>(text.lines().toList());
        lines.set(n - 1, line);
        return String.join("\n", lines) + "\n";
    }

    /** Hex in pairs separated by spaces, as {@code od} prints it, without its line breaks. */
    private static String spaced(String hex) {
        return hex.substring(0, 32).replaceAll("(..)(?!$)", "$1 ");
    }

    /** The fenced block that starts with {@code start}. */
    private static String block(String doc, String start) {
        int i = doc.indexOf("```\n" + start);
        assertThat(i).as("a block starting with %s", start).isNotNegative();
        int from = i + 4;
        return doc.substring(from, doc.indexOf("```", from));
    }

    /** The {@code sh} block whose first line is the comment {@code # <name>}. */
    private static String script(String doc, String name) {
        Matcher sh = Pattern.compile("```sh\n# " + Pattern.quote(name) + "\\b(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(sh.find()).as("a sh block named %s", name).isTrue();
        return "# " + name + sh.group(1);
    }

    private String run(String... cmd) throws IOException {
        Process p = start(cmd);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(waitFor(p)).as(out).isZero();
        return out;
    }

    private int exit(String... cmd) throws IOException {
        Process p = start(cmd);
        p.getInputStream().readAllBytes();
        return waitFor(p);
    }

    private boolean works(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return waitFor(p) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private Process start(String... cmd) throws IOException {
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).directory(tmp.toFile());
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
