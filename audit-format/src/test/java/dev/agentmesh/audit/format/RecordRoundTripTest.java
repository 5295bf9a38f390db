package dev.agentmesh.audit.format;

import static dev.agentmesh.audit.format.Trails.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/** Every record {@link RecordEncoder} writes decodes, via {@link AuditRecord#decode}, to the same field values. */
class RecordRoundTripTest {

    // ---------------------------------------------------------------- decisions

    @Property(tries = 400)
    void decisionRoundTrips(@ForAll("decisionTypes") RecordType type, @ForAll long seq, @ForAll long time,
            @ForAll @IntRange(min = 0, max = 3) int agentRing, @ForAll @IntRange(min = 0, max = 3) int requiredRing,
            @ForAll("text") String agentId, @ForAll("text") String sessionId, @ForAll("text") String className,
            @ForAll("text") String methodName, @ForAll("text") String descriptor, @ForAll("digests") byte[] args,
            @ForAll("text") String onBehalfOf, @ForAll("text") String vouchedBy, @ForAll("text") String framework,
            @ForAll("text") String tool, @ForAll("text") String invocationId) {
        RecordEncoder encoder = new RecordEncoder();
        encoder.decision(type, seq, time, agentRing, requiredRing, utf8(agentId), utf8(sessionId), utf8(className),
                utf8(methodName), utf8(descriptor), args, utf8(onBehalfOf), utf8(vouchedBy), utf8(framework),
                utf8(tool), utf8(invocationId));

        AuditRecord r = AuditRecord.decode(encoder.buffer(), 0, encoder.length());

        assertThat(r.version()).isEqualTo(TrailFormat.VERSION);
        assertThat(r.type()).isEqualTo(type);
        assertThat(r.seq()).isEqualTo(seq);
        assertThat(r.timeMillis()).isEqualTo(time);
        assertThat(r.agentRing()).isEqualTo(agentRing);
        assertThat(r.requiredRing()).isEqualTo(requiredRing);
        assertThat(r.agentId()).isEqualTo(agentId);
        assertThat(r.sessionId()).isEqualTo(sessionId);
        assertThat(r.className()).isEqualTo(className);
        assertThat(r.methodName()).isEqualTo(methodName);
        assertThat(r.descriptor()).isEqualTo(descriptor);
        assertThat(r.argsDigest()).isEqualTo(args);
        assertThat(r.onBehalfOf()).isEqualTo(onBehalfOf);
        assertThat(r.vouchedBy()).isEqualTo(vouchedBy);
        assertThat(r.framework()).isEqualTo(framework);
        assertThat(r.tool()).isEqualTo(tool);
        assertThat(r.invocationId()).isEqualTo(invocationId);
        assertThat(r.decision()).isEqualTo(type == RecordType.CALL_ALLOWED ? "ALLOW" : "DENY");
        // fields of other types are absent
        assertThat(r.writerId()).isEmpty();
        assertThat(r.policyDigest()).isNull();
        assertThat(r.policySource()).isEmpty();
        assertThat(r.callSeq()).isEqualTo(-1);
        assertThat(r.durationNanos()).isEqualTo(-1);
        assertThat(r.exceptionClass()).isEmpty();
        // the layout's length is fully determined by the fields
        assertThat(encoder.length()).isEqualTo(TrailFormat.HEADER_LENGTH + 2
                + 5 * 2 + utf8(agentId).length + utf8(sessionId).length + utf8(className).length
                + utf8(methodName).length + utf8(descriptor).length + TrailFormat.HASH_LENGTH
                + 2 * 2 + utf8(onBehalfOf).length + utf8(vouchedBy).length
                + 3 * 2 + utf8(framework).length + utf8(tool).length + utf8(invocationId).length);

        // the view reads the same, in place
        RecordView v = new RecordView().wrap(encoder.buffer(), 0, encoder.length());
        assertThat(v.text(RecordView.Text.ON_BEHALF_OF)).isEqualTo(onBehalfOf);
        assertThat(v.textLength(RecordView.Text.ON_BEHALF_OF)).isEqualTo(utf8(onBehalfOf).length);
        assertThat(v.text(RecordView.Text.VOUCHED_BY)).isEqualTo(vouchedBy);
        assertThat(v.textLength(RecordView.Text.VOUCHED_BY)).isEqualTo(utf8(vouchedBy).length);
        assertThat(v.text(RecordView.Text.FRAMEWORK)).isEqualTo(framework);
        assertThat(v.textLength(RecordView.Text.FRAMEWORK)).isEqualTo(utf8(framework).length);
        assertThat(v.text(RecordView.Text.TOOL)).isEqualTo(tool);
        assertThat(v.textLength(RecordView.Text.TOOL)).isEqualTo(utf8(tool).length);
        assertThat(v.text(RecordView.Text.INVOCATION_ID)).isEqualTo(invocationId);
        assertThat(v.textLength(RecordView.Text.INVOCATION_ID)).isEqualTo(utf8(invocationId).length);
    }

