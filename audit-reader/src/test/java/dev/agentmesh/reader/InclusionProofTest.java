package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.checkpoint.CheckpointSigner;
import dev.agentmesh.audit.checkpoint.KeyFiles;
import dev.agentmesh.audit.format.Hex;
import dev.agentmesh.audit.merkle.MerkleVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prove} writes a proof for a record, and {@code verify-proof} checks it with nothing but the file and the
 * key; each way of breaking a proof is shown caught, with its exit code.
 */
class InclusionProofTest {

    private static final int RECORDS = 30;

    @TempDir
    Path tmp;
    Path dir;
    CheckpointSigner signer;
    Path pubkey;
    byte[] root;

    @BeforeEach
    void trailWithItsSignedCheckpoint() throws Exception {
        dir = tmp.resolve("trail");
        TrailFixture.standard(dir, RECORDS).close();
        signer = KeyFiles.generate(tmp.resolve("k.pem"), tmp.resolve("k.pub.pem"), "ops");
        pubkey = tmp.resolve("k.pub.pem");
        root = ProofSupport.rootOf(dir, RECORDS);
        ProofSupport.writeCheckpoint(dir.resolve("checkpoint.note"), RECORDS, root, signer);
    }

    @Test
    void proofsOfTheFirstLastAndMiddleRecordsVerifyOffline() throws Exception {
        for (long seq : new long[] {0, 1, 2, 13, 16, 28, 29}) {
            Path proof = prove(seq);
            List<String> lines = Files.readAllLines(proof);
            assertThat(lines.get(0)).isEqualTo("c2sp.org/tlog-proof@v1");
            assertThat(Base64.getDecoder().decode(lines.get(1).substring("extra ".length())))
                    .as("the record itself, as stored").isEqualTo(ProofSupport.recordOf(dir, seq));
            assertThat(lines.get(2)).isEqualTo("index " + seq);
            int hashes = MerkleVerifier.inclusionProofLength(seq, RECORDS);
            assertThat(lines.get(3 + hashes)).as("the empty line after the hashes").isEmpty();
            assertThat(String.join("\n", lines.subList(4 + hashes, lines.size())) + "\n")
                    .isEqualTo(Files.readString(dir.resolve("checkpoint.note")));

            Cli.Result r = verifyProof(proof, "--pubkey", pubkey.toString(), "--key-name", "ops");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
            assertThat(r.out()).hasLineCount(1).startsWith("OK record " + seq + " is in the trail of size 30, root "
                    + Hex.of(root) + " (checkpoint signature by key 'ops' (key ID ");
            String when = IsoTime.of(TrailFixture.timeOf(seq));
            if (seq == 0) {
                assertThat(r.out()).contains("): GENESIS at " + when + ": writer writer-1 started with policy "
                        + "policy.yaml");
            } else if (seq % 2 == 1) {
                assertThat(r.out()).contains("): ALLOW at " + when + ": agent " + TrailFixture.agentId(seq)
                        + " (ring 2) called com.acme.Tools#search(Ljava/lang/String;)V, which needs ring 1, "
                        + "session session-1");
            } else {
                assertThat(r.out()).contains("): RETURNED at " + when + ": call " + (seq - 1) + " returned after");
            }
        }
    }

    @Test
    void theProofGoesToStdoutByDefaultAndNeedsNoKeyToCheck() throws Exception {
        Cli.Result proved = Cli.run("prove", dir.toString(), "--seq", "7");
        assertThat(proved.exitCode()).as(proved.toString()).isEqualTo(ExitCodes.OK);
        assertThat(proved.out()).isEqualTo(Files.readString(prove(7)));
        Path proof = Files.writeString(tmp.resolve("stdout.tlog-proof"), proved.out());

        Cli.Result r = verifyProof(proof);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("(checkpoint signature not checked (no --pubkey))");

        // A vkey carries its own name, so it needs no --key-name.
        Path vkey = Files.writeString(tmp.resolve("ops.vkey"), signer.verifierKey().vkey());
        Cli.Result byVkey = verifyProof(proof, "--pubkey", vkey.toString());
        assertThat(byVkey.exitCode()).as(byVkey.toString()).isEqualTo(ExitCodes.OK);
        assertThat(byVkey.out()).contains("(checkpoint signature by key 'ops' (key ID "
                + signer.verifierKey().keyIdHex() + ") verified)");
    }

