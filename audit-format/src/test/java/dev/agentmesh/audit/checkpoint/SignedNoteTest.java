package dev.agentmesh.audit.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The signed-note layer, against the reference implementation's published vectors and malformed notes. */
class SignedNoteTest {

    // The example of golang.org/x/mod/sumdb/note (package documentation and note_test.go): its signer key
    // PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz, verifier key and note.
    static final String GO_SKEY_KEY = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    static final String GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    static final String GO_TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    static final String GO_NOTE = GO_TEXT + "\n\u2014 PeterNeumann "
            + "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    static final String SIG = Base64.getEncoder().encodeToString(new byte[68]);

    @Test
    void reproducesTheGoReferenceSignatureByteForByte() {
        byte[] typeAndSeed = Base64.getDecoder().decode(GO_SKEY_KEY);
        assertThat(typeAndSeed[0]).isEqualTo((byte) 0x01);
        CheckpointSigner peter = CheckpointSigner.fromSeed("PeterNeumann", Arrays.copyOfRange(typeAndSeed, 1, 33));

        assertThat(peter.verifierKey().vkey()).isEqualTo(GO_VKEY);
        assertThat(SignedNote.sign(GO_TEXT, peter).encoded()).isEqualTo(GO_NOTE);
    }

    @Test
    void verifiesTheGoReferenceNoteAndCatchesAChangedLetter() {
        CheckpointVerifierKey key = CheckpointVerifierKey.parse(GO_VKEY);
        SignedNote note = SignedNote.parse(GO_NOTE);
        assertThat(note.text()).isEqualTo(GO_TEXT);
        assertThat(note.signatures()).singleElement().satisfies(s -> {
            assertThat(s.keyName()).isEqualTo("PeterNeumann");
            assertThat(s.keyIdHex()).isEqualTo("c74f20a3");
            assertThat(s.signature()).hasSize(64);
        });
        assertThat(note.verify(key)).isEqualTo(Verification.VERIFIED);
        assertThat(SignedNote.parse(GO_NOTE.replace("cryptography", "cryptographY")).verify(key))
                .isEqualTo(Verification.INVALID_SIGNATURE);
        assertThat(note.encoded()).isEqualTo(GO_NOTE);
    }

