package dev.agentmesh.audit.format;

import static dev.agentmesh.audit.format.Trails.allow;
import static dev.agentmesh.audit.format.Trails.canonicalTrail;
import static dev.agentmesh.audit.format.Trails.deny;
import static dev.agentmesh.audit.format.Trails.genesis;
import static dev.agentmesh.audit.format.Trails.returned;
import static dev.agentmesh.audit.format.Trails.session;
import static dev.agentmesh.audit.format.Trails.store;
import static dev.agentmesh.audit.format.Trails.threw;
import static dev.agentmesh.audit.format.Trails.verify;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each way a trail can be broken is caught, at the right record. */
class ChainVerifierTest {

    // ---------------------------------------------------------------- valid trails

    @Test
    void acceptsAValidTrailOfManyRecords() {
        List<byte[]> canonical = canonicalTrail(2_000);
        List<byte[]> stored = store(canonical);

        Trails.Run run = verify(stored);

        assertThat(run.failure).isNull();
        assertThat(run.verifier.count()).isEqualTo(2_000);
        assertThat(run.verifier.headHash()).isEqualTo(Trails.head(stored));
        assertThat(run.accepted).hasSize(2_000);
        for (int i = 0; i < run.accepted.size(); i++) {
            AuditRecord r = run.accepted.get(i);
            assertThat(r.seq()).isEqualTo(i);
            AuditRecord expected = AuditRecord.decode(canonical.get(i), 0, canonical.get(i).length);
            assertThat(Trails.fields(r)).isEqualTo(Trails.fields(expected));
        }
        assertThat(run.accepted).extracting(AuditRecord::type).contains(RecordType.values());
    }

    @Test
    void headHashIsChainOfAllPreviousHashes() throws ChainBreak {
        List<byte[]> stored = store(canonicalTrail(6));
        ChainVerifier v = new ChainVerifier();
        byte[] previous = new byte[32];
        for (byte[] s : stored) {
            v.accept(s, s.length);
            byte[] expected = Trails.sha256(previous, Trails.canonicalOf(s));
            assertThat(v.headHash()).isEqualTo(expected);
            previous = expected;
        }
        assertThat(v.count()).isEqualTo(6);
    }

    @Test
    void freshVerifierHasZeroCountAndZeroHead() {
        ChainVerifier v = new ChainVerifier();
        assertThat(v.count()).isZero();
        assertThat(v.headHash()).isEqualTo(TrailFormat.zeroHash());
    }

    @Test
    void headHashIsACopy() throws ChainBreak {
        byte[] s = store(List.of(genesis(0))).get(0);
        ChainVerifier v = new ChainVerifier();
        v.accept(s, s.length);
        byte[] head = v.headHash();
        Arrays.fill(head, (byte) 0);
        assertThat(v.headHash()).isEqualTo(Trails.head(List.of(s)));
    }

    @Test
    void aLaterGenesisStartsANewWriterRunOnTheSameChain() {
        List<byte[]> canonical = new ArrayList<>(canonicalTrail(4));
        canonical.add(genesis(4));
        canonical.add(allow(5));
        canonical.add(returned(6, 5));
        Trails.Run run = verify(store(canonical));
        assertThat(run.failure).isNull();
        assertThat(run.verifier.count()).isEqualTo(7);
    }

    @Test
    void anOutcomeMayCloseAnyEarlierCallNotJustTheLatest() {
        List<byte[]> canonical = List.of(genesis(0), allow(1), allow(2), allow(3), returned(4, 1), threw(5, 3),
                returned(6, 2));
        Trails.Run run = verify(store(canonical));
        assertThat(run.failure).isNull();
        assertThat(run.accepted).extracting(AuditRecord::callSeq).containsExactly(-1L, -1L, -1L, -1L, 1L, 3L, 2L);
    }

    // ---------------------------------------------------------------- SESSION records

    private static byte[] sessionEvent(long seq, SessionEvent event, String agent, int ring, String detail) {
        return new RecordEncoder().sessionEvent(seq, Trails.T0 + seq, Trails.utf8("s-1"), event, Trails.utf8(agent),
                ring, Trails.utf8(detail)).toByteArray();
    }