    @Property(tries = 200)
    void theShorterDecisionFormsWriteTheFieldsTheyLeaveOutEmpty(@ForAll("decisionTypes") RecordType type,
            @ForAll long seq, @ForAll("text") String agentId, @ForAll("digests") byte[] args,
            @ForAll("text") String onBehalfOf) {
        byte[] none = new byte[0];
        byte[] plain = new RecordEncoder().decision(type, seq, 7, 1, 2, utf8(agentId), none, utf8("C"),
                utf8("m"), utf8("()V"), args).toByteArray();
        byte[] plainInFull = new RecordEncoder().decision(type, seq, 7, 1, 2, utf8(agentId), none, utf8("C"),
                utf8("m"), utf8("()V"), args, none, none, none, none, none).toByteArray();
        assertThat(plain).isEqualTo(plainInFull);
        byte[] delegated = new RecordEncoder().decision(type, seq, 7, 1, 2, utf8(agentId), none, utf8("C"),
                utf8("m"), utf8("()V"), args, utf8(onBehalfOf), none).toByteArray();
        byte[] delegatedInFull = new RecordEncoder().decision(type, seq, 7, 1, 2, utf8(agentId), none, utf8("C"),
                utf8("m"), utf8("()V"), args, utf8(onBehalfOf), none, none, none, none).toByteArray();
        assertThat(delegated).isEqualTo(delegatedInFull);
        AuditRecord r = AuditRecord.decode(delegated, 0, delegated.length);
        assertThat(r.onBehalfOf()).isEqualTo(onBehalfOf);
        assertThat(r.vouchedBy()).isEmpty();
        assertThat(r.framework()).isEmpty();
        assertThat(r.tool()).isEmpty();
        assertThat(r.invocationId()).isEmpty();
    }

    // ---------------------------------------------------------------- version 1 and 2 records

    /**
     * A version 1 or 2 record (as an older run of the agent wrote it) still decodes: its layout is the current one
     * without the decision strings later versions appended, so a current record with those strings empty, their
     * length bytes dropped and the version byte set back is exactly what the older version wrote.
     */
    @Property(tries = 300)
    void version1And2RecordsStillDecode(@ForAll("anyRecord") Consumer<RecordEncoder> record,
            @ForAll @IntRange(min = 1, max = 2) int version) {
        RecordEncoder encoder = new RecordEncoder();
        record.accept(encoder);
        byte[] current = encoder.toByteArray();
        AuditRecord r3 = AuditRecord.decode(current, 0, current.length);
        net.jqwik.api.Assume.that(r3.framework().isEmpty() && r3.tool().isEmpty() && r3.invocationId().isEmpty()
                && (version == 2 || (r3.onBehalfOf().isEmpty() && r3.vouchedBy().isEmpty())));
        byte[] older = Trails.asVersion(current, version);

        AuditRecord r = AuditRecord.decode(older, 0, older.length);

        assertThat(r.version()).isEqualTo(version);
        List<Object> expected = new java.util.ArrayList<>(Trails.fields(r3));
        expected.set(0, version); // position of the version in Trails.fields
        assertThat(Trails.fields(r)).isEqualTo(expected);
    }

    @Example
    void aReusedViewForgetsTheDelegationAndFrameworkOfTheLastRecord() {
        byte[] full = Trails.deny(3);
        RecordView v = new RecordView();
        // After a record that has all five strings, an older one that lacks some: they read empty, not as before.
        for (int version : new int[] {2, 1}) {
            v.wrap(full, 0, full.length);
            assertThat(v.text(RecordView.Text.ON_BEHALF_OF)).isNotEmpty();
            assertThat(v.text(RecordView.Text.TOOL)).isEqualTo("delete_records");
            byte[] older = Trails.asVersion(Trails.allow(4), version);
            v.wrap(older, 0, older.length);
            assertThat(v.version()).isEqualTo(version);
            for (RecordView.Text field : List.of(RecordView.Text.ON_BEHALF_OF, RecordView.Text.VOUCHED_BY,
                    RecordView.Text.FRAMEWORK, RecordView.Text.TOOL, RecordView.Text.INVOCATION_ID)) {
                assertThat(v.textLength(field)).as("%s in version %d", field, version).isZero();
            }
        }
    }

    // ---------------------------------------------------------------- outcomes