    @Test
    void aProofAgainstAnEarlierCheckpointOfALongerTrail() throws Exception {
        Path early = ProofSupport.checkpointOf(dir, 24, tmp.resolve("early.note"), signer);
        Cli.Result proved = Cli.run("prove", dir.toString(), "--seq", "23", "--checkpoint", early.toString(),
                "--out", tmp.resolve("p").toString());
        assertThat(proved.exitCode()).as(proved.toString()).isEqualTo(ExitCodes.OK);
        assertThat(proved.out()).isEqualTo("wrote " + tmp.resolve("p") + ": record 23 in the tree of size 24, "
                + MerkleVerifier.inclusionProofLength(23, 24) + " proof hashes\n");
        assertThat(verifyProof(tmp.resolve("p"), "--pubkey", pubkey.toString(), "--key-name", "ops").out())
                .startsWith("OK record 23 is in the trail of size 24, root " + Hex.of(ProofSupport.rootOf(dir, 24)));

        Cli.Result beyond = Cli.run("prove", dir.toString(), "--seq", "24", "--checkpoint", early.toString());
        assertThat(beyond.exitCode()).as("the trail has record 24, the checkpoint does not")
                .isEqualTo(ExitCodes.TRUNCATED);
        assertThat(beyond.err()).isEqualTo("NOT COVERED: record 24 is not in the checkpoint, which was signed at "
                + "size 24 (records 0 to 23); prove it against a later checkpoint\n");
        assertThat(beyond.out()).isEmpty();
    }

