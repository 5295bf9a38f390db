package dev.agentmesh.audit.checkpoint;

import static dev.agentmesh.audit.checkpoint.Fixtures.ORIGIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {

    private static final boolean OPENSSL = opensslAvailable();

    @TempDir
    Path dir;

    // ---------------------------------------------------------------- keys made by OpenSSL

    @Test
    void opensslKeysLoadSignAndVerify() throws Exception {
        assumeTrue(OPENSSL, "openssl is not installed");
        Path key = dir.resolve("k.pem");
        Path pub = dir.resolve("k.pub.pem");
        openssl("genpkey", "-algorithm", "ed25519", "-out", key.toString());
        openssl("pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());

        CheckpointSigner signer = KeyFiles.readSigner(key, ORIGIN);
        CheckpointVerifierKey verifier = KeyFiles.readPublicKey(pub, ORIGIN);
        assertThat(signer.verifierKey()).isEqualTo(verifier);

        SignedCheckpoint signed = SignedCheckpoint.sign(Fixtures.example(), signer);
        assertThat(SignedCheckpoint.parse(signed.text()).verify(verifier)).isTrue();
        assertThat(SignedCheckpoint.sign(Fixtures.example(), Fixtures.OTHER).verify(verifier)).isFalse();

        // what this package writes is what OpenSSL wrote
        assertThat(KeyFiles.privatePem(signer)).isEqualTo(Files.readString(key));
        assertThat(KeyFiles.publicPem(verifier)).isEqualTo(Files.readString(pub));
    }

    @Test
    void opensslAndThisPackageMakeTheSameSignatureAndAcceptEachOthers() throws Exception {
        assumeTrue(OPENSSL, "openssl is not installed");
        Path key = dir.resolve("k.pem");
        Path pub = dir.resolve("k.pub.pem");
        openssl("genpkey", "-algorithm", "ed25519", "-out", key.toString());
        openssl("pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());
        CheckpointSigner signer = KeyFiles.readSigner(key, ORIGIN);
        SignedCheckpoint signed = SignedCheckpoint.sign(Fixtures.example(), signer);
        byte[] ours = signed.note().signatures().get(0).signature();

        Path body = dir.resolve("body.txt");
        Files.write(body, Fixtures.example().body().getBytes(StandardCharsets.UTF_8));
        Path theirs = dir.resolve("theirs.sig");
        openssl("pkeyutl", "-sign", "-rawin", "-inkey", key.toString(), "-in", body.toString(), "-out",
                theirs.toString());
        // Ed25519 is deterministic: the same key and message give the same signature
        assertThat(Files.readAllBytes(theirs)).isEqualTo(ours);

        Path oursFile = dir.resolve("ours.sig");
        Files.write(oursFile, ours);
        assertThat(openssl("pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin", "-in",
                body.toString(), "-sigfile", oursFile.toString())).contains("Signature Verified Successfully");
        Files.write(body, Fixtures.example().body().replace("1042", "1043").getBytes(StandardCharsets.UTF_8));
        assertThat(run(List.of("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(), "-rawin", "-in",
                body.toString(), "-sigfile", oursFile.toString())).exit).isNotZero();
    }

    @Test
    void opensslKeysOfOtherKindsAreNamedInTheError() throws Exception {
        assumeTrue(OPENSSL, "openssl is not installed");
        Path ed448 = dir.resolve("ed448.pem");
        openssl("genpkey", "-algorithm", "ed448", "-out", ed448.toString());
        assertThatThrownBy(() -> KeyFiles.readSigner(ed448, ORIGIN)).isInstanceOf(CheckpointFileException.class)
                .hasMessage(ed448 + ": holds an Ed448 key, expected an Ed25519 private key");
        Path ed448pub = dir.resolve("ed448.pub.pem");
        openssl("pkey", "-in", ed448.toString(), "-pubout", "-out", ed448pub.toString());
        assertThatThrownBy(() -> KeyFiles.readPublicKey(ed448pub, ORIGIN))
                .hasMessage(ed448pub + ": holds an Ed448 key, expected an Ed25519 public key");
        Path x25519 = dir.resolve("x25519.pem");
        openssl("genpkey", "-algorithm", "x25519", "-out", x25519.toString());
        assertThatThrownBy(() -> KeyFiles.readSigner(x25519, ORIGIN))
                .hasMessage(x25519 + ": holds an X25519 key, expected an Ed25519 private key");
        Path ec = dir.resolve("ec.pem");
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ec.toString());
        assertThatThrownBy(() -> KeyFiles.readSigner(ec, ORIGIN))
                .hasMessage(ec + ": holds an EC (ECDSA) key, expected an Ed25519 private key");
        Path encrypted = dir.resolve("encrypted.pem");
        openssl("genpkey", "-algorithm", "ed25519", "-aes-256-cbc", "-pass", "pass:secret", "-out",
                encrypted.toString());
        assertThatThrownBy(() -> KeyFiles.readSigner(encrypted, ORIGIN)).hasMessage(encrypted
                + ": the private key is encrypted, which is not supported; decrypt it with: openssl pkey -in "
                + "encrypted.pem -out <new file>");
    }

    // ---------------------------------------------------------------- keys made by the JDK

    @Test
    void generateWritesOwnerOnlyPemFilesThatLoadBack() throws Exception {
        Path key = dir.resolve("keys/checkpoint.pem");
        Path pub = dir.resolve("keys/checkpoint.pub.pem");
        Files.createDirectories(key.getParent());
        CheckpointSigner signer = KeyFiles.generate(key, pub, ORIGIN);

        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI")
                .endsWith("\n-----END PRIVATE KEY-----\n");
        assertThat(Files.readString(pub)).startsWith("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA")
                .endsWith("\n-----END PUBLIC KEY-----\n");
        if (key.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        }
        CheckpointSigner loaded = KeyFiles.readSigner(key, ORIGIN);
        CheckpointVerifierKey verifier = KeyFiles.readPublicKey(pub, ORIGIN);
        assertThat(loaded.verifierKey()).isEqualTo(signer.verifierKey()).isEqualTo(verifier);
        assertThat(SignedCheckpoint.sign(Fixtures.example(), loaded).verify(verifier)).isTrue();

        if (OPENSSL) { // OpenSSL reads them too, and derives the same public key
            assertThat(openssl("pkey", "-in", key.toString(), "-pubout")).isEqualTo(Files.readString(pub));
        }
    }

    @Test
    void generateNeverOverwritesAKey() throws Exception {
        Path key = dir.resolve("k.pem");
        Path pub = dir.resolve("k.pub.pem");
        KeyFiles.generate(key, pub, ORIGIN);
        String before = Files.readString(key);
        assertThatThrownBy(() -> KeyFiles.generate(key, dir.resolve("other.pub.pem"), ORIGIN))
                .isInstanceOf(CheckpointFileException.class)
                .hasMessage(key + ": already exists; not overwriting a key");
        assertThat(Files.readString(key)).isEqualTo(before);
        assertThat(dir.resolve("other.pub.pem")).doesNotExist();

        Path fresh = dir.resolve("fresh.pem");
        assertThatThrownBy(() -> KeyFiles.generate(fresh, pub, ORIGIN))
                .hasMessage(pub + ": already exists; not overwriting a key");
        assertThat(fresh).doesNotExist();
        assertThatThrownBy(() -> KeyFiles.generate(fresh, fresh, ORIGIN))
                .hasMessage(fresh + ": the same file as the private key");
        Path nowhere = dir.resolve("missing/k.pem");
        assertThatThrownBy(() -> KeyFiles.generate(nowhere, dir.resolve("p.pem"), ORIGIN))
                .hasMessage(nowhere + ": its directory does not exist");
    }

    @Test
    void writesWhatOpensslWritesForAKnownSeed() throws Exception {
        CheckpointSigner s = Fixtures.SIGNER;
        assertThat(KeyFiles.privatePem(s)).isEqualTo("-----BEGIN PRIVATE KEY-----\n"
                + "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
                + "-----END PRIVATE KEY-----\n");
        assertThat(KeyFiles.publicPem(s.verifierKey())).isEqualTo("-----BEGIN PUBLIC KEY-----\n"
                + "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
                + "-----END PUBLIC KEY-----\n");
        if (OPENSSL) {
            Path key = dir.resolve("k.pem");
            KeyFiles.writePrivatePem(key, s);
            assertThat(openssl("pkey", "-in", key.toString(), "-pubout"))
                    .isEqualTo(KeyFiles.publicPem(s.verifierKey()));
        }
    }

    @Test
    void acceptsCrlfAndSurroundingText() throws Exception {
        Path key = dir.resolve("k.pem");
        Files.writeString(key, "Ed25519 key for checkpoints\r\n"
                + KeyFiles.privatePem(Fixtures.SIGNER).replace("\n", "\r\n"));
        assertThat(KeyFiles.readSigner(key, ORIGIN).verifierKey()).isEqualTo(Fixtures.SIGNER.verifierKey());
    }

    @Test
    void otherAlgorithmsFromTheJdkAreNamedInTheError() throws Exception {
        Path ed448 = dir.resolve("ed448.pem");
        Files.writeString(ed448, pem("PRIVATE KEY", KeyPairGenerator.getInstance("Ed448").generateKeyPair()
                .getPrivate().getEncoded()));
        assertThatThrownBy(() -> KeyFiles.readSigner(ed448, ORIGIN))
                .hasMessage(ed448 + ": holds an Ed448 key, expected an Ed25519 private key");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        Path rsaPub = dir.resolve("rsa.pub.pem");
        Files.writeString(rsaPub, pem("PUBLIC KEY", rsa.generateKeyPair().getPublic().getEncoded()));
        assertThatThrownBy(() -> KeyFiles.readPublicKey(rsaPub, ORIGIN))
                .hasMessage(rsaPub + ": holds an RSA key, expected an Ed25519 public key");
    }

    @Test
    void malformedKeyFilesAreNamedWithTheirProblem() throws Exception {
        String good = KeyFiles.privatePem(Fixtures.SIGNER);
        String pub = KeyFiles.publicPem(Fixtures.SIGNER.verifierKey());
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"", "not a PEM file: no '-----BEGIN PRIVATE KEY-----' line"});
        cases.add(new String[] {"hello\n", "not a PEM file: no '-----BEGIN PRIVATE KEY-----' line"});
        cases.add(new String[] {pub, "no PRIVATE KEY block; found PUBLIC KEY"});
        cases.add(new String[] {good.replace("-----END PRIVATE KEY-----\n", ""),
            "'-----BEGIN PRIVATE KEY-----' has no matching '-----END PRIVATE KEY-----'"});
        cases.add(new String[] {good + good, "more than one PRIVATE KEY block"});
        cases.add(new String[] {good.replace("MC4C", "MC4C!"), "the PRIVATE KEY block is not valid base64"});
        cases.add(new String[] {"-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n",
            "the PRIVATE KEY block is empty"});
        cases.add(new String[] {good.replace("-----BEGIN PRIVATE KEY-----\n",
                "-----BEGIN PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\n"),
            "the PRIVATE KEY block has headers (a legacy encrypted key?), which are not supported"});
        cases.add(new String[] {pem("PRIVATE KEY", new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}),
            "not an Ed25519 private key (unrecognised encoding)"});
        cases.add(new String[] {pem("PRIVATE KEY", java.util.Arrays.copyOf(
                Base64.getMimeDecoder().decode(good.split("\n")[1]), 40)),
            "holds an Ed25519 key that cannot be decoded, expected an Ed25519 private key"});
        for (String[] c : cases) {
            Path f = dir.resolve("case.pem");
            Files.writeString(f, c[0]);
            assertThatThrownBy(() -> KeyFiles.readSigner(f, ORIGIN)).as(c[1])
                    .isInstanceOf(CheckpointFileException.class).hasMessage(f + ": " + c[1])
                    .satisfies(e -> assertThat(((CheckpointFileException) e).file()).isEqualTo(f));
        }
        Path f = dir.resolve("case.pem");
        Files.writeString(f, good);
        assertThatThrownBy(() -> KeyFiles.readPublicKey(f, ORIGIN))
                .hasMessage(f + ": no PUBLIC KEY block; found PRIVATE KEY");
        Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe});
        assertThatThrownBy(() -> KeyFiles.readSigner(f, ORIGIN)).hasMessage(f + ": not a text file (not valid UTF-8)");
        Path missing = dir.resolve("missing.pem");
        assertThatThrownBy(() -> KeyFiles.readSigner(missing, ORIGIN)).hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> KeyFiles.readSigner(dir, ORIGIN)).hasMessage(dir + ": is a directory, not a key file");
        Files.write(f, new byte[70_000]);
        assertThatThrownBy(() -> KeyFiles.readSigner(f, ORIGIN))
                .hasMessage(f + ": 70000 bytes, too large for a key file");
        assertThatThrownBy(() -> KeyFiles.readSigner(f, "bad name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key name 'bad name' contains whitespace (U+0020) at character 4");
    }

    @Test
    void verifierKeyFilesHoldAVkeyOrAPem() throws Exception {
        CheckpointVerifierKey key = Fixtures.SIGNER.verifierKey();
        Path vkey = dir.resolve("trail.vkey");
        Files.writeString(vkey, key.vkey() + "\n");
        assertThat(KeyFiles.readVkey(vkey)).isEqualTo(key);
        assertThat(KeyFiles.readVerifierKey(vkey, null)).isEqualTo(key);
        assertThat(KeyFiles.readVerifierKey(vkey, ORIGIN)).isEqualTo(key);
        assertThatThrownBy(() -> KeyFiles.readVerifierKey(vkey, "other.example/log")).hasMessage(vkey
                + ": the verifier key is named 'agentmesh.dev/trail/example', expected 'other.example/log'");

        Path pem = dir.resolve("trail.pub.pem");
        KeyFiles.writePublicPem(pem, key);
        assertThat(KeyFiles.readVerifierKey(pem, ORIGIN)).isEqualTo(key);
        assertThatThrownBy(() -> KeyFiles.readVerifierKey(pem, null))
                .hasMessage(pem + ": a PEM key carries no key name, and none was given");

        Files.writeString(vkey, key.vkey() + "\n" + key.vkey() + "\n");
        assertThatThrownBy(() -> KeyFiles.readVkey(vkey))
                .hasMessage(vkey + ": more than one line; expected one verifier key");
        Files.writeString(vkey, "");
        assertThatThrownBy(() -> KeyFiles.readVkey(vkey))
                .hasMessage(vkey + ": empty; expected a verifier key <name>+<key ID>+<base64 key>");
        Files.writeString(vkey, key.vkey().replace("+26c5d9cf+", "+26c5d9ce+"));
        assertThatThrownBy(() -> KeyFiles.readVkey(vkey)).hasMessage(vkey
                + ": verifier key: key ID 26c5d9ce does not match the key (expected 26c5d9cf)");
    }

    // ---------------------------------------------------------------- helpers

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static boolean opensslAvailable() {
        try {
            return run(List.of("openssl", "version")).exit == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static String openssl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Result r = run(cmd);
        assertThat(r.exit).as("%s: %s", cmd, r.output).isZero();
        return r.output;
    }

    private static final class Result {
        final int exit;
        final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }
    }

    private static Result run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("timed out: " + cmd);
            }
            return new Result(p.exitValue(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