    @Property(tries = 400)
    void outcomeRoundTrips(@ForAll("outcomeTypes") RecordType type, @ForAll long seq, @ForAll long time,
            @ForAll long callSeq, @ForAll long duration, @ForAll("text") String exceptionClass,
            @ForAll("text") String sessionId) {
        RecordEncoder encoder = new RecordEncoder();
        encoder.outcome(type, seq, time, callSeq, duration, utf8(exceptionClass), utf8(sessionId));

        AuditRecord r = AuditRecord.decode(encoder.buffer(), 0, encoder.length());

        assertThat(r.version()).isEqualTo(TrailFormat.VERSION);
        assertThat(r.type()).isEqualTo(type);
        assertThat(r.seq()).isEqualTo(seq);
        assertThat(r.timeMillis()).isEqualTo(time);
        assertThat(r.callSeq()).isEqualTo(callSeq);
        assertThat(r.durationNanos()).isEqualTo(duration);
        assertThat(r.exceptionClass()).isEqualTo(exceptionClass);
        assertThat(r.sessionId()).isEqualTo(sessionId);
        assertThat(r.decision()).isEqualTo(type.label());
        assertThat(r.agentRing()).isEqualTo(-1);
        assertThat(r.requiredRing()).isEqualTo(-1);
        assertThat(r.agentId()).isEmpty();
        assertThat(r.argsDigest()).isNull();
        assertThat(r.policyDigest()).isNull();
        assertThat(r.sessionEvent()).isNull();
        assertThat(r.className()).isEmpty();
        assertThat(encoder.length()).isEqualTo(TrailFormat.HEADER_LENGTH + 8 + 8 + 2 + utf8(exceptionClass).length
                + 2 + utf8(sessionId).length);

        // the view reads the same, in place
        RecordView v = new RecordView().wrap(encoder.buffer(), 0, encoder.length());
        assertThat(v.text(RecordView.Text.SESSION_ID)).isEqualTo(sessionId);
        assertThat(v.textLength(RecordView.Text.SESSION_ID)).isEqualTo(utf8(sessionId).length);
        assertThat(v.text(RecordView.Text.EXCEPTION_CLASS)).isEqualTo(exceptionClass);
        assertThat(v.digestOffset()).isEqualTo(-1);
    }

    // ---------------------------------------------------------------- session events

    @Property(tries = 400)
    void sessionEventRoundTrips(@ForAll long seq, @ForAll long time, @ForAll("text") String sessionId,
            @ForAll SessionEvent event, @ForAll("text") String agentId, @ForAll("sessionRings") int agentRing,
            @ForAll("text") String detail) {
        RecordEncoder encoder = new RecordEncoder();
        encoder.sessionEvent(seq, time, utf8(sessionId), event, utf8(agentId), agentRing, utf8(detail));

        AuditRecord r = AuditRecord.decode(encoder.buffer(), 0, encoder.length());

        assertThat(r.version()).isEqualTo(TrailFormat.VERSION);
        assertThat(r.type()).isEqualTo(RecordType.SESSION_EVENT);
        assertThat(r.seq()).isEqualTo(seq);
        assertThat(r.timeMillis()).isEqualTo(time);
        assertThat(r.sessionId()).isEqualTo(sessionId);
        assertThat(r.sessionEvent()).isEqualTo(event);
        assertThat(r.agentId()).isEqualTo(agentId);
        assertThat(r.agentRing()).isEqualTo(agentRing == TrailFormat.NO_RING ? -1 : agentRing);
        assertThat(r.detail()).isEqualTo(detail);
        assertThat(r.decision()).isEqualTo("SESSION");
        // fields of other types are absent
        assertThat(r.requiredRing()).isEqualTo(-1);
        assertThat(r.className()).isEmpty();
        assertThat(r.methodName()).isEmpty();
        assertThat(r.descriptor()).isEmpty();
        assertThat(r.argsDigest()).isNull();
        assertThat(r.policyDigest()).isNull();
        assertThat(r.writerId()).isEmpty();
        assertThat(r.callSeq()).isEqualTo(-1);
        assertThat(r.durationNanos()).isEqualTo(-1);
        assertThat(r.exceptionClass()).isEmpty();
        assertThat(encoder.length()).isEqualTo(TrailFormat.HEADER_LENGTH + 3 * 2 + utf8(sessionId).length + 1
                + utf8(agentId).length + 1 + utf8(detail).length);

        // the view reads the same, in place
        RecordView v = new RecordView().wrap(encoder.buffer(), 0, encoder.length());
        assertThat(v.sessionEvent()).isEqualTo(event);
        assertThat(v.agentRing()).isEqualTo(r.agentRing());
        assertThat(v.digestOffset()).isEqualTo(-1);
        assertThat(v.text(RecordView.Text.SESSION_ID)).isEqualTo(sessionId);
        assertThat(v.text(RecordView.Text.AGENT_ID)).isEqualTo(agentId);
        assertThat(v.text(RecordView.Text.DETAIL)).isEqualTo(detail);
    }

    @Example
    void otherTypesHaveNoSessionEventOrDetail() {
        for (byte[] b : List.of(Trails.genesis(0), Trails.allow(1), Trails.returned(2, 1), Trails.threw(3, 1))) {
            AuditRecord r = AuditRecord.decode(b, 0, b.length);
            assertThat(r.sessionEvent()).isNull();
            assertThat(r.detail()).isEmpty();
        }
    }