    @Test
    void proveRefusesRecordsBeyondTheCheckpoint() {
        for (String seq : new String[] {"30", "31", "1000"}) {
            Cli.Result r = Cli.run("prove", dir.toString(), "--seq", seq);
            assertThat(r.exitCode()).isEqualTo(ExitCodes.TRUNCATED);
            assertThat(r.err()).startsWith("NOT COVERED: record " + seq + " is not in the checkpoint").hasLineCount(1);
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void proveRefusesATrailShorterThanItsCheckpoint() throws Exception {
        ProofSupport.writeCheckpoint(dir.resolve("checkpoint.note"), RECORDS + 5, root, signer);
        Cli.Result r = Cli.run("prove", dir.toString(), "--seq", "3");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.TRUNCATED);
        assertThat(r.err()).startsWith("TRUNCATED: the trail has 30 records, but the checkpoint ")
                .endsWith(" was signed at 35\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void proveRefusesACheckpointWhoseRootTheTrailDoesNotHave() throws Exception {
        byte[] wrong = root.clone();
        wrong[0] ^= 1;
        ProofSupport.writeCheckpoint(dir.resolve("checkpoint.note"), RECORDS, wrong, signer);
        Cli.Result r = Cli.run("prove", dir.toString(), "--seq", "3");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(r.err()).contains("the first 30 records do not match the checkpoint")
                .contains("Merkle root differs").hasLineCount(1);
        assertThat(r.out()).as("no proof that could not verify").isEmpty();
    }

    @Test
    void proveVerifiesTheChainAndNamesTheBrokenRecord() throws Exception {
        TrailFixture.flipByteOf(dir, TrailFixture.agentId(11));
        Cli.Result r = Cli.run("prove", dir.toString(), "--seq", "3");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(r.err()).startsWith("TAMPERED at record 11: hash mismatch").hasLineCount(1);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void proveNeedsItsInputs() throws Exception {
        Cli.Result noDir = Cli.run("prove", tmp.resolve("nope").toString(), "--seq", "1");
        assertThat(noDir.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(noDir.err()).endsWith("no such directory\n");

        Cli.Result noFile = Cli.run("prove", dir.toString(), "--seq", "1", "--checkpoint",
                tmp.resolve("gone.note").toString());
        assertThat(noFile.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(noFile.err()).contains("gone.note is missing");

        Cli.Result garbled = Cli.run("prove", dir.toString(), "--seq", "1", "--checkpoint",
                Files.writeString(tmp.resolve("garbled.note"), "not a note\n").toString());
        assertThat(garbled.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(garbled.err()).contains("is not a readable signed checkpoint");

        Cli.Result negative = Cli.run("prove", dir.toString(), "--seq", "-1");
        assertThat(negative.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(negative.err()).contains("--seq must be 0 or more").contains("prove --help");

        Cli.Result noSeq = Cli.run("prove", dir.toString());
        assertThat(noSeq.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(noSeq.err()).contains("--seq");

        Files.delete(dir.resolve("checkpoint.note"));
        Cli.Result noNote = Cli.run("prove", dir.toString(), "--seq", "1");
        assertThat(noNote.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(noNote.err()).startsWith("no checkpoint to prove against: ").contains("--checkpoint")
                .hasLineCount(1);
    }

    @Test
    void anAlteredRecordIsCaught() throws Exception {
        Path proof = prove(13);
        // Claim another agent made the call: same length, so the record still decodes.
        byte[] record = ProofSupport.recordOf(dir, 13);
        String text = new String(record, StandardCharsets.ISO_8859_1).replace("agent-013", "agent-666");
        byte[] altered = text.getBytes(StandardCharsets.ISO_8859_1);
        Path forged = replaceLine(proof, 2, "extra " + Base64.getEncoder().encodeToString(altered));

        Cli.Result r = verifyProof(forged, "--pubkey", pubkey.toString(), "--key-name", "ops");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(r.out()).isEqualTo("TAMPERED: record 13 is not in the checkpoint's tree: the record and the "
                + "proof hashes do not lead to its root " + Hex.of(root) + " (the record, a proof hash, the index or "
                + "the checkpoint was altered)\n");
        assertThat(r.err()).isEmpty();

        // An alteration that leaves no decodable record is caught the same way, before anything trusts the bytes.
        record[1] = 9;
        Cli.Result undecodable = verifyProof(replaceLine(proof, 2, "extra "
                + Base64.getEncoder().encodeToString(record)));
        assertThat(undecodable.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(undecodable.out()).startsWith("TAMPERED: record 13 is not in the checkpoint's tree");
    }

    @Test
    void anAlteredProofHashIsCaught() throws Exception {
        Path proof = prove(13);
        List<String> lines = Files.readAllLines(proof);
        byte[] hash = Base64.getDecoder().decode(lines.get(4));
        hash[31] ^= 0x40;
        Cli.Result r = verifyProof(replaceLine(proof, 5, Base64.getEncoder().encodeToString(hash)));
        assertThat(r.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(r.out()).startsWith("TAMPERED: record 13 is not in the checkpoint's tree").hasLineCount(1);

        Cli.Result dropped = verifyProof(replaceLine(proof, 5, null));
        assertThat(dropped.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(dropped.out()).isEqualTo("TAMPERED: the proof has 4 hashes, but record 13 in a tree of 30 needs 5\n");
    }

    @Test
    void aMovedIndexIsCaught() throws Exception {
        Path proof = prove(13);
        Cli.Result r = verifyProof(replaceLine(proof, 3, "index 12"));
        assertThat(r.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(r.out()).startsWith("TAMPERED: record 12 is not in the checkpoint's tree");

        Cli.Result outside = verifyProof(replaceLine(proof, 3, "index 30"));
        assertThat(outside.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(outside.out()).isEqualTo("TAMPERED: the proof is for record 30, but the checkpoint's tree has "
                + "only 30 records\n");
    }

    @Test
    void aCheckpointWithAnotherRootIsCaughtEvenWhenProperlySigned() throws Exception {
        // The log key signs a different tree of the same size: the signature holds, the inclusion does not.
        Path proof = prove(13);
        byte[] other = ProofSupport.rootOf(dir, 29);
        Path otherNote = ProofSupport.writeCheckpoint(tmp.resolve("other.note"), RECORDS, other, signer);
        Path swapped = withCheckpoint(proof, Files.readString(otherNote));

        Cli.Result r = verifyProof(swapped, "--pubkey", pubkey.toString(), "--key-name", "ops");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.TAMPERED);
        assertThat(r.out()).contains("do not lead to its root " + Hex.of(other));
    }

    @Test
    void anEditedCheckpointFailsItsSignatureAndWithoutTheKeyItsProof() throws Exception {
        Path proof = prove(13);
        String note = Files.readString(dir.resolve("checkpoint.note"));
        byte[] wrong = root.clone();
        wrong[5] ^= 1;
        String edited = note.replace(Base64.getEncoder().encodeToString(root),
                Base64.getEncoder().encodeToString(wrong));
        assertThat(edited).isNotEqualTo(note);
        Path forged = withCheckpoint(proof, edited);

        Cli.Result signed = verifyProof(forged, "--pubkey", pubkey.toString(), "--key-name", "ops");
        assertThat(signed.exitCode()).isEqualTo(ExitCodes.SIGNATURE);
        assertThat(signed.out()).startsWith("SIGNATURE: the checkpoint in ").contains("does not verify")
                .hasLineCount(1);

        Cli.Result unsigned = verifyProof(forged);
        assertThat(unsigned.exitCode()).as("the root no longer matches the proof").isEqualTo(ExitCodes.TAMPERED);
    }

    @Test
    void aCheckpointByAnotherKeyIsASignatureProblem() throws Exception {
        CheckpointSigner intruder = CheckpointSigner.generate("ops");
        ProofSupport.writeCheckpoint(dir.resolve("checkpoint.note"), RECORDS, root, intruder);
        Path proof = prove(13);
        assertThat(verifyProof(proof).exitCode()).as("the tree is right; only the key is not").isEqualTo(ExitCodes.OK);

        Cli.Result r = verifyProof(proof, "--pubkey", pubkey.toString(), "--key-name", "ops");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.SIGNATURE);
        assertThat(r.out()).isEqualTo("SIGNATURE: the checkpoint in " + proof + ": no signature by key ops (key ID "
                + signer.verifierKey().keyIdHex() + ")\n");

        Path vkey = Files.writeString(tmp.resolve("ops.vkey"), signer.verifierKey().vkey());
        Cli.Result byVkey = verifyProof(proof, "--pubkey", vkey.toString());
        assertThat(byVkey.exitCode()).as(byVkey.toString()).isEqualTo(ExitCodes.SIGNATURE);
        assertThat(byVkey.out()).contains("no signature by key ops");

        Cli.Result badKey = verifyProof(proof, "--pubkey", tmp.resolve("no-key.pem").toString());
        assertThat(badKey.exitCode()).isEqualTo(ExitCodes.SIGNATURE);
        assertThat(badKey.out()).startsWith("SIGNATURE: ").contains("no-key.pem");
    }

    @Test
    void malformedProofFilesNameTheirLine() throws Exception {
        Path proof = prove(13);
        String good = Files.readString(proof);
        List<String> lines = good.lines().toList();
        int blank = lines.indexOf("") + 1;
        String hash = lines.get(3);
        List<String[]> cases = new ArrayList<>();
        // {file text, line, what the message says}
        cases.add(new String[] {"", "1", "the file ends here; expected the header"});
        cases.add(new String[] {good.replaceFirst("c2sp.org/tlog-proof@v1", "c2sp.org/tlog-proof@v2"), "1",
            "expected the header 'c2sp.org/tlog-proof@v1', found 'c2sp.org/tlog-proof@v2'"});
        cases.add(new String[] {good.replace("\n", "\r\n"), "1", "a carriage return"});
        cases.add(new String[] {without(lines, 2), "2", "no 'extra' line"});
        cases.add(new String[] {replace(lines, 2, "extra !!!"), "2", "the record is not base64"});
        cases.add(new String[] {replace(lines, 2, lines.get(1).replaceAll("=+$", "")), "2",
            "the record is not canonical base64"});
        cases.add(new String[] {replace(lines, 2, "extra AAAA"), "2", "the record is 3 bytes"});
        cases.add(new String[] {replace(lines, 3, "index 013"), "3", "the index '013' is not a decimal number"});
        cases.add(new String[] {replace(lines, 3, "index 99999999999999999999"), "3", "is not a decimal number"});
        cases.add(new String[] {replace(lines, 3, "seq 13"), "3", "expected 'index <n>', found 'seq 13'"});
        cases.add(new String[] {replace(lines, 4, "not*base64"), "4", "a proof hash is not base64"});
        cases.add(new String[] {replace(lines, 5, "AAAA"), "5", "a proof hash decodes to 3 bytes, not 32"});
        cases.add(new String[] {replace(lines, 4, hash.substring(0, 42) + "B="), "4", "not canonical base64"});
        cases.add(new String[] {String.join("\n", lines.subList(0, 5)) + "\n", "6",
            "the file ends here; expected the empty line before the checkpoint"});
        cases.add(new String[] {String.join("\n", lines.subList(0, blank)) + "\n", String.valueOf(blank + 1),
            "the file ends where the signed checkpoint should begin"});
        cases.add(new String[] {replace(lines, blank + 3, "not a root"), String.valueOf(blank + 3),
            "the signed checkpoint is malformed: checkpoint line 3 (root hash)"});
        cases.add(new String[] {replace(lines, lines.size(), lines.get(lines.size() - 1).replace('—', '-')),
            String.valueOf(lines.size()), "the signed checkpoint is malformed: signed note line "});
        cases.add(new String[] {good.replace("index 13", "index 13 ☃"), "3", "byte 0xe2 at column 10"});
        StringBuilder tooMany = new StringBuilder(String.join("\n", lines.subList(0, 3))).append('\n');
        for (int i = 0; i < 64; i++) {
            tooMany.append(hash).append('\n');
        }
        cases.add(new String[] {tooMany.toString(), "67", "more than 63 proof hashes"});

        for (String[] c : cases) {
            Path bad = Files.writeString(tmp.resolve("bad.tlog-proof"), c[0], StandardCharsets.UTF_8);
            Cli.Result r = verifyProof(bad);
            assertThat(r.exitCode()).as(c[2] + ": " + r).isEqualTo(ExitCodes.UNREADABLE);
            assertThat(r.err()).as(c[2]).startsWith("not a proof: " + bad + ":" + c[1] + ": ").contains(c[2])
                    .hasLineCount(1);
            assertThat(r.out()).isEmpty();
        }

        Cli.Result missing = verifyProof(tmp.resolve("none.tlog-proof"));
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.UNREADABLE);
        assertThat(missing.err()).endsWith("none.tlog-proof: no such file\n");
    }

    private Path prove(long seq) {
        Path out = tmp.resolve("record-" + seq + ".tlog-proof");
        Cli.Result r = Cli.run("prove", dir.toString(), "--seq", Long.toString(seq), "--out", out.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        return out;
    }

    private static Cli.Result verifyProof(Path proof, String... options) {
        List<String> args = new ArrayList<>(List.of("verify-proof", proof.toString()));
        args.addAll(List.of(options));
        return Cli.run(args.toArray(String[]::new));
    }

    /** A copy of the proof with its 1-based line {@code n} replaced, or removed if {@code text} is null. */
    private Path replaceLine(Path proof, int n, String text) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(proof));
        if (text == null) {
            lines.remove(n - 1);
        } else {
            lines.set(n - 1, text);
        }
        return Files.writeString(tmp.resolve("altered.tlog-proof"), String.join("\n", lines) + "\n");
    }

    /** A copy of the proof with another signed note in place of its checkpoint. */
    private Path withCheckpoint(Path proof, String note) throws Exception {
        String text = Files.readString(proof);
        String head = text.substring(0, text.indexOf("\n\n") + 2);
        return Files.writeString(tmp.resolve("swapped.tlog-proof"), head + note);
    }

    private static String replace(List<String> lines, int n, String text) {
        List<String> copy = new ArrayList<>(lines);
        copy.set(n - 1, text);
        return String.join("\n", copy) + "\n";
    }

    private static String without(List<String> lines, int n) {
        List<String> copy = new ArrayList<>(lines);
        copy.remove(n - 1);
        return String.join("\n", copy) + "\n";
    }
}
