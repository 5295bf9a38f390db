package dev.agentmesh.reader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.RecordView;
import dev.agentmesh.audit.format.SagaEvent;
import dev.agentmesh.audit.format.SessionEvent;
import dev.agentmesh.audit.format.TrailFormat;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * The fast export paths, which write from the record's bytes in place, produce exactly what the generic, decoded
 * path produces ({@link FieldsFormat} over {@link RecordField}), for any record of any type, SESSION, SAGA and
 * CONTROL included: any text, including non-ASCII, invalid UTF-8, quotes, commas and control characters, and any time.
 */
class FastFormatsPropertiesTest {

    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final List<RecordField> ALL = List.of(RecordField.values());
    private static final List<RecordField> CSV_COLUMNS = RecordField.parse(
            CsvFormat.HEADER.substring(0, CsvFormat.HEADER.length() - Csv.ROW_END.length()));

    @Property(tries = 2000)
    void isoTimeMatchesTheFormatterNearTheEpoch(@ForAll @LongRange(min = -5_000_000_000_000L,
            max = 5_000_000_000_000L) long millis) {
        assertThat(IsoTime.of(millis)).isEqualTo(REFERENCE.format(Instant.ofEpochMilli(millis)));
    }

    @Property(tries = 2000)
    void isoTimeMatchesTheFormatterForAnyMillis(@ForAll long millis) {
        assertThat(IsoTime.of(millis)).isEqualTo(REFERENCE.format(Instant.ofEpochMilli(millis)));
    }

    @Property
    void isoTimeMatchesTheFormatterAtTheEdgesOfFourDigitYears(@ForAll("yearEdges") long millis) {
        assertThat(IsoTime.of(millis)).isEqualTo(REFERENCE.format(Instant.ofEpochMilli(millis)));
    }

    @Property(tries = 2000)
    void numbersAreWhatLongToStringGives(@ForAll long value) {
        assertThat(new LineBuffer(1).append(value).toString()).isEqualTo(Long.toString(value));
        assertThat(new LineBuffer(1).append(Long.MIN_VALUE).append(0L).append(Long.MAX_VALUE).toString())
                .isEqualTo(Long.MIN_VALUE + "0" + Long.MAX_VALUE);
    }

    @Property(tries = 2000)
    void jsonFromBytesEqualsJsonFromTheDecodedString(@ForAll("text") byte[] utf8) {
        LineBuffer fromBytes = new LineBuffer();
        Json.quote(utf8, 0, utf8.length, fromBytes);
        LineBuffer fromString = new LineBuffer();
        Json.quote(new String(utf8, StandardCharsets.UTF_8), fromString);
        assertThat(fromBytes.toString()).isEqualTo(fromString.toString());
    }

    @Property(tries = 2000)
    void csvFromBytesEqualsCsvFromTheDecodedString(@ForAll("text") byte[] utf8) {
        String fromBytes = new Csv().field(utf8, 0, utf8.length).end();
        assertThat(fromBytes).isEqualTo(new Csv().field(new String(utf8, StandardCharsets.UTF_8)).end());
    }

    @Property(tries = 1000)
    void jsonlEqualsEveryFieldThroughTheDecodedRecord(@ForAll("records") byte[] stored) {
        assertThat(line(new JsonlFormat(), stored)).isEqualTo(line(new FieldsFormat(false, ALL), stored));
    }

    @Property(tries = 1000)
    void csvEqualsItsColumnsThroughTheDecodedRecord(@ForAll("records") byte[] stored) {
        assertThat(line(new CsvFormat(), stored)).isEqualTo(line(new FieldsFormat(true, CSV_COLUMNS), stored));
    }

    private static String line(RecordFormat format, byte[] stored) {
        int canonical = stored.length - TrailFormat.HASH_LENGTH;
        RecordView view = new RecordView().wrap(stored, 0, canonical);
        LineBuffer out = new LineBuffer(4).append("prefix the format must keep:");
        format.append(new VerifiedRecord().set(view, stored, stored.length), out);
        assertThat(out.toString()).startsWith("prefix the format must keep:");
        return out.toString().substring("prefix the format must keep:".length());
    }