    @Example
    void aReusedViewForgetsTheSessionFieldsOfTheLastRecord() {
        byte[] session = Trails.session(6);
        byte[] allow = Trails.allow(7);
        RecordView v = new RecordView().wrap(session, 0, session.length);
        assertThat(v.sessionEvent()).isNotNull();
        v.wrap(allow, 0, allow.length);
        assertThat(v.sessionEvent()).isNull();
        assertThat(v.textLength(RecordView.Text.DETAIL)).isZero();
    }

    @Property(tries = 50)
    void rejectsUnknownSessionEvents(@ForAll byte code) {
        net.jqwik.api.Assume.that(Arrays.stream(SessionEvent.values()).noneMatch(e -> e.code() == code));
        byte[] bytes = new RecordEncoder().sessionEvent(1, 2, utf8("s"), SessionEvent.LEFT, utf8("a"), 1,
                new byte[0]).toByteArray();
        int eventAt = TrailFormat.HEADER_LENGTH + 2 + 1; // after sessionId "s"
        assertThat(bytes[eventAt]).isEqualTo(SessionEvent.LEFT.code());
        bytes[eventAt] = code;
        assertThatThrownBy(() -> AuditRecord.decode(bytes, 0, bytes.length))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("unknown session event " + code);
    }

    @Property(tries = 50)
    void sessionRingsOtherThanNoneReadAsStored(@ForAll @IntRange(min = 4, max = 254) int ring) {
        // the encoder refuses them, but a reader shows what the bytes say, as it does for a decision's ring
        byte[] bytes = new RecordEncoder().sessionEvent(1, 2, utf8("s"), SessionEvent.LEFT, utf8("a"), 1,
                new byte[0]).toByteArray();
        bytes[TrailFormat.HEADER_LENGTH + 2 + 1 + 1 + 2 + 1] = (byte) ring;
        assertThat(AuditRecord.decode(bytes, 0, bytes.length).agentRing()).isEqualTo(ring);
    }

    // ---------------------------------------------------------------- genesis

    @Property(tries = 400)
    void genesisRoundTrips(@ForAll long seq, @ForAll long time, @ForAll("text") String writerId,
            @ForAll("digests") byte[] policyDigest, @ForAll("text") String policySource) {
        RecordEncoder encoder = new RecordEncoder();
        encoder.genesis(seq, time, utf8(writerId), policyDigest, utf8(policySource));

        AuditRecord r = AuditRecord.decode(encoder.buffer(), 0, encoder.length());

        assertThat(r.version()).isEqualTo(TrailFormat.VERSION);
        assertThat(r.type()).isEqualTo(RecordType.GENESIS);
        assertThat(r.seq()).isEqualTo(seq);
        assertThat(r.timeMillis()).isEqualTo(time);
        assertThat(r.writerId()).isEqualTo(writerId);
        assertThat(r.policyDigest()).isEqualTo(policyDigest);
        assertThat(r.policySource()).isEqualTo(policySource);
        assertThat(r.agentRing()).isEqualTo(-1);
        assertThat(r.callSeq()).isEqualTo(-1);
        assertThat(r.argsDigest()).isNull();
        assertThat(encoder.length()).isEqualTo(TrailFormat.HEADER_LENGTH + 2 + utf8(writerId).length
                + TrailFormat.HASH_LENGTH + 2 + utf8(policySource).length);
    }

    // ---------------------------------------------------------------- decoding at an offset, copies

    @Property(tries = 200)
    void decodesAtAnOffsetInsideALargerBuffer(@ForAll @IntRange(min = 0, max = 64) int before,
            @ForAll @IntRange(min = 0, max = 64) int after, @ForAll long seq, @ForAll("text") String agentId) {
        byte[] record = new RecordEncoder().decision(RecordType.CALL_DENIED, seq, 5, 3, 0, utf8(agentId),
                new byte[0], utf8("C"), utf8("m"), utf8("()V"), Trails.filled(7)).toByteArray();
        byte[] buf = new byte[before + record.length + after];
        Arrays.fill(buf, (byte) 0xEE);
        System.arraycopy(record, 0, buf, before, record.length);

        AuditRecord r = AuditRecord.decode(buf, before, record.length);

        assertThat(r.seq()).isEqualTo(seq);
        assertThat(r.agentId()).isEqualTo(agentId);
        assertThat(r.agentRing()).isEqualTo(3);
        assertThat(r.requiredRing()).isEqualTo(0);
    }

    @Example
    void digestAccessorsReturnCopies() {
        byte[] digest = Trails.filled(0x42);
        byte[] bytes = new RecordEncoder().genesis(0, 0, utf8("w"), digest, utf8("p")).toByteArray();
        AuditRecord r = AuditRecord.decode(bytes, 0, bytes.length);
        r.policyDigest()[0] = 0;
        assertThat(r.policyDigest()).isEqualTo(Trails.filled(0x42));

        byte[] dec = Trails.allow(5);
        AuditRecord d = AuditRecord.decode(dec, 0, dec.length);
        d.argsDigest()[0] = 9;
        assertThat(d.argsDigest()).isEqualTo(Trails.filled(5));
    }

