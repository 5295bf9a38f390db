package dev.agentmesh.audit.checkpoint;

import static dev.agentmesh.audit.checkpoint.Fixtures.ORIGIN;
import static dev.agentmesh.audit.checkpoint.Fixtures.OTHER;
import static dev.agentmesh.audit.checkpoint.Fixtures.SIGNER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedCheckpointTest {

    /** The example of docs/checkpoint-format.md, signed with the RFC 8032 TEST 1 key. */
    static final String EXAMPLE = "agentmesh.dev/trail/example\n"
            + "1042\n"
            + "dWZ+ZghqkCs+nmaoMGxn59HMnstrrM7lrHaSIBqZkPw=\n"
            + "time 1767225600000\n"
            + "\n"
            + "\u2014 agentmesh.dev/trail/example "
            + "JsXZz60T24L+Ip0C6wB5nNwg7BFZv+K7hWeSaM1OXzXSNZ8soWorFAufV2157ioJwx12piVj8R6V118SqNTgGnq2tQw=\n";

    @Test
    void signsTheExampleByteForByte() {
        SignedCheckpoint signed = SignedCheckpoint.sign(Fixtures.example(), SIGNER);
        assertThat(signed.text()).isEqualTo(EXAMPLE);
        assertThat(signed.toBytes()).isEqualTo(EXAMPLE.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void roundTripsThroughTextAndVerifies() {
        Checkpoint c = Checkpoint.of(ORIGIN, 7, Fixtures.sha256("seven"), 1_700_000_000_123L,
                List.of("writer pid=42", "note \u00e9t\u00e9 \uD83D\uDE00"));
        SignedCheckpoint signed = SignedCheckpoint.sign(c, SIGNER);

        SignedCheckpoint parsed = SignedCheckpoint.parse(signed.text());
        SignedCheckpoint fromBytes = SignedCheckpoint.parse(signed.toBytes());

        assertThat(parsed).isEqualTo(signed);
        assertThat(fromBytes).isEqualTo(signed);
        assertThat(parsed.checkpoint()).isEqualTo(c);
        assertThat(parsed.checkpoint().origin()).isEqualTo(ORIGIN);
        assertThat(parsed.checkpoint().size()).isEqualTo(7);
        assertThat(parsed.checkpoint().rootHash()).isEqualTo(Fixtures.sha256("seven"));
        assertThat(parsed.checkpoint().timeMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(parsed.checkpoint().extensions())
                .containsExactly("writer pid=42", "note \u00e9t\u00e9 \uD83D\uDE00");
        assertThat(parsed.verify(SIGNER.verifierKey())).isTrue();
        assertThat(parsed.verification(SIGNER.verifierKey())).isEqualTo(Verification.VERIFIED);
    }

    @Test
    void theSignatureLineIsEmDashSpaceNameSpaceKeyIdAndSignature() {
        SignedCheckpoint signed = SignedCheckpoint.sign(Fixtures.example(), SIGNER);
        String text = signed.text();
        String body = Fixtures.example().body();
        assertThat(text).startsWith(body + "\n");
        String line = text.substring(body.length() + 1, text.length() - 1);
        assertThat(line).startsWith("\u2014 " + ORIGIN + " ");
        byte[] blob = Base64.getDecoder().decode(line.substring(("\u2014 " + ORIGIN + " ").length()));
        assertThat(blob).hasSize(4 + 64);
        int keyId = ((blob[0] & 0xFF) << 24) | ((blob[1] & 0xFF) << 16) | ((blob[2] & 0xFF) << 8) | (blob[3] & 0xFF);
        assertThat(keyId).isEqualTo(SIGNER.keyId());
        assertThat(signed.note().signatures()).hasSize(1);
        assertThat(signed.note().signatures().get(0).line()).isEqualTo(line);
    }

    @Test
    void aFlippedBitAnywhereFailsParsingOrVerification() {
        byte[] good = SignedCheckpoint.sign(Fixtures.example(), SIGNER).toBytes();
        int verifyFailures = 0;
        for (int pos = 0; pos < good.length; pos++) {
            for (int bit : new int[] {0, 5, 7}) { // low, middle, high: CheckpointPropertiesTest tries any mask
                byte[] bad = good.clone();
                bad[pos] ^= (byte) (1 << bit);
                String outcome = outcome(bad);
                assertThat(outcome).as("bit %d of byte %d", bit, pos).isNotEqualTo("verified");
                if (outcome.equals("not verified")) {
                    verifyFailures++;
                }
            }
        }
        // many flips leave a well-formed note: the signature, not the parser, must catch those
        assertThat(verifyFailures).isGreaterThan(good.length / 2);
    }

    static String outcome(byte[] note) {
        SignedCheckpoint parsed;
        try {
            parsed = SignedCheckpoint.parse(note);
        } catch (CheckpointFormatException e) {
            return "malformed";
        }
        return parsed.verify(SIGNER.verifierKey()) ? "verified" : "not verified";
    }

    @Test
    void aChangedFieldThatStillParsesFailsVerification() {
        for (String[] change : new String[][] {
            {"\n1042\n", "\n1043\n"},
            {"\n1042\n", "\n104\n"},
            {"time 1767225600000", "time 1767225600001"},
            {"dWZ+", "dWZ-".replace('-', '/')},
            {"agentmesh.dev/trail/example\n1042", "agentmesh.dev/trail/exampl3\n1042"},
            {"time 1767225600000\n", "time 1767225600000\nextra\n"},
        }) {
            String altered = EXAMPLE.replaceFirst(java.util.regex.Pattern.quote(change[0]),
                    java.util.regex.Matcher.quoteReplacement(change[1]));
            assertThat(altered).isNotEqualTo(EXAMPLE);
            SignedCheckpoint parsed = SignedCheckpoint.parse(altered);
            assertThat(parsed.verification(SIGNER.verifierKey())).as(change[1])
                    .isEqualTo(Verification.INVALID_SIGNATURE);
            assertThat(parsed.verify(SIGNER.verifierKey())).isFalse();
        }
    }

    @Test
    void aSignatureByAnotherKeyIsIgnoredAndDoesNotVerify() {
        SignedCheckpoint byOther = SignedCheckpoint.sign(Fixtures.example(), OTHER);
        // same name, different key: another key ID, so the line is not the trusted key's and is ignored
        assertThat(OTHER.name()).isEqualTo(SIGNER.name());
        assertThat(OTHER.keyId()).isNotEqualTo(SIGNER.keyId());
        assertThat(byOther.verification(SIGNER.verifierKey())).isEqualTo(Verification.NO_SIGNATURE_BY_KEY);
        assertThat(byOther.verify(SIGNER.verifierKey())).isFalse();
        assertThat(byOther.verify(OTHER.verifierKey())).isTrue();
    }

    @Test
    void aLineWithTheTrustedKeyIdButAnotherNameIsIgnored() {
        SignedCheckpoint good = SignedCheckpoint.sign(Fixtures.example(), SIGNER);
        String renamed = good.text().replace("\u2014 " + ORIGIN + " ", "\u2014 someone.else/key ");
        SignedCheckpoint parsed = SignedCheckpoint.parse(renamed);
        assertThat(parsed.note().signatures().get(0).keyId()).isEqualTo(SIGNER.keyId());
        assertThat(parsed.verification(SIGNER.verifierKey())).isEqualTo(Verification.NO_SIGNATURE_BY_KEY);
    }

    @Test
    void unknownSignaturesBesideAValidOneAreIgnored() {
        SignedCheckpoint both = SignedCheckpoint.sign(Fixtures.example(), OTHER).withSignature(SIGNER);
        String withForeign = both.text() + "\u2014 witness.example/w1 "
                + Base64.getEncoder().encodeToString(new byte[] {4, 3, 2, 1, 9, 9, 9, 9, 9}) + "\n";
        SignedCheckpoint parsed = SignedCheckpoint.parse(withForeign);
        assertThat(parsed.note().signatures()).hasSize(3);
        assertThat(parsed.verify(SIGNER.verifierKey())).isTrue();
        assertThat(parsed.verify(OTHER.verifierKey())).isTrue();
        CheckpointVerifierKey stranger = CheckpointSigner.fromSeed("stranger.example", Fixtures.seed(3)).verifierKey();
        assertThat(parsed.verification(stranger)).isEqualTo(Verification.NO_SIGNATURE_BY_KEY);
    }

    @Test
    void aBadSignatureByTheTrustedKeyRejectsTheNoteEvenBesideAGoodOne() {
        SignedCheckpoint good = SignedCheckpoint.sign(Fixtures.example(), SIGNER);
        String line = good.note().signatures().get(0).line();
        byte[] blob = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
        blob[10] ^= 1;
        String forged = good.text() + "\u2014 " + ORIGIN + " " + Base64.getEncoder().encodeToString(blob) + "\n";
        assertThat(SignedCheckpoint.parse(forged).verification(SIGNER.verifierKey()))
                .isEqualTo(Verification.INVALID_SIGNATURE);
    }

    @Test
    void aTruncatedSignatureByTheTrustedKeyDoesNotVerify() {
        SignedCheckpoint good = SignedCheckpoint.sign(Fixtures.example(), SIGNER);
        String line = good.note().signatures().get(0).line();
        byte[] blob = Base64.getDecoder().decode(line.substring(line.lastIndexOf(' ') + 1));
        String shortSig = Fixtures.example().body() + "\n\u2014 " + ORIGIN + " "
                + Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(blob, 40)) + "\n";
        assertThat(SignedCheckpoint.parse(shortSig).verification(SIGNER.verifierKey()))
                .isEqualTo(Verification.INVALID_SIGNATURE);
    }

    @Test
    void signingAgainWithTheSameKeyReplacesItsLine() {
        SignedCheckpoint once = SignedCheckpoint.sign(Fixtures.example(), SIGNER);
        SignedCheckpoint twice = once.withSignature(OTHER).withSignature(SIGNER);
        assertThat(twice.note().signatures()).extracting(NoteSignature::keyId)
                .containsExactly(OTHER.keyId(), SIGNER.keyId());
        assertThat(once.withSignature(SIGNER)).isEqualTo(once);
    }

    @Test
    void aNoteWhoseTextIsNotACheckpointIsRejectedWithItsLine() {
        SignedNote note = SignedNote.sign("hello\nworld\n", SIGNER);
        assertThat(note.verify(SIGNER.verifierKey())).isEqualTo(Verification.VERIFIED);
        assertThatThrownBy(() -> SignedCheckpoint.parse(note.encoded()))
                .isInstanceOf(CheckpointFormatException.class)
                .hasMessage("checkpoint: 2 lines, expected at least 4 (origin, tree size, root hash, time)");
    }

    @Test
    void verificationOutcomesDescribeThemselves() {
        CheckpointVerifierKey key = SIGNER.verifierKey();
        assertThat(Verification.VERIFIED.describe(key))
                .isEqualTo("signature by key agentmesh.dev/trail/example (key ID 26c5d9cf) verifies");
        assertThat(Verification.NO_SIGNATURE_BY_KEY.describe(key))
                .isEqualTo("no signature by key agentmesh.dev/trail/example (key ID 26c5d9cf)");
        assertThat(Verification.INVALID_SIGNATURE.describe(key)).contains("does not verify");
    }
}
