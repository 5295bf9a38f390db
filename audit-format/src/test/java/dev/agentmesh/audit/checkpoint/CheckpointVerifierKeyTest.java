package dev.agentmesh.audit.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointVerifierKeyTest {

    /** The key ID as signed-note defines it, computed here without the production code. */
    static String specKeyId(String name, byte[] publicKey) throws Exception {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(name.getBytes(StandardCharsets.UTF_8));
        m.write(0x0A);
        m.write(0x01);
        m.writeBytes(publicKey);
        byte[] h = MessageDigest.getInstance("SHA-256").digest(m.toByteArray());
        return HexFormat.of().formatHex(h, 0, 4);
    }

    @Test
    void theKeyIdIsTheSpecComputation() throws Exception {
        CheckpointVerifierKey key = Fixtures.SIGNER.verifierKey();
        assertThat(key.rawPublicKey()).isEqualTo(Fixtures.RFC8032_PUBLIC);
        assertThat(key.keyIdHex()).isEqualTo(specKeyId(Fixtures.ORIGIN, Fixtures.RFC8032_PUBLIC))
                .isEqualTo("26c5d9cf");
        assertThat(key.keyId()).isEqualTo(Integer.parseUnsignedInt("26c5d9cf", 16));
        for (String name : new String[] {"a", "example.com/log", "\u00e9t\u00e9/\uD83D\uDE00"}) {
            CheckpointSigner s = CheckpointSigner.fromSeed(name, Fixtures.seed(name.length()));
            assertThat(s.verifierKey().keyIdHex())
                    .isEqualTo(specKeyId(name, s.verifierKey().rawPublicKey()));
        }
    }

    @Test
    void theVkeyIsNameKeyIdAndTypedKey() throws Exception {
        CheckpointVerifierKey key = Fixtures.SIGNER.verifierKey();
        byte[] typed = new byte[33];
        typed[0] = 1;
        System.arraycopy(Fixtures.RFC8032_PUBLIC, 0, typed, 1, 32);
        String expected = Fixtures.ORIGIN + "+" + specKeyId(Fixtures.ORIGIN, Fixtures.RFC8032_PUBLIC) + "+"
                + Base64.getEncoder().encodeToString(typed);
        assertThat(key.vkey()).isEqualTo(expected)
                .isEqualTo("agentmesh.dev/trail/example+26c5d9cf+AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea");
        CheckpointVerifierKey parsed = CheckpointVerifierKey.parse(expected);
        assertThat(parsed).isEqualTo(key);
        assertThat(parsed.toString()).isEqualTo(expected);
        assertThat(parsed.publicKey().getEncoded()).isEqualTo(key.publicKey().getEncoded());
    }

    @ParameterizedTest
    @CsvSource({
        // verifier keys published with the Go reference implementation (golang.org/x/mod/sumdb/note)
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW, PeterNeumann, c74f20a3",
        "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop, EnochRoot, af0cfe78",
        // the base64 of this one contains a '+', which must not be taken for a separator
        "TEST+7997405c+AQcC+FTVKf0jlTdHDY3rbevmnKxxPjigCXlVtGe6RIr6, TEST, 7997405c",
    })
    void parsesReferenceVerifierKeys(String vkey, String name, String id) throws Exception {
        CheckpointVerifierKey key = CheckpointVerifierKey.parse(vkey);
        assertThat(key.name()).isEqualTo(name);
        assertThat(key.keyIdHex()).isEqualTo(id).isEqualTo(specKeyId(name, key.rawPublicKey()));
        assertThat(key.vkey()).isEqualTo(vkey);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
                + "|verifier key: key ID c74f20a4 does not match the key (expected c74f20a3)",
        "PeterNeumanN+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
                + "|verifier key: key ID c74f20a3 does not match the key",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TX"
                + "|verifier key: key ID c74f20a3 does not match the key",
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
                + "|verifier key: key ID 'C74F20A3' is not 8 lower-case hex digits",
        "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
                + "|verifier key: key ID 'c74f20a' is not 8 lower-case hex digits",
        "PeterNeumann+c74f20a3"
                + "|verifier key: expected <name>+<key ID>+<base64 key>, found 'PeterNeumann+c74f20a3'",
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW|verifier key: key name '' empty",
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
                + "|verifier key: key name 'Peter Neumann' contains whitespace (U+0020) at character 6",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T"
                + "|verifier key: key 'ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T' is not canonical standard base64",
        "PeterNeumann+c74f20a3+AhpcMQ==|verifier key: signature type 0x02 is not supported; only Ed25519 (0x01) is",
        "remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2"
                + "|verifier key: signature type 0x04 is not supported",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWAA=="
                + "|verifier key: Ed25519 key is 33 bytes, expected 32",
        "PeterNeumann+c74f20a3+|verifier key: no key after the key ID",
    })
    void rejectsMalformedVerifierKeys(String vkey, String message) {
        assertThatThrownBy(() -> CheckpointVerifierKey.parse(vkey)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageStartingWith(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " a", "a b", "a+b", "a\tb", "a\u00a0b", "a\u3000"})
    void keyNamesFollowTheSignedNoteRule(String name) {
        assertThatThrownBy(() -> CheckpointVerifierKey.fromRaw(name, Fixtures.RFC8032_PUBLIC))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("key name ");
        assertThatThrownBy(() -> CheckpointSigner.fromSeed(name, Fixtures.RFC8032_SEED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("key name ");
    }

    @Test
    void rawKeysMustBe32Bytes() {
        assertThatThrownBy(() -> CheckpointVerifierKey.fromRaw("k", new byte[31]))
                .hasMessageContaining("32 bytes, not 31");
        assertThatThrownBy(() -> CheckpointSigner.fromSeed("k", new byte[33])).hasMessageContaining("32 bytes, not 33");
    }

    @Test
    void theSignerDerivesThePublicKeyOfItsSeed() {
        // RFC 8032 section 7.1 TEST 1: the public key and the signature of the empty message
        CheckpointSigner s = CheckpointSigner.fromSeed("k", Fixtures.RFC8032_SEED);
        assertThat(s.verifierKey().rawPublicKey()).isEqualTo(Fixtures.RFC8032_PUBLIC);
        assertThat(HexFormat.of().formatHex(s.sign(new byte[0]))).isEqualTo(
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46b"
                + "d25bf5f0595bbe24655141438e7a100b");
        assertThat(CheckpointSigner.of("k", s.privateKey()).verifierKey()).isEqualTo(s.verifierKey());
        // and generated keys are usable and distinct
        CheckpointSigner a = CheckpointSigner.generate("k");
        CheckpointSigner b = CheckpointSigner.generate("k");
        assertThat(a.verifierKey()).isNotEqualTo(b.verifierKey());
        assertThat(SignedNote.sign("x\n", a).verify(a.verifierKey())).isEqualTo(Verification.VERIFIED);
        assertThat(SignedNote.sign("x\n", a).verify(b.verifierKey())).isEqualTo(Verification.NO_SIGNATURE_BY_KEY);
        assertThat(a.toString()).startsWith("CheckpointSigner[k+").doesNotContain(
                Base64.getEncoder().encodeToString(Arrays.copyOf(a.seed(), 32)));
    }
}