    @Test
    void theTextIsSeparatedByTheLastBlankLine() {
        String note = "a\n\nb\n\n\u2014 k " + SIG + "\n";
        SignedNote parsed = SignedNote.parse(note);
        assertThat(parsed.text()).isEqualTo("a\n\nb\n");
        assertThat(parsed.encoded()).isEqualTo(note);
        // a line that looks like a signature but sits above the last blank line is text
        SignedNote tricky = SignedNote.parse("a\n\n\u2014 k " + SIG + "\n\n\u2014 j " + SIG + "\n");
        assertThat(tricky.text()).isEqualTo("a\n\n\u2014 k " + SIG + "\n");
        assertThat(tricky.signatures()).extracting(NoteSignature::keyName).containsExactly("j");
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
            Arguments.of("a\n\u2014 k " + SIG + "\n",
                    "signed note: no blank line separating the text from the signature lines"),
            Arguments.of("a\n\n", "signed note line 3: no signature line after the blank line"),
            Arguments.of("a\n\n\u2014 k " + SIG,
                    "signed note line 3: the last signature line does not end with a newline"),
            Arguments.of("a\n\n\u2014 k " + SIG + "\n\u2014 k " + SIG,
                    "signed note line 4: the last signature line does not end with a newline"),
            Arguments.of("a\n\n- k " + SIG + "\n", "signed note line 3: '- k AAAA"),
            Arguments.of("a\n\n- k " + SIG + "\n", "does not start with an em dash (U+2014) and a space"),
            Arguments.of("a\n\n\u2013 k " + SIG + "\n", "does not start with an em dash (U+2014) and a space"),
            Arguments.of("a\n\n\u2014k " + SIG + "\n", "does not start with an em dash (U+2014) and a space"),
            Arguments.of("a\n\n\u2014 k" + SIG + "\n",
                    "signed note line 3: no space between the key name and the signature"),
            Arguments.of("a\n\n\u2014 a+b " + SIG + "\n", "signed note line 3: key name 'a+b' contains '+'"),
            Arguments.of("a\n\n\u2014  k " + SIG + "\n", "signed note line 3: key name '' empty"),
            Arguments.of("a\n\n\u2014 k  " + SIG + "\n", "signed note line 3: signature ' AAAA"),
            Arguments.of("a\n\n\u2014 k " + SIG + " \n", "is not canonical standard base64"),
            Arguments.of("a\n\n\u2014 k " + SIG.replace("A=", "B=") + "\n", "is not canonical standard base64"),
            Arguments.of("a\n\n\u2014 k " + SIG.replace("=", "") + "\n", "is not canonical standard base64"),
            Arguments.of("a\n\n\u2014 k ____\n", "is not canonical standard base64"),
            Arguments.of("a\n\n\u2014 k AAAAAA==\n",
                    "signed note line 3: signature decodes to 4 bytes, fewer than a 4-byte key ID and a signature"),
            Arguments.of("a\n\n\u2014 k \n", "signed note line 3: signature decodes to 0 bytes"),
            Arguments.of("a\tb\n\n\u2014 k " + SIG + "\n", "signed note line 1: control character U+0009"),
            Arguments.of("a\r\n\r\n\u2014 k " + SIG + "\r\n", "signed note line 1: control character U+000D"),
            Arguments.of("a\n\n\u2014 k " + SIG + "\n\u2014 j\u0000 " + SIG + "\n",
                    "signed note line 4: control character U+0000"),
            Arguments.of("a\ud800\n\n\u2014 k " + SIG + "\n", "signed note line 1: unpaired surrogate U+D800"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void rejects(String note, String message) {
        assertThatThrownBy(() -> SignedNote.parse(note)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] good = ("a\n\n\u2014 k " + SIG + "\n").getBytes(StandardCharsets.UTF_8);
        assertThat(SignedNote.parse(good).signatures()).hasSize(1);
        for (byte[] bad : new byte[][] {
            {'a', (byte) 0xff, '\n'},
            {'a', (byte) 0xc0, (byte) 0xaf, '\n'}, // overlong '/'
            {'a', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '\n'}, // an encoded surrogate
        }) {
            byte[] note = Arrays.copyOf(bad, bad.length + good.length - 2);
            System.arraycopy(good, 2, note, bad.length, good.length - 2);
            assertThatThrownBy(() -> SignedNote.parse(note)).isInstanceOf(CheckpointFormatException.class)
                    .hasMessage("signed note: not valid UTF-8");
        }
        // a truncated em dash
        byte[] cut = Arrays.copyOf(good, 5);
        cut[4] = '\n';
        assertThatThrownBy(() -> SignedNote.parse(cut)).hasMessage("signed note: not valid UTF-8");
    }

    @Test
    void acceptsOneHundredSignaturesAndNoMore() {
        StringBuilder note = new StringBuilder("a\n\n");
        for (int i = 0; i < SignedNote.MAX_SIGNATURES; i++) {
            note.append("\u2014 k").append(i).append(' ').append(SIG).append('\n');
        }
        assertThat(SignedNote.parse(note.toString()).signatures()).hasSize(100);
        note.append("\u2014 k100 ").append(SIG).append('\n');
        assertThatThrownBy(() -> SignedNote.parse(note.toString())).hasMessage("signed note: more than 100 signatures");
    }

    @Test
    void rejectsOversizedNotes() {
        byte[] huge = new byte[(1 << 20) + 1];
        Arrays.fill(huge, (byte) 'a');
        assertThatThrownBy(() -> SignedNote.parse(huge)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("more than the limit of 1048576");
    }

    @Test
    void signingRejectsTextsThatCannotBeNotes() {
        CheckpointSigner s = Fixtures.SIGNER;
        assertThatThrownBy(() -> SignedNote.sign("", s)).hasMessage("note text: empty");
        assertThatThrownBy(() -> SignedNote.sign("abc", s)).hasMessage("note text: does not end with a newline");
        assertThatThrownBy(() -> SignedNote.sign("a\u0007\n", s))
                .hasMessage("note text line 1: control character U+0007");
    }

    @Test
    void everyNoteItSignsParsesBackAndVerifies() {
        for (String text : new String[] {"a\n", "a\n\nb\n", "\n", "\u00e9\u2014\uD83D\uDE00\n", "x\n\n\n"}) {
            SignedNote note = SignedNote.sign(text, Fixtures.SIGNER);
            SignedNote parsed = SignedNote.parse(note.toBytes());
            assertThat(parsed.text()).isEqualTo(text);
            assertThat(parsed.verify(Fixtures.SIGNER.verifierKey())).isEqualTo(Verification.VERIFIED);
        }
    }
}
