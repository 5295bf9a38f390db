package dev.agentmesh.audit.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Round trips and tamper detection over arbitrary checkpoints. */
class CheckpointPropertiesTest {

    @Provide
    Arbitrary<String> origins() {
        return Arbitraries.strings().withCharRange('!', '*').withCharRange(',', '~')
                .withChars('\u00e9', '\u65e5', '\u2014', '\u00ff').ofMinLength(1).ofMaxLength(80);
    }

    @Provide
    Arbitrary<List<String>> extensions() {
        Arbitrary<String> line = Arbitraries.strings().withCharRange(' ', '~').withChars('\u00e9', '\u65e5')
                .ofMinLength(1).ofMaxLength(40)
                .filter(s -> s.charAt(0) != ' ' && s.charAt(s.length() - 1) != ' ' && !s.startsWith("time "));
        return line.list().ofMaxSize(3);
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.MIXIN)
    void anyCheckpointRoundTripsThroughItsBody(@ForAll("origins") String origin,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long size, @ForAll @Size(32) byte[] root,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long time, @ForAll("extensions") List<String> ext) {
        Checkpoint c = Checkpoint.of(origin, size, root, time, ext);
        Checkpoint back = Checkpoint.parse(c.body());
        assertThat(back).isEqualTo(c);
        assertThat(back.origin()).isEqualTo(origin);
        assertThat(back.size()).isEqualTo(size);
        assertThat(back.rootHash()).isEqualTo(root);
        assertThat(back.timeMillis()).isEqualTo(time);
        assertThat(back.extensions()).isEqualTo(ext);
        assertThat(back.body()).isEqualTo(c.body()).startsWith(origin + "\n" + size + "\n")
                .contains("\ntime " + time + "\n").endsWith("\n").doesNotContain("\n\n");
    }

    @Property(tries = 60, edgeCases = EdgeCasesMode.MIXIN)
    void anySignedCheckpointRoundTripsAndVerifies(@ForAll("origins") String origin,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long size, @ForAll @Size(32) byte[] root,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long time, @ForAll("extensions") List<String> ext) {
        Checkpoint c = Checkpoint.of(origin, size, root, time, ext);
        SignedCheckpoint signed = SignedCheckpoint.sign(c, Fixtures.SIGNER);
        SignedCheckpoint back = SignedCheckpoint.parse(signed.toBytes());
        assertThat(back).isEqualTo(signed);
        assertThat(back.checkpoint()).isEqualTo(c);
        assertThat(back.verify(Fixtures.SIGNER.verifierKey())).isTrue();
        assertThat(back.verify(Fixtures.OTHER.verifierKey())).isFalse();
    }

    @Property(tries = 200, edgeCases = EdgeCasesMode.MIXIN)
    void anyFlippedByteFailsParsingOrVerification(@ForAll("origins") String origin,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long size, @ForAll @Size(32) byte[] root,
            @ForAll @IntRange(min = 0, max = 100_000) int position, @ForAll @IntRange(min = 1, max = 255) int mask) {
        byte[] note = SignedCheckpoint.sign(Checkpoint.of(origin, size, root, 1), Fixtures.SIGNER).toBytes();
        int pos = position % note.length;
        note[pos] ^= (byte) mask;
        boolean verified;
        try {
            verified = SignedCheckpoint.parse(note).verify(Fixtures.SIGNER.verifierKey());
        } catch (CheckpointFormatException malformed) {
            verified = false;
        }
        assertThat(verified).as("byte %d ^ %02x", pos, mask).isFalse();
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.MIXIN)
    void originsWithWhitespacePlusOrControlCharactersAreRejected(@ForAll("origins") String origin,
            @ForAll @IntRange(min = 0, max = 80) int at, @ForAll("forbidden") char bad) {
        int i = at % (origin.length() + 1);
        String broken = origin.substring(0, i) + bad + origin.substring(i);
        String body = broken + "\n1\n" + CheckpointParseTest.ROOT + "\ntime 1\n";
        assertThatThrownBy(() -> Checkpoint.parse(body)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageStartingWith("checkpoint line 1");
        assertThatThrownBy(() -> Checkpoint.of(broken, 1, new byte[32], 1))
                .isInstanceOf(CheckpointFormatException.class);
    }

    @Provide
    Arbitrary<Character> forbidden() {
        return Arbitraries.of(' ', '+', '\t', '\r', '\u000b', '\u000c', '\u0000', '\u001f', '\u007f', '\u0085',
                '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000');
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.MIXIN)
    void decimalsWithALeadingZeroOrSignAreRejected(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long n,
            @ForAll("prefixes") String prefix) {
        String body = Fixtures.ORIGIN + "\n" + prefix + n + "\n" + CheckpointParseTest.ROOT + "\ntime 1\n";
        assertThatThrownBy(() -> Checkpoint.parse(body)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageStartingWith("checkpoint line 2 (tree size): ");
        assertThat(Checkpoint.parse(Fixtures.ORIGIN + "\n" + n + "\n" + CheckpointParseTest.ROOT + "\ntime 1\n")
                .size()).isEqualTo(n);
    }

    @Provide
    Arbitrary<String> prefixes() {
        return Arbitraries.of("0", "00", "+", "-", " ", "+0");
    }

    @Property(tries = 500)
    void anyWriterIdGivesAValidOriginThatDecodesBackToIt(@ForAll String writerId) {
        String valid = new String(writerId.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        if (valid.isEmpty()) {
            return;
        }
        String origin = Checkpoint.trailOrigin(valid);
        assertThat(origin).startsWith(Checkpoint.ORIGIN_PREFIX);
        assertThat(Checkpoint.of(origin, 0, new byte[32], 0).origin()).isEqualTo(origin);
        assertThat(URLDecoder.decode(origin.substring(Checkpoint.ORIGIN_PREFIX.length()), StandardCharsets.UTF_8))
                .isEqualTo(valid);
    }
}