    @Test
    void sessionRecordsVerifyBetweenACallAndItsOutcome() {
        List<byte[]> canonical = List.of(genesis(0),
                sessionEvent(1, SessionEvent.CREATED, "", TrailFormat.NO_RING, "EVENTUAL, max 5 participants"),
                sessionEvent(2, SessionEvent.JOINED, "agent-2", 2, ""), allow(3),
                sessionEvent(4, SessionEvent.CHECKPOINT, "", TrailFormat.NO_RING, "cp-1"), returned(5, 3),
                sessionEvent(6, SessionEvent.LEFT, "agent-2", 2, ""),
                sessionEvent(7, SessionEvent.TERMINATED, "", TrailFormat.NO_RING, ""));
        List<byte[]> stored = store(canonical);
        Trails.Run run = verify(stored);
        assertThat(run.failure).isNull();
        assertThat(run.verifier.count()).isEqualTo(8);
        assertThat(run.verifier.headHash()).isEqualTo(Trails.head(stored));
        assertThat(run.accepted).extracting(AuditRecord::sessionEvent).containsExactly(null, SessionEvent.CREATED,
                SessionEvent.JOINED, null, SessionEvent.CHECKPOINT, null, SessionEvent.LEFT, SessionEvent.TERMINATED);
        assertThat(run.accepted.get(1).detail()).isEqualTo("EVENTUAL, max 5 participants");
        assertThat(run.accepted.get(2).agentRing()).isEqualTo(2);
        assertThat(run.accepted.get(1).agentRing()).isEqualTo(-1);
    }

    @Test
    void anOutcomeCannotCloseASessionRecord() {
        List<byte[]> canonical = List.of(genesis(0), session(1), returned(2, 1));
        Trails.Run run = verify(store(canonical));
        assertThat(run.failure.index()).isEqualTo(2);
        assertThat(run.failure.reason()).contains("not an earlier ALLOW still open");
    }