    // ---------------------------------------------------------------- patchSeq

    @Property(tries = 300)
    void patchSeqChangesOnlyTheSeq(@ForAll("anyRecord") Consumer<RecordEncoder> record, @ForAll long newSeq) {
        RecordEncoder encoder = new RecordEncoder();
        record.accept(encoder);
        byte[] before = encoder.toByteArray();
        AuditRecord original = AuditRecord.decode(before, 0, before.length);

        encoder.patchSeq(newSeq);
        byte[] after = encoder.toByteArray();
        AuditRecord patched = AuditRecord.decode(after, 0, after.length);

        assertThat(encoder.length()).isEqualTo(before.length);
        assertThat(patched.seq()).isEqualTo(newSeq);
        // only bytes 2..9 (the big-endian seq) may differ
        assertThat(Arrays.copyOfRange(after, 0, 2)).isEqualTo(Arrays.copyOfRange(before, 0, 2));
        assertThat(Arrays.copyOfRange(after, 10, after.length))
                .isEqualTo(Arrays.copyOfRange(before, 10, before.length));
        assertThat(Arrays.copyOfRange(after, 2, 10)).isEqualTo(bigEndian(newSeq));
        // and every decoded field but the seq is unchanged
        List<Object> expected = new java.util.ArrayList<>(Trails.fields(original));
        expected.set(2, newSeq); // position of seq in Trails.fields
        assertThat(Trails.fields(patched)).isEqualTo(expected);
    }

    @Property(tries = 200)
    void patchSeqThenEncodingAgainWithThatSeqGivesTheSameBytes(@ForAll long seq, @ForAll long time,
            @ForAll("text") String agent) {
        RecordEncoder patchedLater = new RecordEncoder();
        patchedLater.decision(RecordType.CALL_ALLOWED, 0, time, 1, 1, utf8(agent), utf8("s"), utf8("C"), utf8("m"),
                utf8("()V"), Trails.filled(3));
        patchedLater.patchSeq(seq);
        RecordEncoder direct = new RecordEncoder();
        direct.decision(RecordType.CALL_ALLOWED, seq, time, 1, 1, utf8(agent), utf8("s"), utf8("C"), utf8("m"),
                utf8("()V"), Trails.filled(3));
        assertThat(patchedLater.toByteArray()).isEqualTo(direct.toByteArray());
    }

    // ---------------------------------------------------------------- encoder reuse

    @Property(tries = 200)
    void aReusedEncoderEncodesLikeAFreshOne(@ForAll("recordLists") List<Consumer<RecordEncoder>> records) {
        RecordEncoder reused = new RecordEncoder();
        for (Consumer<RecordEncoder> record : records) {
            record.accept(reused);
            RecordEncoder fresh = new RecordEncoder();
            record.accept(fresh);
            assertThat(reused.length()).isEqualTo(fresh.length());
            assertThat(reused.toByteArray()).isEqualTo(fresh.toByteArray());
            assertThat(Arrays.copyOf(reused.buffer(), reused.length())).isEqualTo(fresh.toByteArray());
        }
    }

    // ---------------------------------------------------------------- string length limit

    @Property(tries = 12)
    void stringsUpToTheLimitRoundTrip(@ForAll("codePoints") int codePoint) {
        String max = fill(codePoint, TrailFormat.MAX_STRING_BYTES);
        assertThat(utf8(max).length).isLessThanOrEqualTo(TrailFormat.MAX_STRING_BYTES)
                .isGreaterThan(TrailFormat.MAX_STRING_BYTES - 4);

        RecordEncoder encoder = new RecordEncoder();
        byte[] m = Utf8.encode(max);
        encoder.decision(RecordType.CALL_ALLOWED, 1, 2, 0, 0, m, m, m, m, m, Trails.filled(1), m, m, m, m, m);
        AuditRecord r = AuditRecord.decode(encoder.buffer(), 0, encoder.length());
        assertThat(r.agentId()).isEqualTo(max);
        assertThat(r.sessionId()).isEqualTo(max);
        assertThat(r.className()).isEqualTo(max);
        assertThat(r.methodName()).isEqualTo(max);
        assertThat(r.descriptor()).isEqualTo(max);
        assertThat(r.onBehalfOf()).isEqualTo(max);
        assertThat(r.vouchedBy()).isEqualTo(max);
        assertThat(r.framework()).isEqualTo(max);
        assertThat(r.tool()).isEqualTo(max);
        assertThat(r.invocationId()).isEqualTo(max);
    }

