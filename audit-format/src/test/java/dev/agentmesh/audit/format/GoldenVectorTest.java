package dev.agentmesh.audit.format;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the canonical encoding and the chain hash to fixed bytes. If one of these tests fails the on-disk format
 * changed: every existing trail and every third-party verifier written from the documentation breaks. Change the
 * expected values only together with {@link TrailFormat#VERSION} and the format documentation.
 *
 * <p>The expected values were computed outside Java (Python {@code struct} + {@code hashlib}) from the documented
 * layout, and each test also rebuilds them by hand here with {@link DataOutputStream} and {@link MessageDigest}.
 */
class GoldenVectorTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final long TIME = 1_700_000_000_000L; // 0x0000018bcfe56800

    // ---- ALLOW: seq 1, time TIME + 5, agentRing 2, requiredRing 1, agent "agent-7", session "sé-1",
    // ---- class "com.acme.Tools", method "sendEmail", descriptor "(Ljava/lang/String;I)V", argsDigest 00..1f
    private static final String ALLOW_HEX = ""
            + "01" //                                    version
            + "02" //                                    type CALL_ALLOWED
            + "0000000000000001" //                      seq
            + "0000018bcfe56805" //                      time millis
            + "02" //                                    agentRing
            + "01" //                                    requiredRing
            + "0007" + "6167656e742d37" //               "agent-7"
            + "0005" + "73c3a92d31" //                   "sé-1" (é is 2 UTF-8 bytes)
            + "000e" + "636f6d2e61636d652e546f6f6c73" // "com.acme.Tools"
            + "0009" + "73656e64456d61696c" //           "sendEmail"
            + "0016" + "284c6a6176612f6c616e672f537472696e673b492956" // "(Ljava/lang/String;I)V"
            + "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"; // argsDigest

    // ---- GENESIS: seq 0, time TIME, writer "w-1", policyDigest aa*32, source "policy.yaml"
    private static final String GENESIS_HEX = ""
            + "01" + "01" + "0000000000000000" + "0000018bcfe56800"
            + "0003" + "772d31"
            + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            + "000b" + "706f6c6963792e79616d6c";

    /** SHA-256(32 zero bytes || GENESIS bytes). */
    private static final String GENESIS_HASH_HEX =
            "3548216859c051fcd1c5b892c7b4a0d199fd79ac786d4792925ac0324266c69d";

    /** SHA-256(GENESIS hash || ALLOW bytes): the ALLOW record chained after the GENESIS one. */
    private static final String ALLOW_HASH_HEX =
            "3c8ac2e5a37cfe94be2a812bc5982ecde24d34bf3ec3136eb0c0c9c25301fa0d";

    // ---- RETURNED: seq 2, time TIME + 9, callSeq 1, durationNanos 0x0102030405060708, exception "",
    // ---- session "sé-1"
    private static final String RETURNED_HEX = ""
            + "01" //                                    version
            + "04" //                                    type CALL_RETURNED
            + "0000000000000002" //                      seq
            + "0000018bcfe56809" //                      time millis
            + "0000000000000001" //                      callSeq
            + "0102030405060708" //                      durationNanos
            + "0000" //                                  exceptionClass ""
            + "0005" + "73c3a92d31"; //                  sessionId "sé-1"

    // ---- THREW: seq -1 (all ones), time 0, callSeq Long.MIN_VALUE, duration -2, exception "E", session ""
    private static final String THREW_HEX = ""
            + "01" + "05" + "ffffffffffffffff" + "0000000000000000"
            + "8000000000000000" + "fffffffffffffffe" + "0001" + "45" + "0000";

    // ---- SESSION: seq 2, time TIME + 7, session "sé-1", event JOINED, agent "agent-7", agentRing 2,
    // ---- detail "max 5 participants"
    private static final String SESSION_HEX = ""
            + "01" //                                    version
            + "06" //                                    type SESSION_EVENT
            + "0000000000000002" //                      seq
            + "0000018bcfe56807" //                      time millis
            + "0005" + "73c3a92d31" //                   "sé-1"
            + "02" //                                    event JOINED
            + "0007" + "6167656e742d37" //               "agent-7"
            + "02" //                                    agentRing
            + "0012" + "6d61782035207061727469636970616e7473"; // "max 5 participants"

    /** SHA-256(ALLOW hash || SESSION bytes): the SESSION record chained after the ALLOW one. */
    private static final String SESSION_HASH_HEX =
            "611e80b60124b8b35842a0bc683ba514cbd8ae767c1ba96f90e3cebdfc3cb13c";

    // ---- SESSION naming no agent: as above but event CREATED, agent "", agentRing 255 (none), detail ""
    private static final String SESSION_NO_AGENT_HEX = ""
            + "01" + "06" + "0000000000000002" + "0000018bcfe56807"
            + "0005" + "73c3a92d31" + "01" + "0000" + "ff" + "0000";

    // ---- SAGA: seq 3, time TIME + 11, session "sé-1", saga "trip-0a1b", event STEP_COMPLETED, agent "agent-7",
    // ---- step "flight", attempt 2, durationNanos 0x0102030405060708, detail "ok", data "s:BK-1"
    private static final String SAGA_HEX = ""
            + "01" //                                    version
            + "07" //                                    type SAGA_EVENT
            + "0000000000000003" //                      seq
            + "0000018bcfe5680b" //                      time millis
            + "0005" + "73c3a92d31" //                   sessionId "sé-1"
            + "0009" + "747269702d30613162" //           sagaId "trip-0a1b"
            + "03" //                                    event STEP_COMPLETED
            + "0007" + "6167656e742d37" //               agentId "agent-7"
            + "0006" + "666c69676874" //                 step "flight"
            + "02" //                                    attempt
            + "0102030405060708" //                      durationNanos
            + "0002" + "6f6b" //                         detail "ok"
            + "0006" + "733a424b2d31"; //                data "s:BK-1"

    // ---- CONTROL: seq 4, time TIME + 13, event KILLED, subject "agent:researcher-1", actor "ops@host",
    // ---- reason "looping", detail "via jmx; 1 call interrupted"
    private static final String CONTROL_HEX = "010800000000000000040000018bcfe5680d0100126167656e743a726573656172636865722d3100086f707340686f737400076c6f6f70696e67001b766961206a6d783b20312063616c6c20696e746572727570746564";

    private static byte[] allowDigest() {
        byte[] d = new byte[32];
        for (int i = 0; i < 32; i++) {
            d[i] = (byte) i;
        }
        return d;
    }

    private static byte[] encodeAllow() {
        return new RecordEncoder().decision(RecordType.CALL_ALLOWED, 1, TIME + 5, 2, 1, Utf8.encode("agent-7"),
                Utf8.encode("s\u00e9-1"), Utf8.encode("com.acme.Tools"), Utf8.encode("sendEmail"),
                Utf8.encode("(Ljava/lang/String;I)V"), allowDigest()).toByteArray();
    }

    private static byte[] encodeSession() {
        return new RecordEncoder().sessionEvent(2, TIME + 7, Utf8.encode("s\u00e9-1"), SessionEvent.JOINED,
                Utf8.encode("agent-7"), 2, Utf8.encode("max 5 participants")).toByteArray();
    }

    private static byte[] encodeGenesis() {
        byte[] policy = new byte[32];
        java.util.Arrays.fill(policy, (byte) 0xAA);
        return new RecordEncoder().genesis(0, TIME, Utf8.encode("w-1"), policy, Utf8.encode("policy.yaml"))
                .toByteArray();
    }

    /** The documented layout, written independently of {@link RecordEncoder}. */
    private static final class Layout {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        Layout u8(int v) throws IOException {
            out.writeByte(v);
            return this;
        }

        Layout i64(long v) throws IOException {
            out.writeLong(v); // DataOutput is big-endian
            return this;
        }

        Layout str(String s) throws IOException {
            byte[] b = s.getBytes(UTF_8);
            out.writeShort(b.length);
            out.write(b);
            return this;
        }

        Layout raw(byte[] b) throws IOException {
            out.write(b);
            return this;
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    @Test
    void allowRecordHasTheseExactBytes() {
        assertThat(HEX.formatHex(encodeAllow())).isEqualTo(ALLOW_HEX);
        assertThat(encodeAllow()).hasSize(119);
    }

    @Test
    void allowRecordMatchesTheDocumentedLayoutBuiltByHand() throws IOException {
        byte[] byHand = new Layout().u8(1).u8(2).i64(1).i64(TIME + 5).u8(2).u8(1).str("agent-7").str("s\u00e9-1")
                .str("com.acme.Tools").str("sendEmail").str("(Ljava/lang/String;I)V").raw(allowDigest()).bytes();
        assertThat(HEX.formatHex(byHand)).isEqualTo(ALLOW_HEX);
        assertThat(encodeAllow()).isEqualTo(byHand);
    }

    @Test
    void allowGoldenBytesDecodeToTheFields() {
        byte[] b = HEX.parseHex(ALLOW_HEX);
        AuditRecord r = AuditRecord.decode(b, 0, b.length);
        assertThat(r.type()).isEqualTo(RecordType.CALL_ALLOWED);
        assertThat(r.decision()).isEqualTo("ALLOW");
        assertThat(r.seq()).isEqualTo(1);
        assertThat(r.timeMillis()).isEqualTo(TIME + 5);
        assertThat(r.agentRing()).isEqualTo(2);
        assertThat(r.requiredRing()).isEqualTo(1);
        assertThat(r.agentId()).isEqualTo("agent-7");
        assertThat(r.sessionId()).isEqualTo("s\u00e9-1");
        assertThat(r.className()).isEqualTo("com.acme.Tools");
        assertThat(r.methodName()).isEqualTo("sendEmail");
        assertThat(r.descriptor()).isEqualTo("(Ljava/lang/String;I)V");
        assertThat(r.argsDigest()).isEqualTo(allowDigest());
    }

    @Test
    void sessionRecordHasTheseExactBytes() throws IOException {
        assertThat(HEX.formatHex(encodeSession())).isEqualTo(SESSION_HEX);
        assertThat(encodeSession()).hasSize(56);
        byte[] byHand = new Layout().u8(1).u8(6).i64(2).i64(TIME + 7).str("s\u00e9-1").u8(2).str("agent-7").u8(2)
                .str("max 5 participants").bytes();
        assertThat(encodeSession()).isEqualTo(byHand);
    }

    @Test
    void sessionRecordNamingNoAgentStoresRing255() throws IOException {
        byte[] none = new RecordEncoder().sessionEvent(2, TIME + 7, Utf8.encode("s\u00e9-1"), SessionEvent.CREATED,
                new byte[0], TrailFormat.NO_RING, new byte[0]).toByteArray();
        assertThat(HEX.formatHex(none)).isEqualTo(SESSION_NO_AGENT_HEX);
        assertThat(none).isEqualTo(new Layout().u8(1).u8(6).i64(2).i64(TIME + 7).str("s\u00e9-1").u8(1).str("")
                .u8(255).str("").bytes());
        AuditRecord r = AuditRecord.decode(none, 0, none.length);
        assertThat(r.sessionEvent()).isEqualTo(SessionEvent.CREATED);
        assertThat(r.agentId()).isEmpty();
        assertThat(r.agentRing()).as("none reads as -1").isEqualTo(-1);
        assertThat(r.detail()).isEmpty();
    }

    @Test
    void sessionGoldenBytesDecodeToTheFields() {
        byte[] b = HEX.parseHex(SESSION_HEX);
        AuditRecord r = AuditRecord.decode(b, 0, b.length);
        assertThat(r.type()).isEqualTo(RecordType.SESSION_EVENT);
        assertThat(r.decision()).isEqualTo("SESSION");
        assertThat(r.seq()).isEqualTo(2);
        assertThat(r.timeMillis()).isEqualTo(TIME + 7);
        assertThat(r.sessionId()).isEqualTo("s\u00e9-1");
        assertThat(r.sessionEvent()).isEqualTo(SessionEvent.JOINED);
        assertThat(r.agentId()).isEqualTo("agent-7");
        assertThat(r.agentRing()).isEqualTo(2);
        assertThat(r.detail()).isEqualTo("max 5 participants");
        // fields of other types are absent
        assertThat(r.requiredRing()).isEqualTo(-1);
        assertThat(r.className()).isEmpty();
        assertThat(r.argsDigest()).isNull();
        assertThat(r.callSeq()).isEqualTo(-1);
        assertThat(r.writerId()).isEmpty();
    }

    @Test
    void sagaRecordHasTheseExactBytesAndDecodes() throws IOException {
        byte[] saga = new RecordEncoder().sagaEvent(3, TIME + 11, Utf8.encode("s\u00e9-1"), Utf8.encode("trip-0a1b"),
                SagaEvent.STEP_COMPLETED, Utf8.encode("agent-7"), Utf8.encode("flight"), 2, 0x0102030405060708L,
                Utf8.encode("ok"), Utf8.encode("s:BK-1")).toByteArray();
        assertThat(HEX.formatHex(saga)).isEqualTo(SAGA_HEX);
        assertThat(saga).hasSize(75);
        assertThat(saga).isEqualTo(new Layout().u8(1).u8(7).i64(3).i64(TIME + 11).str("s\u00e9-1").str("trip-0a1b")
                .u8(3).str("agent-7").str("flight").u8(2).i64(0x0102030405060708L).str("ok").str("s:BK-1").bytes());

        AuditRecord r = AuditRecord.decode(saga, 0, saga.length);
        assertThat(r.type()).isEqualTo(RecordType.SAGA_EVENT);
        assertThat(r.decision()).isEqualTo("SAGA");
        assertThat(r.seq()).isEqualTo(3);
        assertThat(r.timeMillis()).isEqualTo(TIME + 11);
        assertThat(r.sessionId()).isEqualTo("s\u00e9-1");
        assertThat(r.sagaId()).isEqualTo("trip-0a1b");
        assertThat(r.sagaEvent()).isEqualTo(SagaEvent.STEP_COMPLETED);
        assertThat(r.agentId()).isEqualTo("agent-7");
        assertThat(r.step()).isEqualTo("flight");
        assertThat(r.attempt()).isEqualTo(2);
        assertThat(r.durationNanos()).isEqualTo(0x0102030405060708L);
        assertThat(r.detail()).isEqualTo("ok");
        assertThat(r.data()).isEqualTo("s:BK-1");
        // fields of other types are absent
        assertThat(r.agentRing()).isEqualTo(-1);
        assertThat(r.sessionEvent()).isNull();
        assertThat(r.callSeq()).isEqualTo(-1);
        assertThat(r.argsDigest()).isNull();
    }

    @Test
    void controlRecordHasTheseExactBytesAndDecodes() throws IOException {
        byte[] control = new RecordEncoder().control(4, TIME + 13, ControlEvent.KILLED,
                Utf8.encode("agent:researcher-1"), Utf8.encode("ops@host"), Utf8.encode("looping"),
                Utf8.encode("via jmx; 1 call interrupted")).toByteArray();
        assertThat(HEX.formatHex(control)).isEqualTo(CONTROL_HEX);
        assertThat(control).isEqualTo(new Layout().u8(1).u8(8).i64(4).i64(TIME + 13).u8(1).str("agent:researcher-1")
                .str("ops@host").str("looping").str("via jmx; 1 call interrupted").bytes());
        AuditRecord r = AuditRecord.decode(control, 0, control.length);
        assertThat(r.type()).isEqualTo(RecordType.CONTROL);
        assertThat(r.decision()).isEqualTo("CONTROL");
        assertThat(r.controlEvent()).isEqualTo(ControlEvent.KILLED);
        assertThat(r.subject()).isEqualTo("agent:researcher-1");
        assertThat(r.actor()).isEqualTo("ops@host");
        assertThat(r.reason()).isEqualTo("looping");
        assertThat(r.detail()).isEqualTo("via jmx; 1 call interrupted");
        assertThat(r.agentId()).isEmpty();
        assertThat(r.sagaEvent()).isNull();
        assertThat(ControlEvent.values()).extracting(ControlEvent::code).containsExactly((byte) 1, (byte) 2,
                (byte) 3, (byte) 4, (byte) 5, (byte) 6, (byte) 7);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ControlEvent.ofCode((byte) 8))
                .isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void sagaEventCodesArePinned() {
        assertThat(SagaEvent.values()).extracting(SagaEvent::code).containsExactly((byte) 1, (byte) 2, (byte) 3,
                (byte) 4, (byte) 5, (byte) 6, (byte) 7, (byte) 8, (byte) 9, (byte) 10, (byte) 11, (byte) 12, (byte) 13);
        for (SagaEvent e : SagaEvent.values()) {
            assertThat(SagaEvent.ofCode(e.code())).isSameAs(e);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SagaEvent.ofCode((byte) 14))
                .isInstanceOf(MalformedRecordException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SagaEvent.ofCode((byte) 0))
                .isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void genesisRecordHasTheseExactBytes() throws IOException {
        byte[] policy = new byte[32];
        java.util.Arrays.fill(policy, (byte) 0xAA);
        byte[] byHand = new Layout().u8(1).u8(1).i64(0).i64(TIME).str("w-1").raw(policy).str("policy.yaml").bytes();
        assertThat(HEX.formatHex(byHand)).isEqualTo(GENESIS_HEX);
        assertThat(encodeGenesis()).isEqualTo(byHand);
    }

    @Test
    void genesisChainHashFromTheZeroHash() throws Exception {
        byte[] genesis = encodeGenesis();

        // computed by hand: SHA-256 over 32 zero bytes followed by the canonical bytes
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(new byte[32]);
        md.update(HEX.parseHex(GENESIS_HEX));
        byte[] expected = md.digest();
        assertThat(HEX.formatHex(expected)).isEqualTo(GENESIS_HASH_HEX);

        // ChainHasher agrees, including when record and output sit at offsets in larger buffers
        byte[] out = new byte[40];
        byte[] padded = Trails.concat(new byte[] {9, 9, 9}, genesis, new byte[] {7});
        new ChainHasher().chain(TrailFormat.zeroHash(), padded, 3, genesis.length, out, 5);
        assertThat(java.util.Arrays.copyOfRange(out, 5, 37)).isEqualTo(expected);
        assertThat(java.util.Arrays.copyOfRange(out, 0, 5)).containsOnly(0);
        assertThat(java.util.Arrays.copyOfRange(out, 37, 40)).containsOnly(0);
    }

    @Test
    void allowChainedAfterGenesis() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(HEX.parseHex(GENESIS_HASH_HEX));
        md.update(HEX.parseHex(ALLOW_HEX));
        assertThat(HEX.formatHex(md.digest())).isEqualTo(ALLOW_HASH_HEX);

        ChainHasher hasher = new ChainHasher();
        byte[] h0 = new byte[32];
        byte[] g = encodeGenesis();
        hasher.chain(TrailFormat.zeroHash(), g, 0, g.length, h0, 0);
        byte[] h1 = new byte[32];
        byte[] a = encodeAllow();
        hasher.chain(h0, a, 0, a.length, h1, 0);
        assertThat(Hex.of(h0)).isEqualTo(GENESIS_HASH_HEX);
        assertThat(Hex.of(h1)).isEqualTo(ALLOW_HASH_HEX);
    }

    @Test
    void sessionChainedAfterAllow() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(HEX.parseHex(ALLOW_HASH_HEX));
        md.update(HEX.parseHex(SESSION_HEX));
        assertThat(HEX.formatHex(md.digest())).isEqualTo(SESSION_HASH_HEX);
    }

    @Test
    void goldenTrailVerifies() throws ChainBreak {
        byte[] stored0 = HEX.parseHex(GENESIS_HEX + GENESIS_HASH_HEX);
        byte[] stored1 = HEX.parseHex(ALLOW_HEX + ALLOW_HASH_HEX);
        byte[] stored2 = HEX.parseHex(SESSION_HEX + SESSION_HASH_HEX);
        ChainVerifier verifier = new ChainVerifier();
        assertThat(verifier.accept(stored0, stored0.length).type()).isEqualTo(RecordType.GENESIS);
        assertThat(verifier.accept(stored1, stored1.length).agentId()).isEqualTo("agent-7");
        assertThat(verifier.accept(stored2, stored2.length).sessionEvent()).isEqualTo(SessionEvent.JOINED);
        assertThat(verifier.count()).isEqualTo(3);
        assertThat(Hex.of(verifier.headHash())).isEqualTo(SESSION_HASH_HEX);
    }

    @Test
    void outcomeRecordsHaveTheseExactBytes() throws IOException {
        byte[] returned = new RecordEncoder().outcome(RecordType.CALL_RETURNED, 2, TIME + 9, 1,
                0x0102030405060708L, new byte[0], Utf8.encode("s\u00e9-1")).toByteArray();
        byte[] threw = new RecordEncoder()
                .outcome(RecordType.CALL_THREW, -1, 0, Long.MIN_VALUE, -2, Utf8.encode("E"), new byte[0])
                .toByteArray();
        assertThat(HEX.formatHex(returned)).isEqualTo(RETURNED_HEX);
        assertThat(HEX.formatHex(threw)).isEqualTo(THREW_HEX);
        assertThat(returned).hasSize(43);
        assertThat(threw).hasSize(39);
        assertThat(returned).isEqualTo(new Layout().u8(1).u8(4).i64(2).i64(TIME + 9).i64(1)
                .i64(0x0102030405060708L).str("").str("s\u00e9-1").bytes());
        assertThat(threw).isEqualTo(new Layout().u8(1).u8(5).i64(-1).i64(0).i64(Long.MIN_VALUE).i64(-2).str("E")
                .str("").bytes());
    }

    @Test
    void returnedGoldenBytesDecodeToTheFields() {
        byte[] b = HEX.parseHex(RETURNED_HEX);
        AuditRecord r = AuditRecord.decode(b, 0, b.length);
        assertThat(r.type()).isEqualTo(RecordType.CALL_RETURNED);
        assertThat(r.decision()).isEqualTo("RETURNED");
        assertThat(r.seq()).isEqualTo(2);
        assertThat(r.timeMillis()).isEqualTo(TIME + 9);
        assertThat(r.callSeq()).isEqualTo(1);
        assertThat(r.durationNanos()).isEqualTo(0x0102030405060708L);
        assertThat(r.exceptionClass()).isEmpty();
        assertThat(r.sessionId()).isEqualTo("s\u00e9-1");
        // fields of other types are absent
        assertThat(r.agentId()).isEmpty();
        assertThat(r.agentRing()).isEqualTo(-1);
        assertThat(r.requiredRing()).isEqualTo(-1);
        assertThat(r.className()).isEmpty();
        assertThat(r.argsDigest()).isNull();
        assertThat(r.sessionEvent()).isNull();
        assertThat(r.detail()).isEmpty();
    }

    @Test
    void threwGoldenBytesDecodeToTheFields() {
        byte[] b = HEX.parseHex(THREW_HEX);
        AuditRecord r = AuditRecord.decode(b, 0, b.length);
        assertThat(r.type()).isEqualTo(RecordType.CALL_THREW);
        assertThat(r.decision()).isEqualTo("THREW");
        assertThat(r.seq()).isEqualTo(-1);
        assertThat(r.timeMillis()).isZero();
        assertThat(r.callSeq()).isEqualTo(Long.MIN_VALUE);
        assertThat(r.durationNanos()).isEqualTo(-2);
        assertThat(r.exceptionClass()).isEqualTo("E");
        assertThat(r.sessionId()).as("outside a session").isEmpty();
    }

    @Test
    void denyDiffersFromAllowOnlyInTheTypeByte() {
        byte[] deny = new RecordEncoder().decision(RecordType.CALL_DENIED, 1, TIME + 5, 2, 1,
                Utf8.encode("agent-7"), Utf8.encode("s\u00e9-1"), Utf8.encode("com.acme.Tools"),
                Utf8.encode("sendEmail"), Utf8.encode("(Ljava/lang/String;I)V"), allowDigest()).toByteArray();
        String expected = ALLOW_HEX.substring(0, 2) + "03" + ALLOW_HEX.substring(4);
        assertThat(HEX.formatHex(deny)).isEqualTo(expected);
    }

    @Test
    void formatConstants() {
        assertThat(TrailFormat.VERSION).isEqualTo(1);
        assertThat(TrailFormat.HASH_LENGTH).isEqualTo(32);
        assertThat(TrailFormat.HASH_ALGORITHM).isEqualTo("SHA-256");
        assertThat(TrailFormat.MAX_STRING_BYTES).isEqualTo(65535);
        assertThat(TrailFormat.HEADER_LENGTH).isEqualTo(18);
        assertThat(TrailFormat.zeroHash()).hasSize(32).containsOnly(0);
        // a fresh copy each time
        TrailFormat.zeroHash()[0] = 1;
        assertThat(TrailFormat.zeroHash()).containsOnly(0);
    }

    @Test
    void recordTypeCodesAndLabels() {
        assertThat(RecordType.values()).extracting(RecordType::code)
                .containsExactly((byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6, (byte) 7, (byte) 8);
        assertThat(RecordType.values()).extracting(RecordType::label)
                .containsExactly("GENESIS", "ALLOW", "DENY", "RETURNED", "THREW", "SESSION", "SAGA", "CONTROL");
        for (RecordType t : RecordType.values()) {
            assertThat(RecordType.ofCode(t.code())).isSameAs(t);
        }
        assertThat(List.of(RecordType.values())).filteredOn(RecordType::isDecision)
                .containsExactly(RecordType.CALL_ALLOWED, RecordType.CALL_DENIED);
        assertThat(List.of(RecordType.values())).filteredOn(RecordType::isOutcome)
                .containsExactly(RecordType.CALL_RETURNED, RecordType.CALL_THREW);
        for (int code = Byte.MIN_VALUE; code <= Byte.MAX_VALUE; code++) {
            if (code < 1 || code > 8) {
                byte c = (byte) code;
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> RecordType.ofCode(c))
                        .isInstanceOf(MalformedRecordException.class);
            }
        }
    }

    @Test
    void sessionEventCodesAndLabels() {
        // Codes 1..9 are pinned: trails hold them. A new event may only take a new code after them.
        List<SessionEvent> pinned = List.of(SessionEvent.values()).subList(0, 9);
        assertThat(pinned).extracting(SessionEvent::code)
                .containsExactly((byte) 1, (byte) 2, (byte) 3, (byte) 4, (byte) 5, (byte) 6, (byte) 7, (byte) 8,
                        (byte) 9);
        assertThat(pinned).extracting(SessionEvent::label).containsExactly("CREATED", "JOINED", "LEFT",
                "TERMINATED", "EXPIRED", "CHECKPOINT", "RESTORED", "FORKED", "MERGED");
        java.util.Set<Byte> known = new java.util.HashSet<>();
        for (SessionEvent e : SessionEvent.values()) {
            assertThat(SessionEvent.ofCode(e.code())).isSameAs(e);
            assertThat(e.label()).isEqualTo(e.name());
            assertThat(e.ordinal() < 9 || e.code() > 9).as("%s takes a new code", e).isTrue();
            known.add(e.code());
        }
        for (int code = Byte.MIN_VALUE; code <= Byte.MAX_VALUE; code++) {
            if (!known.contains((byte) code)) {
                byte c = (byte) code;
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> SessionEvent.ofCode(c))
                        .isInstanceOf(MalformedRecordException.class).hasMessageContaining("unknown session event");
            }
        }
    }

    @Test
    void hexIsLowerCaseAndRoundTrips() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        String hex = Hex.of(all);
        assertThat(hex).hasSize(512).isEqualTo(hex.toLowerCase(java.util.Locale.ROOT)).startsWith("000102")
                .endsWith("fdfeff");
        assertThat(Hex.parse(hex)).isEqualTo(all);
        assertThat(Hex.parse("ABcd")).isEqualTo(new byte[] {(byte) 0xAB, (byte) 0xCD});
        assertThat(Hex.of(new byte[0])).isEmpty();
    }
}