    @Test
    void aTrailCannotOpenWithASessionRecord() {
        Trails.Run run = verify(store(List.of(session(0))));
        assertThat(run.failure.index()).isZero();
        assertThat(run.failure.reason()).contains("GENESIS");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 0x40, 0x7F, 0x80, 0xFF})
    void unknownSessionEventWithARecomputedHashIsMalformed(int code) {
        byte[] r = sessionEvent(2, SessionEvent.JOINED, "agent-2", 2, "");
        int eventAt = TrailFormat.HEADER_LENGTH + 2 + 3; // after the session id "s-1"
        assertThat(r[eventAt]).isEqualTo(SessionEvent.JOINED.code());
        r[eventAt] = (byte) code;
        Trails.Run run = verify(store(List.of(genesis(0), allow(1), r, returned(3, 1))));
        assertThat(run.failure.index()).isEqualTo(2);
        assertThat(run.failure.reason()).startsWith("malformed").contains("unknown session event");
    }

    @Test
    void trailingBytesAfterASessionRecordWithARecomputedHashAreMalformed() {
        byte[] r = Trails.concat(sessionEvent(1, SessionEvent.CREATED, "", TrailFormat.NO_RING, "d"), new byte[] {0});
        Trails.Run run = verify(store(List.of(genesis(0), r)));
        assertThat(run.failure.index()).isEqualTo(1);
        assertThat(run.failure.reason()).startsWith("malformed").contains("unexpected bytes");
    }

    @Test
    void aSessionRecordCutShortWithARecomputedHashIsMalformed() {
        byte[] whole = sessionEvent(1, SessionEvent.CREATED, "", TrailFormat.NO_RING, "detail");
        Trails.Run run = verify(store(List.of(genesis(0), Arrays.copyOf(whole, whole.length - 1))));
        assertThat(run.failure.index()).isEqualTo(1);
        assertThat(run.failure.reason()).startsWith("malformed").contains("ends early");
    }

    // ---------------------------------------------------------------- tampering with the bytes

    @Test
    void flippedByteInTheMiddleRecordIsNamed() {
        List<byte[]> stored = store(canonicalTrail(10));
        stored.get(4)[25] ^= 0x01;
        Trails.Run run = verify(stored);
        assertThat(run.failure).isNotNull();
        assertThat(run.failure.index()).isEqualTo(4);
        assertThat(run.failure.reason()).contains("hash mismatch");
        assertThat(run.failure.getMessage()).startsWith("record 4: ");
        assertThat(run.verifier.count()).isEqualTo(4);
    }

    @Test
    void flippedByteInTheStoredHashIsNamed() {
        List<byte[]> stored = store(canonicalTrail(10));
        byte[] s = stored.get(7);
        s[s.length - 1] ^= (byte) 0x80;
        Trails.Run run = verify(stored);
        assertThat(run.failure.index()).isEqualTo(7);
        assertThat(run.failure.reason()).contains("hash mismatch");
    }

    @Test
    void recordAlteredAndRehashedOnItsOwnBreaksTheNextRecord() {
        // An attacker edits record 3 and recomputes its own hash, but cannot fix record 4's hash without
        // rewriting the rest of the chain: the verifier then names record 4.
        List<byte[]> canonical = canonicalTrail(8);
        List<byte[]> stored = store(canonical);
        byte[] edited = allow(3).clone();
        edited[new RecordView().wrap(edited, 0, edited.length).digestOffset()] ^= 0x55; // change the args digest
        byte[] prevHash = Trails.head(stored.subList(0, 3));
        stored.set(3, Trails.concat(edited, Trails.sha256(prevHash, edited)));

        Trails.Run run = verify(stored);

        assertThat(run.failure.index()).isEqualTo(4);
        assertThat(run.failure.reason()).contains("hash mismatch");
    }

    // ---------------------------------------------------------------- dropped, reordered, truncated

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 8})
    void droppedRecordIsCaughtByTheChain(int dropped) {
        List<byte[]> stored = new ArrayList<>(store(canonicalTrail(10)));
        stored.remove(dropped);
        Trails.Run run = verify(stored);
        assertThat(run.failure.index()).isEqualTo(dropped);
        assertThat(run.failure.reason()).contains("hash mismatch");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 8})
    void droppedRecordIsCaughtAsASequenceGapEvenIfTheChainIsRecomputed(int dropped) {
        List<byte[]> canonical = new ArrayList<>(canonicalTrail(10));
        canonical.remove(dropped);
        Trails.Run run = verify(store(canonical)); // a consistent chain over the remaining records
        assertThat(run.failure.index()).isEqualTo(dropped);
        assertThat(run.failure.reason()).contains("sequence number " + (dropped + 1))
                .contains(dropped + " was expected");
    }

    @Test
    void droppedGenesisIsCaught() {
        List<byte[]> stored = new ArrayList<>(store(canonicalTrail(5)));
        stored.remove(0);
        Trails.Run run = verify(stored);
        assertThat(run.failure.index()).isZero();
    }

    @Test
    void droppingTheLastRecordOnlyShowsInTheHeadHash() {
        List<byte[]> stored = store(canonicalTrail(10));
        Trails.Run run = verify(stored.subList(0, 9));
        // a cut tail is a valid shorter trail; only a head hash kept elsewhere reveals it
        assertThat(run.failure).isNull();
        assertThat(run.verifier.count()).isEqualTo(9);
        assertThat(run.verifier.headHash()).isNotEqualTo(Trails.head(stored));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7})
    void reorderedPairIsCaughtAtTheFirstOfThem(int first) {
        List<byte[]> stored = new ArrayList<>(store(canonicalTrail(10)));
        Collections.swap(stored, first, first + 1);
        Trails.Run run = verify(stored);
        assertThat(run.failure.index()).isEqualTo(first);
        assertThat(run.verifier.count()).isEqualTo(first);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7})
    void reorderedPairIsCaughtEvenIfTheChainIsRecomputed(int first) {
        List<byte[]> canonical = new ArrayList<>(canonicalTrail(10));
        Collections.swap(canonical, first, first + 1);
        Trails.Run run = verify(store(canonical));
        assertThat(run.failure.index()).isEqualTo(first);
        assertThat(run.failure.reason()).contains("sequence number " + (first + 1));
    }

    @Test
    void duplicatedRecordIsCaught() {
        List<byte[]> canonical = new ArrayList<>(canonicalTrail(6));
        canonical.add(3, canonical.get(2));
        Trails.Run run = verify(store(canonical));
        assertThat(run.failure.index()).isEqualTo(3);
        assertThat(run.failure.reason()).contains("sequence number 2");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 10, 31, 32, 33, 60})
    void truncatedRecordIsNamed(int cut) {
        List<byte[]> stored = store(canonicalTrail(6));
        byte[] s = stored.get(3);
        stored.set(3, Arrays.copyOf(s, s.length - cut));
        Trails.Run run = verify(stored);
        assertThat(run.failure.index()).isEqualTo(3);
        assertThat(run.verifier.count()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 17, 32, 49})
    void recordTooShortToHoldAHeaderAndHashIsNamed(int length) {
        List<byte[]> stored = store(canonicalTrail(3));
        stored.set(2, Arrays.copyOf(stored.get(2), length));
        Trails.Run run = verify(stored);
        assertThat(run.failure.index()).isEqualTo(2);
        assertThat(run.failure.reason()).contains("too short");
    }

    @Test
    void truncatedCanonicalBytesWithARecomputedHashAreMalformed() {
        List<byte[]> canonical = new ArrayList<>(canonicalTrail(5));
        byte[] r = canonical.get(2);
        canonical.set(2, Arrays.copyOf(r, r.length - 1));
        Trails.Run run = verify(store(canonical));
        assertThat(run.failure.index()).isEqualTo(2);
        assertThat(run.failure.reason()).startsWith("malformed");
    }

    @Test
    void anOutcomeWithoutItsSessionIdIsMalformed() {
        // the outcome layout ends with sessionId: an outcome that stops after exceptionClass ends early
        List<byte[]> canonical = new ArrayList<>(canonicalTrail(3));
        byte[] returned = canonical.get(2);
        assertThat(AuditRecord.decode(returned, 0, returned.length).sessionId()).isEqualTo("session");
        canonical.set(2, Arrays.copyOf(returned, returned.length - 2 - "session".length()));
        Trails.Run run = verify(store(canonical));
        assertThat(run.failure.index()).isEqualTo(2);
        assertThat(run.failure.reason()).startsWith("malformed").contains("ends early");
    }

    @Test
    void trailingBytesWithARecomputedHashAreMalformed() {
        List<byte[]> canonical = new ArrayList<>(canonicalTrail(5));
        canonical.set(4, Trails.concat(canonical.get(4), new byte[] {0}));
        Trails.Run run = verify(store(canonical));
        assertThat(run.failure.index()).isEqualTo(4);
        assertThat(run.failure.reason()).startsWith("malformed");
    }

    // ---------------------------------------------------------------- structural rules

    @Test
    void trailMustStartWithGenesis() {
        List<byte[]> canonical = List.of(allow(0), returned(1, 0));
        Trails.Run run = verify(store(canonical));
        assertThat(run.failure.index()).isZero();
        assertThat(run.failure.reason()).contains("GENESIS");
        assertThat(run.verifier.count()).isZero();
        assertThat(run.verifier.headHash()).isEqualTo(TrailFormat.zeroHash());
    }

    @Test
    void trailStartingWithAnOutcomeIsCaughtAtZero() {
        Trails.Run run = verify(store(List.of(threw(0, 0))));
        assertThat(run.failure.index()).isZero();
    }

    @ParameterizedTest
    @ValueSource(longs = {3, 4, 100, Long.MAX_VALUE, -1, -2, Long.MIN_VALUE})
    void outcomeWhoseCallIsNotEarlierIsNamed(long callSeq) {
        // record 3 is an outcome: only calls 0..2 are earlier
        List<byte[]> canonical = List.of(genesis(0), allow(1), allow(2), returned(3, callSeq), allow(4));
        Trails.Run run = verify(store(canonical));
        assertThat(run.failure.index()).isEqualTo(3);
        assertThat(run.failure.reason()).contains("outcome refers to call " + callSeq);
    }

    @ParameterizedTest(name = "an outcome closing record {0}")
    @ValueSource(longs = {0, 2, 3})
    void outcomeThatClosesSomethingOtherThanAnOpenAllowIsNamed(long callSeq) {
        // 0 is the GENESIS, 2 a DENY, 3 an ALLOW closed already at 4.
        List<byte[]> canonical = List.of(genesis(0), allow(1), deny(2), allow(3), returned(4, 3),
                returned(5, callSeq));
        Trails.Run run = verify(store(canonical));
        assertThat(run.failure.index()).isEqualTo(5);
        assertThat(run.failure.reason()).contains("not an earlier ALLOW still open");
    }

    @Test
    void threwOutcomeIsCheckedToo() {
        List<byte[]> canonical = List.of(genesis(0), allow(1), threw(2, 2));
        Trails.Run run = verify(store(canonical));
        assertThat(run.failure.index()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 9, 10, 0x7F, 0x80, 0xFF})
    void unknownRecordTypeIsNamed(int code) {
        List<byte[]> canonical = new ArrayList<>(canonicalTrail(6));
        byte[] r = canonical.get(4).clone();
        r[1] = (byte) code;
        canonical.set(4, r);
        Trails.Run run = verify(store(canonical)); // hashes are consistent: only the decode can fail
        assertThat(run.failure.index()).isEqualTo(4);
        assertThat(run.failure.reason()).startsWith("malformed").contains("unknown record type");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 4, 0x7F, 0xFF})
    void unsupportedVersionIsNamed(int version) {
        List<byte[]> canonical = new ArrayList<>(canonicalTrail(6));
        byte[] r = canonical.get(5).clone();
        r[0] = (byte) version;
        canonical.set(5, r);
        Trails.Run run = verify(store(canonical));
        assertThat(run.failure.index()).isEqualTo(5);
        assertThat(run.failure.reason()).startsWith("malformed").contains("version " + version);
    }

    @Test
    void unsupportedVersionOfTheFirstRecordIsNamed() {
        byte[] r = genesis(0).clone();
        r[0] = 4;
        Trails.Run run = verify(store(List.of(r)));
        assertThat(run.failure.index()).isZero();
        assertThat(run.failure.reason()).contains("version");
    }

    @Test
    void aTrailOfVersion1RecordsFollowedByVersion2AndVersion3OnesVerifies() throws ChainBreak {
        // An older run wrote version 1 records (decisions without delegation), a later one version 2 records
        // (without framework, tool and invocation id); the current run continues the chain in version 3. The
        // version is read per record, so even interleaved versions (the DENYs here stay in version 3) each read
        // by their own layout.
        List<byte[]> canonical = new ArrayList<>();
        for (byte[] r : canonicalTrail(13)) {
            boolean deny = AuditRecord.decode(r, 0, r.length).type() == RecordType.CALL_DENIED;
            canonical.add(deny ? r : Trails.asVersion(r, 1));
        }
        canonical.add(Trails.asVersion(genesis(13), 2));
        canonical.add(Trails.asVersion(allow(14), 2));
        canonical.add(genesis(15));
        canonical.add(deny(16));
        Trails.Run run = verify(store(canonical));
        assertThat(run.failure).isNull();
        assertThat(run.accepted).hasSize(17);
        assertThat(run.accepted.get(1).version()).isEqualTo(1);
        assertThat(run.accepted.get(3).version()).as("a DENY, kept in version 3").isEqualTo(3);
        assertThat(run.accepted.get(3).tool()).isEqualTo("delete_records");
        assertThat(run.accepted.get(14).version()).isEqualTo(2);
        assertThat(run.accepted.get(14).framework()).isEmpty();
        assertThat(run.accepted.get(16).onBehalfOf()).isEqualTo("lead>orchestrator");
        assertThat(run.accepted.get(16).vouchedBy()).isEqualTo("lead,root");
        assertThat(run.accepted.get(16).framework()).isEqualTo("mcp");
        assertThat(run.accepted.get(16).invocationId()).isEqualTo("req-16");
    }

    @ParameterizedTest
    @ValueSource(strings = {"FRAMEWORK", "TOOL", "INVOCATION_ID"})
    void theChainCoversTheFrameworkToolAndInvocationId(RecordView.Text field) {
        // A DENY's framework, tool or invocation id changed in place, its length kept: the bytes still decode, but
        // the stored hash no longer matches them.
        List<byte[]> stored = store(canonicalTrail(8));
        byte[] deny = stored.get(3);
        RecordView view = new RecordView().wrap(deny, 0, deny.length - TrailFormat.HASH_LENGTH);
        assertThat(view.textLength(field)).isPositive();
        deny[view.textOffset(field)] ^= 0x01;
        assertThat(AuditRecord.decode(deny, 0, deny.length - TrailFormat.HASH_LENGTH).type())
                .isEqualTo(RecordType.CALL_DENIED);

        Trails.Run run = verify(stored);

        assertThat(run.failure.index()).isEqualTo(3);
        assertThat(run.failure.reason()).contains("hash mismatch");
        assertThat(run.accepted).hasSize(3);
    }

    @Test
    void theVerifierHonoursTheLengthNotTheBufferSize() throws ChainBreak {
        // Trails.verify already pads; this checks a buffer reused for a shorter record after a longer one.
        List<byte[]> stored = store(List.of(genesis(0), allow(1), returned(2, 1)));
        byte[] buf = new byte[1024];
        ChainVerifier v = new ChainVerifier();
        for (byte[] s : stored) {
            System.arraycopy(s, 0, buf, 0, s.length);
            v.accept(buf, s.length);
        }
        assertThat(v.count()).isEqualTo(3);
    }

    @Test
    void chainBreakCarriesIndexAndReason() {
        ChainBreak b = new ChainBreak(42, "bad");
        assertThat(b.index()).isEqualTo(42);
        assertThat(b.reason()).isEqualTo("bad");
        assertThat(b.getMessage()).isEqualTo("record 42: bad");
    }
}
