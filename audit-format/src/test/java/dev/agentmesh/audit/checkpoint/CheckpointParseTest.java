package dev.agentmesh.audit.checkpoint;

import static dev.agentmesh.audit.checkpoint.Fixtures.ORIGIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every malformed checkpoint body is rejected with a message naming the line and the problem. */
class CheckpointParseTest {

    static final String ROOT = "dWZ+ZghqkCs+nmaoMGxn59HMnstrrM7lrHaSIBqZkPw=";
    static final String GOOD = ORIGIN + "\n1042\n" + ROOT + "\ntime 1767225600000\n";

    static String body(String origin, String size, String root, String time, String... more) {
        StringBuilder b = new StringBuilder(origin).append('\n').append(size).append('\n').append(root).append('\n')
                .append(time).append('\n');
        for (String m : more) {
            b.append(m).append('\n');
        }
        return b.toString();
    }

    static String b64(int n) {
        return Base64.getEncoder().encodeToString(new byte[n]);
    }

    static Stream<Arguments> malformed() {
        String t = "time 1767225600000";
        return Stream.of(
            Arguments.of("", "checkpoint: empty"),
            Arguments.of(GOOD.substring(0, GOOD.length() - 1), "checkpoint line 4: does not end with a newline"),
            Arguments.of(ORIGIN + "\n1042\n" + ROOT + "\n",
                    "checkpoint: 3 lines, expected at least 4 (origin, tree size, root hash, time)"),
            Arguments.of(ORIGIN + "\n", "checkpoint: 1 line, expected at least 4 (origin, tree size, root hash, time)"),
            // origin
            Arguments.of(body("", "1042", ROOT, t), "checkpoint line 1 (origin): empty"),
            Arguments.of(body(ORIGIN + " ", "1042", ROOT, t), "checkpoint line 1 (origin): "
                    + "'agentmesh.dev/trail/example ' ends with whitespace"),
            Arguments.of(body(" " + ORIGIN, "1042", ROOT, t), "checkpoint line 1 (origin): "
                    + "' agentmesh.dev/trail/example' starts with whitespace"),
            Arguments.of(body(ORIGIN + "\u00a0", "1042", ROOT, t), "ends with whitespace"),
            Arguments.of(body("agentmesh.dev/trail/a b", "1042", ROOT, t),
                    "checkpoint line 1 (origin): 'agentmesh.dev/trail/a b' contains whitespace (U+0020) "
                    + "at character 22"),
            Arguments.of(body("agentmesh.dev/trail/a\u2003b", "1042", ROOT, t), "contains whitespace (U+2003)"),
            Arguments.of(body("agentmesh.dev/trail/a+b", "1042", ROOT, t),
                    "checkpoint line 1 (origin): 'agentmesh.dev/trail/a+b' contains '+' at character 22"),
            Arguments.of(body(ORIGIN + "\r", "1042", ROOT, t), "checkpoint line 1: control character U+000D"),
            Arguments.of(body(ORIGIN + "\u0085x", "1042", ROOT, t), "contains whitespace (U+0085)"),
            Arguments.of(body(ORIGIN + "\u007f", "1042", ROOT, t), "contains a control character (U+007F)"),
            // tree size
            Arguments.of(body(ORIGIN, "01042", ROOT, t),
                    "checkpoint line 2 (tree size): '01042' has a leading zero"),
            Arguments.of(body(ORIGIN, "00", ROOT, t), "checkpoint line 2 (tree size): '00' has a leading zero"),
            Arguments.of(body(ORIGIN, "+1042", ROOT, t), "checkpoint line 2 (tree size): '+1042' is not an unsigned "
                    + "decimal number (only the digits 0-9 are allowed)"),
            Arguments.of(body(ORIGIN, "-1", ROOT, t), "'-1' is not an unsigned decimal number"),
            Arguments.of(body(ORIGIN, " 1042", ROOT, t), "' 1042' is not an unsigned decimal number"),
            Arguments.of(body(ORIGIN, "1042 ", ROOT, t), "'1042 ' is not an unsigned decimal number"),
            Arguments.of(body(ORIGIN, "1e3", ROOT, t), "'1e3' is not an unsigned decimal number"),
            Arguments.of(body(ORIGIN, "0x10", ROOT, t), "'0x10' is not an unsigned decimal number"),
            Arguments.of(body(ORIGIN, "\uff11\uff12", ROOT, t), "is not an unsigned decimal number"),
            Arguments.of(body(ORIGIN, "", ROOT, t), "checkpoint line 2 (tree size): empty"),
            Arguments.of(body(ORIGIN, "9223372036854775808", ROOT, t),
                    "checkpoint line 2 (tree size): '9223372036854775808' exceeds 9223372036854775807"),
            // root hash
            Arguments.of(body(ORIGIN, "1042", b64(31), t), "checkpoint line 3 (root hash): decodes to 31 bytes, "
                    + "expected 32"),
            Arguments.of(body(ORIGIN, "1042", b64(33), t), "decodes to 33 bytes, expected 32"),
            Arguments.of(body(ORIGIN, "1042", "", t), "checkpoint line 3 (root hash): decodes to 0 bytes, expected 32"),
            Arguments.of(body(ORIGIN, "1042", ROOT.substring(0, 43), t),
                    "checkpoint line 3 (root hash): 'dWZ+ZghqkCs+nmaoMGxn59HMnstrrM7lrHaSIBqZkPw' is not canonical "
                    + "standard base64"),
            Arguments.of(body(ORIGIN, "1042", ROOT.replace("w=", "x="), t), "is not canonical standard base64"),
            Arguments.of(body(ORIGIN, "1042", ROOT.replace('+', '-'), t), "is not canonical standard base64"),
            Arguments.of(body(ORIGIN, "1042", ROOT + " ", t), "is not canonical standard base64"),
            Arguments.of(body(ORIGIN, "1042", "75667e66086a902b3e9e66a8306c67e7d1cc9ecb6baccee5ac7692201a9990fc", t),
                    "checkpoint line 3 (root hash): decodes to 48 bytes, expected 32"),
            // time
            Arguments.of(body(ORIGIN, "1042", ROOT, "timestamp 1767225600000"),
                    "checkpoint line 4: expected 'time <epochMillis>', found 'timestamp 1767225600000'"),
            Arguments.of(body(ORIGIN, "1042", ROOT, "Time 1767225600000"), "expected 'time <epochMillis>'"),
            Arguments.of(body(ORIGIN, "1042", ROOT, "time"), "expected 'time <epochMillis>', found 'time'"),
            Arguments.of(body(ORIGIN, "1042", ROOT, "extension"), "expected 'time <epochMillis>', found 'extension'"),
            Arguments.of(body(ORIGIN, "1042", ROOT, "time  1767225600000"),
                    "checkpoint line 4 (time): ' 1767225600000' is not an unsigned decimal number"),
            Arguments.of(body(ORIGIN, "1042", ROOT, "time 01767225600000"),
                    "checkpoint line 4 (time): '01767225600000' has a leading zero"),
            Arguments.of(body(ORIGIN, "1042", ROOT, "time -1"), "checkpoint line 4 (time): '-1' is not an unsigned"),
            Arguments.of(body(ORIGIN, "1042", ROOT, "time 1767225600000 "), "is not an unsigned decimal number"),
            Arguments.of(body(ORIGIN, "1042", ROOT, "time "), "checkpoint line 4 (time): empty"),
            // extension lines
            Arguments.of(body(ORIGIN, "1042", ROOT, t, ""), "checkpoint line 5 (extension): empty"),
            Arguments.of(body(ORIGIN, "1042", ROOT, t, "ok", ""), "checkpoint line 6 (extension): empty"),
            Arguments.of(body(ORIGIN, "1042", ROOT, t, "trailing "),
                    "checkpoint line 5 (extension): 'trailing ' ends with whitespace"),
            Arguments.of(body(ORIGIN, "1042", ROOT, t, " leading"),
                    "checkpoint line 5 (extension): ' leading' starts with whitespace"),
            Arguments.of(body(ORIGIN, "1042", ROOT, t, "time 1767225600001"),
                    "checkpoint line 5 (extension): a second time line; only line 4 may start with 'time '"),
            Arguments.of(body(ORIGIN, "1042", ROOT, t, "del\u007f"),
                    "checkpoint line 5 (extension): control character U+007F"),
            Arguments.of(body(ORIGIN, "1042", ROOT, t, "tab\there"), "checkpoint line 5: control character U+0009"),
            Arguments.of(body(ORIGIN, "1042", ROOT, t, "lone \ud800 surrogate"),
                    "checkpoint line 5: unpaired surrogate U+D800 (not valid UTF-8)"),
            Arguments.of(GOOD.replace("\n", "\r\n"), "checkpoint line 1: control character U+000D"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void rejects(String body, String message) {
        assertThat(body).isNotEqualTo(GOOD);
        assertThatThrownBy(() -> Checkpoint.parse(body)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void rejectsTheSameBodyInsideAProperlySignedNote(String body, String message) {
        if (body.isEmpty() || !body.endsWith("\n") || body.contains("\n\n") || body.contains("\r")
                || body.contains("\t") || body.contains("\ud800")) {
            return; // not a valid note text, so not signable: the note layer rejects those (SignedNoteTest)
        }
        String note = SignedNote.sign(body, Fixtures.SIGNER).encoded();
        assertThatThrownBy(() -> SignedCheckpoint.parse(note)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void acceptsTheBoundaries() {
        Checkpoint zero = Checkpoint.parse(body(ORIGIN, "0", ROOT, "time 0"));
        assertThat(zero.size()).isZero();
        assertThat(zero.timeMillis()).isZero();
        Checkpoint max = Checkpoint.parse(body(ORIGIN, "9223372036854775807", ROOT, "time 9223372036854775807",
                "x", "key=value with spaces inside"));
        assertThat(max.size()).isEqualTo(Long.MAX_VALUE);
        assertThat(max.timeMillis()).isEqualTo(Long.MAX_VALUE);
        assertThat(max.extensions()).containsExactly("x", "key=value with spaces inside");
        Checkpoint good = Checkpoint.parse(GOOD);
        assertThat(good.body()).isEqualTo(GOOD);
        assertThat(good.rootHash()).isEqualTo(Fixtures.sha256("agentmesh example"));
    }

    @Test
    void constructionEnforcesTheSameRules() {
        byte[] root = new byte[32];
        assertThatThrownBy(() -> Checkpoint.of(ORIGIN, -1, root, 0))
                .isInstanceOf(CheckpointFormatException.class).hasMessage("checkpoint tree size: negative (-1)");
        assertThatThrownBy(() -> Checkpoint.of(ORIGIN, 1, new byte[31], 0))
                .hasMessage("checkpoint root hash: 31 bytes, expected 32");
        assertThatThrownBy(() -> Checkpoint.of(ORIGIN, 1, root, -5)).hasMessage("checkpoint time: negative (-5)");
        assertThatThrownBy(() -> Checkpoint.of("", 1, root, 0)).hasMessage("checkpoint origin: empty");
        assertThatThrownBy(() -> Checkpoint.of("a+b", 1, root, 0))
                .hasMessage("checkpoint origin: 'a+b' contains '+' at character 2");
        assertThatThrownBy(() -> Checkpoint.of(ORIGIN, 1, root, 0, List.of("two\nlines")))
                .hasMessage("checkpoint extension line 1: contains a newline");
        assertThatThrownBy(() -> Checkpoint.of(ORIGIN, 1, root, 0, List.of("ok", "time 5")))
                .hasMessageContaining("checkpoint extension line 2: a second time line");
        assertThatThrownBy(() -> Checkpoint.of(ORIGIN, 1, root, 0, List.of("")))
                .hasMessage("checkpoint extension line 1: empty");
    }

    @Test
    void theRootHashIsCopiedInAndOut() {
        byte[] root = Fixtures.sha256("x");
        Checkpoint c = Checkpoint.of(ORIGIN, 1, root, 0);
        root[0] ^= 1;
        byte[] out = c.rootHash();
        out[1] ^= 1;
        assertThat(c.rootHash()).isEqualTo(Fixtures.sha256("x"));
    }

    @Test
    void trailOriginsPercentEncodeWhatAnOriginCannotHold() {
        assertThat(Checkpoint.trailOrigin("writer-1")).isEqualTo("agentmesh.dev/trail/writer-1");
        assertThat(Checkpoint.trailOrigin("run 2+x/\u00e9")).isEqualTo("agentmesh.dev/trail/run%202%2Bx%2F%C3%A9");
        assertThat(Checkpoint.trailOrigin("%")).isEqualTo("agentmesh.dev/trail/%25");
        assertThatThrownBy(() -> Checkpoint.trailOrigin("")).hasMessage("writer id: empty");
        Checkpoint c = Checkpoint.of(Checkpoint.trailOrigin("pid 7 @ host\t1"), 0, new byte[32], 0);
        assertThat(Checkpoint.parse(c.body())).isEqualTo(c);
    }
}