    @Provide
    Arbitrary<Long> yearEdges() {
        long y0 = -62_167_219_200_000L;
        long y10000 = 253_402_300_800_000L;
        return Arbitraries.of(y0 - 1, y0, y0 + 1, y10000 - 1, y10000, y10000 + 1, 0L, -1L, 951_782_400_000L,
                4_107_542_400_000L, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Provide
    Arbitrary<byte[]> text() {
        Arbitrary<byte[]> ascii = Arbitraries.strings().withCharRange('\u0000', '\u007f').ofMaxLength(40)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> unicode = Arbitraries.strings().all().ofMaxLength(20)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(40);
        return Arbitraries.oneOf(ascii, unicode, raw);
    }

    @Provide
    Arbitrary<byte[]> records() {
        Arbitrary<byte[]> text = text();
        Arbitrary<byte[]> digest = Arbitraries.bytes().array(byte[].class).ofSize(32);
        Arbitrary<Long> any = Arbitraries.longs();
        Arbitrary<Integer> ring = Arbitraries.integers().between(0, 3);
        Arbitrary<byte[]> genesis = Combinators.combine(any, any, text, digest, text)
                .as((seq, time, writer, policy, source) -> new RecordEncoder()
                        .genesis(seq, time, writer, policy, source).toByteArray());
        Arbitrary<byte[]> decision = Combinators.combine(Arbitraries.of(RecordType.CALL_ALLOWED,
                        RecordType.CALL_DENIED), any, any, ring, ring, text, text, text)
                .as((type, seq, time, held, needed, agent, session, cls) -> new RecordEncoder()
                        .decision(type, seq, time, held, needed, agent, session, cls,
                                Arrays.copyOf(cls, cls.length / 2), Arrays.copyOfRange(agent, agent.length / 2,
                                        agent.length), Arrays.copyOf(session, 32))
                        .toByteArray());
        Arbitrary<byte[]> maybeEmpty = Arbitraries.oneOf(text, Arbitraries.just(new byte[0]));
        Arbitrary<byte[]> outcome = Combinators.combine(Arbitraries.of(RecordType.CALL_RETURNED,
                        RecordType.CALL_THREW), any, any, any, any, text, maybeEmpty)
                .as((type, seq, time, call, nanos, thrown, session) -> new RecordEncoder()
                        .outcome(type, seq, time, call, nanos, thrown, session).toByteArray());
        Arbitrary<Integer> ringOrNone = Arbitraries.oneOf(ring, Arbitraries.just(TrailFormat.NO_RING));
        Arbitrary<byte[]> session = Combinators.combine(any, any, text, Arbitraries.of(SessionEvent.class),
                        maybeEmpty, ringOrNone, maybeEmpty)
                .as((seq, time, id, event, agent, held, detail) -> new RecordEncoder()
                        .sessionEvent(seq, time, id, event, agent, held, detail).toByteArray());
        // SAGA: texts [session, sagaId, agent, step, detail, data]; attempts 0 (saga-level), 1 (the usual one) or
        // up to 255; durations -1 (no attempt's outcome), 0 or any.
        Arbitrary<byte[][]> sagaTexts = Combinators.combine(maybeEmpty, text, maybeEmpty, maybeEmpty, maybeEmpty,
                maybeEmpty).as((s, id, agent, step, detail, data) -> new byte[][] {s, id, agent, step, detail, data});
        Arbitrary<Integer> attempt = Arbitraries.oneOf(Arbitraries.of(0, 1), Arbitraries.integers().between(1, 255));
        Arbitrary<Long> duration = Arbitraries.oneOf(Arbitraries.of(-1L, 0L), any);
        Arbitrary<byte[]> saga = Combinators.combine(any, any, sagaTexts, Arbitraries.of(SagaEvent.class), attempt,
                        duration)
                .as((seq, time, t, event, tries, nanos) -> new RecordEncoder()
                        .sagaEvent(seq, time, t[0], t[1], event, t[2], t[3], tries, nanos, t[4], t[5]).toByteArray());
        // CONTROL: a subject as the kill switch writes it, or any text; actor, reason and detail possibly empty.
        Arbitrary<byte[]> subject = Arbitraries.oneOf(text, Arbitraries.of("all", "agent:researcher-1", "session:s-1")
                .map(s -> s.getBytes(StandardCharsets.UTF_8)));
        Arbitrary<byte[]> control = Combinators.combine(any, any, Arbitraries.of(ControlEvent.class), subject,
                        maybeEmpty, maybeEmpty, maybeEmpty)
                .as((seq, time, event, what, actor, reason, detail) -> new RecordEncoder()
                        .control(seq, time, event, what, actor, reason, detail).toByteArray());
        return Combinators.combine(Arbitraries.oneOf(genesis, decision, outcome, session, saga, control), digest)
                .as((canonical, hash) -> {
                    byte[] stored = Arrays.copyOf(canonical, canonical.length + hash.length);
                    System.arraycopy(hash, 0, stored, canonical.length, hash.length);
                    return stored;
                });
    }
}