    @Example
    void theLongestDecisionFitsTheQueuesBound() {
        // A decision with every string at the limit is the longest record there is: ten strings. The agent writes
        // far shorter framework, tool and invocation ids, but a reader takes any that fit the record.
        byte[] m = "x".repeat(TrailFormat.MAX_STRING_BYTES).getBytes(StandardCharsets.UTF_8);
        RecordEncoder encoder = new RecordEncoder();
        encoder.decision(RecordType.CALL_DENIED, 1, 2, 0, 0, m, m, m, m, m, Trails.filled(1), m, m, m, m, m);
        assertThat(encoder.length()).isEqualTo(TrailFormat.HEADER_LENGTH + 2 + 10 * (2 + TrailFormat.MAX_STRING_BYTES)
                + TrailFormat.HASH_LENGTH);
        assertThat(encoder.length() + TrailFormat.HASH_LENGTH).isLessThanOrEqualTo(TrailQueue.MAX_STORED_LENGTH);
        assertThat(AuditRecord.decode(encoder.buffer(), 0, encoder.length()).invocationId()).hasSize(m.length);
        assertThat(encoder.length() + TrailFormat.HASH_LENGTH).isLessThanOrEqualTo(TrailQueue.MAX_STORED_LENGTH);
        encoder.sagaEvent(1, 2, m, m, SagaEvent.STEP_FAILED, m, m, 1, 5, m, m);
        assertThat(encoder.length() + TrailFormat.HASH_LENGTH).isLessThanOrEqualTo(TrailQueue.MAX_STORED_LENGTH);
    }

    @Example
    void exactlyTheLimitIsAccepted() {
        String ascii = "x".repeat(TrailFormat.MAX_STRING_BYTES);
        String threeByte = "\u20AC".repeat(TrailFormat.MAX_STRING_BYTES / 3); // 21845 * 3 = 65535
        for (String s : List.of(ascii, threeByte)) {
            assertThat(Utf8.encode(s)).hasSize(TrailFormat.MAX_STRING_BYTES);
            byte[] bytes = new RecordEncoder()
                    .outcome(RecordType.CALL_THREW, 0, 0, 0, 0, Utf8.encode(s), Utf8.encode(s)).toByteArray();
            assertThat(bytes).hasSize(TrailFormat.HEADER_LENGTH + 16 + 2 * (2 + TrailFormat.MAX_STRING_BYTES));
            // each length prefix is the unsigned 16-bit 0xFFFF
            int second = TrailFormat.HEADER_LENGTH + 16 + 2 + TrailFormat.MAX_STRING_BYTES;
            for (int at : new int[] {TrailFormat.HEADER_LENGTH + 16, second}) {
                assertThat(bytes[at]).isEqualTo((byte) 0xFF);
                assertThat(bytes[at + 1]).isEqualTo((byte) 0xFF);
            }
            AuditRecord r = AuditRecord.decode(bytes, 0, bytes.length);
            assertThat(r.exceptionClass()).isEqualTo(s);
            assertThat(r.sessionId()).isEqualTo(s);
        }
    }

    @Property(tries = 12)
    void aStringOverTheLimitIsRejected(@ForAll("codePoints") int codePoint,
            @ForAll @IntRange(min = 0, max = 16) int field) {
        String tooLong = fill(codePoint, TrailFormat.MAX_STRING_BYTES) + new String(Character.toChars(codePoint));
        byte[] raw = tooLong.getBytes(StandardCharsets.UTF_8);
        assertThat(raw.length).isGreaterThan(TrailFormat.MAX_STRING_BYTES);

        assertThatThrownBy(() -> Utf8.encode(tooLong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(TrailFormat.MAX_STRING_BYTES));

        byte[] ok = utf8("ok");
        byte[][] s = {ok, ok, ok, ok, ok, ok, ok, ok, ok, ok, ok, ok, ok, ok, ok, ok, ok};
        s[field] = raw;
        RecordEncoder encoder = new RecordEncoder();
        assertThatThrownBy(() -> {
            if (field < 5 || field >= 12) {
                encoder.decision(RecordType.CALL_ALLOWED, 0, 0, 0, 0, s[0], s[1], s[2], s[3], s[4], Trails.filled(0),
                        s[12], s[13], s[14], s[15], s[16]);
            } else if (field < 7) {
                encoder.outcome(RecordType.CALL_RETURNED, 0, 0, 0, 0, s[5], s[6]);
            } else if (field < 9) {
                encoder.genesis(0, 0, s[7], Trails.filled(0), s[8]);
            } else {
                encoder.sessionEvent(0, 0, s[9], SessionEvent.JOINED, s[10], 1, s[11]);
            }
        }).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(TrailFormat.MAX_STRING_BYTES));
    }

    @Example
    void oneByteOverTheLimitIsRejected() {
        String s = "y".repeat(TrailFormat.MAX_STRING_BYTES + 1);
        assertThatThrownBy(() -> Utf8.encode(s)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecordEncoder().genesis(0, 0, s.getBytes(StandardCharsets.UTF_8),
                Trails.filled(0), new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void utf8EncodesNullAsEmpty() {
        assertThat(Utf8.encode(null)).isEmpty();
        assertThat(Utf8.encode("")).isEmpty();
        assertThat(Utf8.encode("h\u00e9\uD83D\uDE00")).isEqualTo(new byte[] {'h', (byte) 0xC3, (byte) 0xA9,
                (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80});
    }

    // ---------------------------------------------------------------- argument validation

    @Example
    void rejectsTypesThatDoNotFitTheMethod() {
        RecordEncoder e = new RecordEncoder();
        for (RecordType t : RecordType.values()) {
            if (!t.isDecision()) {
                assertThatThrownBy(() -> e.decision(t, 0, 0, 0, 0, new byte[0], new byte[0], new byte[0],
                        new byte[0], new byte[0], Trails.filled(0))).isInstanceOf(IllegalArgumentException.class);
            }
            if (!t.isOutcome()) {
                assertThatThrownBy(() -> e.outcome(t, 0, 0, 0, 0, new byte[0], new byte[0]))
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
    }

    @Property(tries = 100)
    void sessionEventRejectsRingsOtherThan0To3Or255(@ForAll int ring) {
        net.jqwik.api.Assume.that((ring < 0 || ring > 3) && ring != TrailFormat.NO_RING);
        assertThatThrownBy(() -> new RecordEncoder().sessionEvent(0, 0, new byte[0], SessionEvent.CREATED,
                new byte[0], ring, new byte[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ring must be 0..3, or 255 for none");
    }

    @Example
    void sessionEventRejectsAMissingEvent() {
        assertThatThrownBy(() -> new RecordEncoder().sessionEvent(0, 0, new byte[0], null, new byte[0], 0,
                new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 20)
    void rejectsDigestsThatAreNot32Bytes(@ForAll @IntRange(min = 0, max = 64) int n) {
        net.jqwik.api.Assume.that(n != TrailFormat.HASH_LENGTH);
        byte[] bad = new byte[n];
        assertThatThrownBy(() -> new RecordEncoder().genesis(0, 0, new byte[0], bad, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecordEncoder().decision(RecordType.CALL_DENIED, 0, 0, 0, 0, new byte[0],
                new byte[0], new byte[0], new byte[0], new byte[0], bad)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- decoder rejects malformed input

    @Property(tries = 200)
    void everyProperPrefixIsRejected(@ForAll("anyRecord") Consumer<RecordEncoder> record,
            @ForAll @IntRange(min = 0, max = 10_000) int cut) {
        RecordEncoder encoder = new RecordEncoder();
        record.accept(encoder);
        int length = cut % encoder.length(); // 0 .. length-1
        assertThatThrownBy(() -> AuditRecord.decode(encoder.buffer(), 0, length))
                .isInstanceOf(MalformedRecordException.class);
    }

    @Property(tries = 100)
    void trailingBytesAreRejected(@ForAll("anyRecord") Consumer<RecordEncoder> record,
            @ForAll @IntRange(min = 1, max = 40) int extra) {
        RecordEncoder encoder = new RecordEncoder();
        record.accept(encoder);
        byte[] longer = Arrays.copyOf(encoder.toByteArray(), encoder.length() + extra);
        assertThatThrownBy(() -> AuditRecord.decode(longer, 0, longer.length))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("unexpected bytes");
    }

    @Example
    void rejectsBoundsOutsideTheBuffer() {
        byte[] r = Trails.allow(1);
        assertThatThrownBy(() -> AuditRecord.decode(r, -1, r.length)).isInstanceOf(MalformedRecordException.class);
        assertThatThrownBy(() -> AuditRecord.decode(r, 0, -1)).isInstanceOf(MalformedRecordException.class);
        assertThatThrownBy(() -> AuditRecord.decode(r, 1, r.length)).isInstanceOf(MalformedRecordException.class);
        assertThatThrownBy(() -> AuditRecord.decode(r, 0, r.length + 1))
                .isInstanceOf(MalformedRecordException.class);
    }

    @Property(tries = 50)
    void rejectsUnsupportedVersions(@ForAll("anyRecord") Consumer<RecordEncoder> record, @ForAll byte version) {
        net.jqwik.api.Assume.that(version < TrailFormat.OLDEST_READABLE_VERSION || version > TrailFormat.VERSION);
        RecordEncoder encoder = new RecordEncoder();
        record.accept(encoder);
        byte[] bytes = encoder.toByteArray();
        bytes[0] = version;
        assertThatThrownBy(() -> AuditRecord.decode(bytes, 0, bytes.length))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("version");
    }

    @Property(tries = 50)
    void rejectsUnknownTypes(@ForAll("anyRecord") Consumer<RecordEncoder> record, @ForAll byte type) {
        net.jqwik.api.Assume.that(type < 1 || type > 8);
        RecordEncoder encoder = new RecordEncoder();
        record.accept(encoder);
        byte[] bytes = encoder.toByteArray();
        bytes[1] = type;
        assertThatThrownBy(() -> AuditRecord.decode(bytes, 0, bytes.length))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("unknown record type");
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<RecordType> decisionTypes() {
        return Arbitraries.of(RecordType.CALL_ALLOWED, RecordType.CALL_DENIED);
    }

    @Provide
    Arbitrary<RecordType> outcomeTypes() {
        return Arbitraries.of(RecordType.CALL_RETURNED, RecordType.CALL_THREW);
    }

    /** The rings a SESSION record may carry: 0..3, or none. */
    @Provide
    Arbitrary<Integer> sessionRings() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 3), Arbitraries.just(TrailFormat.NO_RING));
    }

    /** Any Unicode scalar value (no lone surrogates: those have no UTF-8 form), biased to ASCII. */
    @Provide
    Arbitrary<Integer> codePoints() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(1, Arbitraries.integers().between(0, 0x7FF)),
                Tuple.of(2, Arbitraries.integers().between(0x800, 0xD7FF)),
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)));
    }

    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> shortText = codePoints().list().ofMaxSize(40).map(RecordRoundTripTest::ofCodePoints);
        Arbitrary<String> longText = codePoints().list().ofMinSize(100).ofMaxSize(600)
                .map(RecordRoundTripTest::ofCodePoints);
        return Arbitraries.frequencyOf(Tuple.of(9, shortText), Tuple.of(1, longText));
    }

    @Provide
    Arbitrary<byte[]> digests() {
        return Arbitraries.bytes().array(byte[].class).ofSize(TrailFormat.HASH_LENGTH);
    }

    /** An action that encodes one arbitrary record of any type. */
    @Provide
    Arbitrary<Consumer<RecordEncoder>> anyRecord() {
        Arbitrary<Long> longs = Arbitraries.longs();
        Arbitrary<byte[]> str = text().map(Trails::utf8);
        Arbitrary<Integer> ring = Arbitraries.integers().between(0, 3);
        Arbitrary<Consumer<RecordEncoder>> genesis = net.jqwik.api.Combinators
                .combine(longs, longs, str, digests(), str)
                .as((seq, time, w, d, p) -> e -> e.genesis(seq, time, w, d, p));
        // Delegation and framework are often empty, as for a plain call of an agent acting for itself, vouched for
        // by no one.
        Arbitrary<byte[]> optional = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(new byte[0])),
                Tuple.of(1, str));
        Arbitrary<Consumer<RecordEncoder>> decision = net.jqwik.api.Combinators
                .combine(decisionTypes(), longs, longs, ring, ring, str.list().ofSize(5), digests(),
                        optional.list().ofSize(5))
                .as((type, seq, time, held, req, s, d, o) -> e -> e.decision(type, seq, time, held, req, s.get(0),
                        s.get(1), s.get(2), s.get(3), s.get(4), d, o.get(0), o.get(1), o.get(2), o.get(3), o.get(4)));
        Arbitrary<Consumer<RecordEncoder>> outcome = net.jqwik.api.Combinators
                .combine(outcomeTypes(), longs, longs, longs, longs, str, str)
                .as((type, seq, time, call, dur, ex, sid) -> e -> e.outcome(type, seq, time, call, dur, ex, sid));
        Arbitrary<Consumer<RecordEncoder>> session = net.jqwik.api.Combinators
                .combine(longs, longs, str, Arbitraries.of(SessionEvent.class), str, sessionRings(), str)
                .as((seq, time, id, event, agent, held, detail) -> e -> e.sessionEvent(seq, time, id, event, agent,
                        held, detail));
        Arbitrary<Consumer<RecordEncoder>> saga = net.jqwik.api.Combinators
                .combine(longs, longs, str.list().ofSize(6), Arbitraries.of(SagaEvent.class),
                        Arbitraries.integers().between(0, 255), longs)
                .as((seq, time, s, event, attempt, dur) -> e -> e.sagaEvent(seq, time, s.get(0), s.get(1), event,
                        s.get(2), s.get(3), attempt, dur, s.get(4), s.get(5)));
        Arbitrary<Consumer<RecordEncoder>> control = net.jqwik.api.Combinators
                .combine(longs, longs, Arbitraries.of(ControlEvent.class), str.list().ofSize(4))
                .as((seq, time, event, s) -> e -> e.control(seq, time, event, s.get(0), s.get(1), s.get(2),
                        s.get(3)));
        return Arbitraries.oneOf(genesis, decision, outcome, session, saga, control);
    }

    @Provide
    Arbitrary<List<Consumer<RecordEncoder>>> recordLists() {
        return anyRecord().list().ofMinSize(1).ofMaxSize(8);
    }

    // ---------------------------------------------------------------- helpers

    private static String ofCodePoints(List<Integer> cps) {
        StringBuilder sb = new StringBuilder();
        for (int cp : cps) {
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    /** The longest repetition of the code point whose UTF-8 form fits in {@code maxBytes}. */
    private static String fill(int codePoint, int maxBytes) {
        String one = new String(Character.toChars(codePoint));
        int each = one.getBytes(StandardCharsets.UTF_8).length;
        return one.repeat(maxBytes / each);
    }

    private static byte[] bigEndian(long v) {
        return java.nio.ByteBuffer.allocate(8).putLong(v).array();
    }
}
