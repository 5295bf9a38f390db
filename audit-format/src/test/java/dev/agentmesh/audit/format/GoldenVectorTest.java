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
 *
 * <p>Version 2 appended {@code onBehalfOf} and {@code vouchedBy} to decision records, version 3 {@code framework},
 * {@code tool} and {@code invocationId}. The older vectors are kept ({@code *_V1_HEX}, {@code *_V2_HEX}, and their
 * hashes): trails written before must still read and verify, alone and followed by newer records.
 */
class GoldenVectorTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final long TIME = 1_700_000_000_000L; // 0x0000018bcfe56800

    // ---- ALLOW: seq 1, time TIME + 5, agentRing 2, requiredRing 1, agent "agent-7", session "sé-1",
    // ---- class "com.acme.Tools", method "sendEmail", descriptor "(Ljava/lang/String;I)V", argsDigest 00..1f,
    // ---- acting for itself (onBehalfOf ""), vouched for by no one (vouchedBy ""), a plain call (framework "",
    // ---- tool "", invocationId "")
    private static final String ALLOW_V1_HEX = ""
            + "01" //                                    version 1: the record ends at argsDigest
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

    /** The same decision in version 2: version byte 02, and two empty strings after the argsDigest. */
    private static final String ALLOW_V2_HEX = "02" + ALLOW_V1_HEX.substring(2)
            + "0000" //                                  onBehalfOf ""
            + "0000"; //                                 vouchedBy ""

    /** The same decision in version 3: version byte 03, and three more empty strings after vouchedBy. */
    private static final String ALLOW_HEX = "03" + ALLOW_V2_HEX.substring(2)
            + "0000" //                                  framework ""
            + "0000" //                                  tool ""
            + "0000"; //                                 invocationId ""

    // ---- DENY with delegation: seq 5, time TIME + 15, agentRing 3, requiredRing 1, agent "helper", session "",
    // ---- class "com.acme.Bank", method "transfer", descriptor "(JJ)V", argsDigest 20..3f,
    // ---- onBehalfOf "lead>orchestrator", vouchedBy "lead,root"; a plain call
    private static final String DELEGATED_DENY_V2_HEX = ""
            + "02" //                                    version 2: the record ends at vouchedBy
            + "03" //                                    type CALL_DENIED
            + "0000000000000005" //                      seq
            + "0000018bcfe5680f" //                      time millis
            + "03" //                                    agentRing
            + "01" //                                    requiredRing
            + "0006" + "68656c706572" //                 "helper"
            + "0000" //                                  sessionId ""
            + "000d" + "636f6d2e61636d652e42616e6b" //   "com.acme.Bank"
            + "0008" + "7472616e73666572" //             "transfer"
            + "0005" + "284a4a2956" //                   "(JJ)V"
            + "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f" // argsDigest
            + "0011" + "6c6561643e6f7263686573747261746f72" // onBehalfOf "lead>orchestrator"
            + "0009" + "6c6561642c726f6f74"; //      vouchedBy "lead,root"

    /** The same delegated DENY in version 3: version byte 03, and three empty strings after vouchedBy. */
    private static final String DELEGATED_DENY_HEX = "03" + DELEGATED_DENY_V2_HEX.substring(2)
            + "0000" + "0000" + "0000"; //               framework "", tool "", invocationId ""

    // ---- ALLOW of a framework tool: seq 6, time TIME + 17, agentRing 2, requiredRing 2, agent "researcher-1",
    // ---- session "sé-1", class "com.acme.SearchTools", method "webSearch",
    // ---- descriptor "(Ljava/lang/String;)Ljava/util/List;", argsDigest 40..5f, onBehalfOf "lead", vouchedBy "lead",
    // ---- framework "langchain4j", tool "web_search", invocationId "call_1"
    private static final String FRAMEWORK_ALLOW_HEX = ""
            + "03" //                                    version
            + "02" //                                    type CALL_ALLOWED
            + "0000000000000006" //                      seq
            + "0000018bcfe56811" //                      time millis
            + "02" //                                    agentRing
            + "02" //                                    requiredRing
            + "000c" + "726573656172636865722d31" //     "researcher-1"
            + "0005" + "73c3a92d31" //                   "sé-1"
            + "0014" + "636f6d2e61636d652e536561726368546f6f6c73" // "com.acme.SearchTools"
            + "0009" + "776562536561726368" //           "webSearch"
            + "0024" + "284c6a6176612f6c616e672f537472696e673b294c6a6176612f7574696c2f4c6973743b" // descriptor
            + "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f" // argsDigest
            + "0004" + "6c656164" //                     onBehalfOf "lead"
            + "0004" + "6c656164" //                     vouchedBy "lead"
            + "000b" + "6c616e67636861696e346a" //       framework "langchain4j"
            + "000a" + "7765625f736561726368" //         tool "web_search"
            + "0006" + "63616c6c5f31"; //                invocationId "call_1"

    // ---- GENESIS: seq 0, time TIME, writer "w-1", policyDigest aa*32, source "policy.yaml"
    private static final String GENESIS_HEX = ""
            + "03" + "01" + "0000000000000000" + "0000018bcfe56800"
            + "0003" + "772d31"
            + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
            + "000b" + "706f6c6963792e79616d6c";

    /** The same GENESIS in version 1: only the version byte differs. */
    private static final String GENESIS_V1_HEX = "01" + GENESIS_HEX.substring(2);

    /** The same GENESIS in version 2: only the version byte differs. */
    private static final String GENESIS_V2_HEX = "02" + GENESIS_HEX.substring(2);

    /** SHA-256(32 zero bytes || GENESIS bytes). */
    private static final String GENESIS_HASH_HEX =
            "5ce52f8809b9af25542a342aea3d06cedff2e04de778459e025e819aeb642e5d";

    /** SHA-256(GENESIS hash || ALLOW bytes): the ALLOW record chained after the GENESIS one. */
    private static final String ALLOW_HASH_HEX =
            "8e5db73f3f16e351e94313e7eb5dca15ed60b24d16bf8d48dc0b6c597fb88977";

    /** SHA-256(SESSION hash || delegated DENY bytes): the delegated DENY chained after the SESSION record. */
    private static final String DELEGATED_DENY_HASH_HEX =
            "3108951d37e64dcbaa1fc38d157c8baf3c93d0c390514e49a1f9372049bb8aba";

    /** SHA-256(delegated DENY hash || framework ALLOW bytes): the framework call chained after the DENY. */
    private static final String FRAMEWORK_ALLOW_HASH_HEX =
            "97073045302798ae1e48f46eba960154318e589e50a483f8e1897313ba202f7a";

    /** SHA-256(32 zero bytes || version 1 GENESIS bytes). */
    private static final String GENESIS_V1_HASH_HEX =
            "3548216859c051fcd1c5b892c7b4a0d199fd79ac786d4792925ac0324266c69d";

    /** SHA-256(version 1 GENESIS hash || version 1 ALLOW bytes). */
    private static final String ALLOW_V1_HASH_HEX =
            "3c8ac2e5a37cfe94be2a812bc5982ecde24d34bf3ec3136eb0c0c9c25301fa0d";

    // ---- The version 2 golden trail, as version 2 pinned it: GENESIS, ALLOW, SESSION, delegated DENY, each
    // ---- chained after the one before
    /** SHA-256(32 zero bytes || version 2 GENESIS bytes). */
    private static final String GENESIS_V2_HASH_HEX =
            "b5a6ec74aa41de23bbd3271050884e50b3995275cb86d0972664f58dbf1d3174";
    /** SHA-256(version 2 GENESIS hash || version 2 ALLOW bytes). */
    private static final String ALLOW_V2_HASH_HEX =
            "bea185c014325720590a187c4ea7212f559aabd404a22b8876e093b836be0b9a";
    /** SHA-256(version 2 ALLOW hash || version 2 SESSION bytes). */
    private static final String SESSION_V2_HASH_HEX =
            "81a35c109197bedec321393ff7816bac75ed0f34f043a0621490d5237df9b63c";
    /** SHA-256(version 2 SESSION hash || version 2 delegated DENY bytes). */
    private static final String DELEGATED_DENY_V2_HASH_HEX =
            "e60f366a5dac7156bcca652b49f7306a4d43a0d93d41a4b6a3e44c730c509a40";

    // ---- A trail two upgrades leave: the version 1 GENESIS and ALLOW above, then a version 2 run: its GENESIS
    // ---- (seq 2, time TIME + 10, writer "w-2"), then the version 2 delegated DENY numbered seq 3; then a version 3
    // ---- run: its GENESIS (seq 4, time TIME + 16, writer "w-3"), then the framework ALLOW numbered seq 5
    private static final String MIXED_GENESIS_HEX = "020100000000000000020000018bcfe5680a0003772d32"
            + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "000b706f6c6963792e79616d6c";
    private static final String MIXED_GENESIS_HASH_HEX =
            "50f4c60281a2c79927b587edc18e2de69caab87a643f9093f65d2973917b3d75";
    private static final String MIXED_DENY_HEX = DELEGATED_DENY_V2_HEX.substring(0, 4) + "0000000000000003"
            + DELEGATED_DENY_V2_HEX.substring(20);
    private static final String MIXED_DENY_HASH_HEX =
            "bc3bbd934b22240d492425bea913df7a8e3934cb80765374ce04d9edb65d587a";
    private static final String MIXED_V3_GENESIS_HEX = "030100000000000000040000018bcfe568100003772d33"
            + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "000b706f6c6963792e79616d6c";
    private static final String MIXED_V3_GENESIS_HASH_HEX =
            "b19b3934aa3debb511c5c51f7d8eb7e1490201c0d7e5c97f0b8983f25ff669cc";
    private static final String MIXED_FRAMEWORK_ALLOW_HEX = FRAMEWORK_ALLOW_HEX.substring(0, 4) + "0000000000000005"
            + FRAMEWORK_ALLOW_HEX.substring(20);
    private static final String MIXED_FRAMEWORK_ALLOW_HASH_HEX =
            "b77a60e27906b06267d584e707ce773f03d3b5f761be0633828f8edcad5dbeaf";

    // ---- RETURNED: seq 2, time TIME + 9, callSeq 1, durationNanos 0x0102030405060708, exception "",
    // ---- session "sé-1"
    private static final String RETURNED_HEX = ""
            + "03" //                                    version
            + "04" //                                    type CALL_RETURNED
            + "0000000000000002" //                      seq
            + "0000018bcfe56809" //                      time millis
            + "0000000000000001" //                      callSeq
            + "0102030405060708" //                      durationNanos
            + "0000" //                                  exceptionClass ""
            + "0005" + "73c3a92d31"; //                  sessionId "sé-1"

    // ---- THREW: seq -1 (all ones), time 0, callSeq Long.MIN_VALUE, duration -2, exception "E", session ""
    private static final String THREW_HEX = ""
            + "03" + "05" + "ffffffffffffffff" + "0000000000000000"
            + "8000000000000000" + "fffffffffffffffe" + "0001" + "45" + "0000";

    // ---- SESSION: seq 2, time TIME + 7, session "sé-1", event JOINED, agent "agent-7", agentRing 2,
    // ---- detail "max 5 participants"
    private static final String SESSION_HEX = ""
            + "03" //                                    version
            + "06" //                                    type SESSION_EVENT
            + "0000000000000002" //                      seq
            + "0000018bcfe56807" //                      time millis
            + "0005" + "73c3a92d31" //                   "sé-1"
            + "02" //                                    event JOINED
            + "0007" + "6167656e742d37" //               "agent-7"
            + "02" //                                    agentRing
            + "0012" + "6d61782035207061727469636970616e7473"; // "max 5 participants"

    /** The same SESSION record in version 2: only the version byte differs. */
    private static final String SESSION_V2_HEX = "02" + SESSION_HEX.substring(2);

    /** SHA-256(ALLOW hash || SESSION bytes): the SESSION record chained after the ALLOW one. */
    private static final String SESSION_HASH_HEX =
            "485b8b8a6eed1aadcf27e62172c9c646cf597823289f05a6cc7855d0280119d2";

    // ---- SESSION naming no agent: as above but event CREATED, agent "", agentRing 255 (none), detail ""
    private static final String SESSION_NO_AGENT_HEX = ""
            + "03" + "06" + "0000000000000002" + "0000018bcfe56807"
            + "0005" + "73c3a92d31" + "01" + "0000" + "ff" + "0000";

    // ---- SAGA: seq 3, time TIME + 11, session "sé-1", saga "trip-0a1b", event STEP_COMPLETED, agent "agent-7",
    // ---- step "flight", attempt 2, durationNanos 0x0102030405060708, detail "ok", data "s:BK-1"
    private static final String SAGA_HEX = ""
            + "03" //                                    version
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
    private static final String CONTROL_HEX = "030800000000000000040000018bcfe5680d0100126167656e743a726573656172636865722d3100086f707340686f737400076c6f6f70696e67001b766961206a6d783b20312063616c6c20696e746572727570746564";

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

    private static byte[] denyDigest() {
        byte[] d = new byte[32];
        for (int i = 0; i < 32; i++) {
            d[i] = (byte) (0x20 + i);
        }
        return d;
    }

    private static byte[] encodeDelegatedDeny() {
        return new RecordEncoder().decision(RecordType.CALL_DENIED, 5, TIME + 15, 3, 1, Utf8.encode("helper"),
                new byte[0], Utf8.encode("com.acme.Bank"), Utf8.encode("transfer"), Utf8.encode("(JJ)V"),
                denyDigest(), Utf8.encode("lead>orchestrator"), Utf8.encode("lead,root")).toByteArray();
    }

    private static byte[] frameworkDigest() {
        byte[] d = new byte[32];
        for (int i = 0; i < 32; i++) {
            d[i] = (byte) (0x40 + i);
        }
        return d;
    }

    private static byte[] encodeFrameworkAllow() {
        return new RecordEncoder().decision(RecordType.CALL_ALLOWED, 6, TIME + 17, 2, 2, Utf8.encode("researcher-1"),
                Utf8.encode("s\u00e9-1"), Utf8.encode("com.acme.SearchTools"), Utf8.encode("webSearch"),
                Utf8.encode("(Ljava/lang/String;)Ljava/util/List;"), frameworkDigest(), Utf8.encode("lead"),
                Utf8.encode("lead"), Utf8.encode("langchain4j"), Utf8.encode("web_search"), Utf8.encode("call_1"))
                .toByteArray();
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
        assertThat(encodeAllow()).hasSize(129);
    }

    @Test
    void allowRecordMatchesTheDocumentedLayoutBuiltByHand() throws IOException {
        byte[] byHand = new Layout().u8(3).u8(2).i64(1).i64(TIME + 5).u8(2).u8(1).str("agent-7").str("s\u00e9-1")
                .str("com.acme.Tools").str("sendEmail").str("(Ljava/lang/String;I)V").raw(allowDigest()).str("")
                .str("").str("").str("").str("").bytes();
        assertThat(HEX.formatHex(byHand)).isEqualTo(ALLOW_HEX);
        assertThat(encodeAllow()).isEqualTo(byHand);
        // The shorter overloads write exactly what the full one writes with the fields they leave out empty.
        byte[] none = new byte[0];
        byte[] delegation = new RecordEncoder().decision(RecordType.CALL_ALLOWED, 1, TIME + 5, 2, 1,
                Utf8.encode("agent-7"), Utf8.encode("s\u00e9-1"), Utf8.encode("com.acme.Tools"),
                Utf8.encode("sendEmail"), Utf8.encode("(Ljava/lang/String;I)V"), allowDigest(), none, none)
                .toByteArray();
        byte[] full = new RecordEncoder().decision(RecordType.CALL_ALLOWED, 1, TIME + 5, 2, 1, Utf8.encode("agent-7"),
                Utf8.encode("s\u00e9-1"), Utf8.encode("com.acme.Tools"), Utf8.encode("sendEmail"),
                Utf8.encode("(Ljava/lang/String;I)V"), allowDigest(), none, none, none, none, none).toByteArray();
        assertThat(delegation).isEqualTo(byHand);
        assertThat(full).isEqualTo(byHand);
    }

    @Test
    void delegatedDecisionHasTheseExactBytesAndDecodes() throws IOException {
        byte[] deny = encodeDelegatedDeny();
        assertThat(HEX.formatHex(deny)).isEqualTo(DELEGATED_DENY_HEX);
        assertThat(deny).hasSize(130);
        assertThat(deny).isEqualTo(new Layout().u8(3).u8(3).i64(5).i64(TIME + 15).u8(3).u8(1).str("helper").str("")
                .str("com.acme.Bank").str("transfer").str("(JJ)V").raw(denyDigest()).str("lead>orchestrator")
                .str("lead,root").str("").str("").str("").bytes());

        AuditRecord r = AuditRecord.decode(deny, 0, deny.length);
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.type()).isEqualTo(RecordType.CALL_DENIED);
        assertThat(r.agentId()).isEqualTo("helper");
        assertThat(r.sessionId()).isEmpty();
        assertThat(r.argsDigest()).isEqualTo(denyDigest());
        assertThat(r.onBehalfOf()).isEqualTo("lead>orchestrator");
        assertThat(r.vouchedBy()).isEqualTo("lead,root");
        assertThat(r.framework()).as("a plain call").isEmpty();
        assertThat(r.tool()).isEmpty();
        assertThat(r.invocationId()).isEmpty();
        assertThat(r.toString()).endsWith(" onBehalfOf=lead>orchestrator vouchedBy=lead,root}");
        // the view hands out where the two strings lie, as for every other string; three empty ones follow
        RecordView v = new RecordView().wrap(deny, 0, deny.length);
        assertThat(v.textOffset(RecordView.Text.ON_BEHALF_OF)).isEqualTo(deny.length - 3 * 2 - 2 - 9 - 17);
        assertThat(v.textLength(RecordView.Text.ON_BEHALF_OF)).isEqualTo(17);
        assertThat(v.textOffset(RecordView.Text.VOUCHED_BY)).isEqualTo(deny.length - 3 * 2 - 9);
        assertThat(v.text(RecordView.Text.VOUCHED_BY)).isEqualTo("lead,root");
    }

    @Test
    void frameworkDecisionHasTheseExactBytesAndDecodes() throws IOException {
        byte[] allow = encodeFrameworkAllow();
        assertThat(HEX.formatHex(allow)).isEqualTo(FRAMEWORK_ALLOW_HEX);
        assertThat(allow).hasSize(189);
        assertThat(allow).isEqualTo(new Layout().u8(3).u8(2).i64(6).i64(TIME + 17).u8(2).u8(2).str("researcher-1")
                .str("s\u00e9-1").str("com.acme.SearchTools").str("webSearch")
                .str("(Ljava/lang/String;)Ljava/util/List;").raw(frameworkDigest()).str("lead").str("lead")
                .str("langchain4j").str("web_search").str("call_1").bytes());

        AuditRecord r = AuditRecord.decode(allow, 0, allow.length);
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.type()).isEqualTo(RecordType.CALL_ALLOWED);
        assertThat(r.agentId()).isEqualTo("researcher-1");
        assertThat(r.className()).isEqualTo("com.acme.SearchTools");
        assertThat(r.methodName()).isEqualTo("webSearch");
        assertThat(r.argsDigest()).isEqualTo(frameworkDigest());
        assertThat(r.onBehalfOf()).isEqualTo("lead");
        assertThat(r.vouchedBy()).isEqualTo("lead");
        assertThat(r.framework()).isEqualTo("langchain4j");
        assertThat(r.tool()).isEqualTo("web_search");
        assertThat(r.invocationId()).isEqualTo("call_1");
        assertThat(r.toString()).endsWith(" onBehalfOf=lead vouchedBy=lead framework=langchain4j tool=web_search "
                + "invocationId=call_1}");
        // the view hands out where the three strings lie: the last ones of the record
        RecordView v = new RecordView().wrap(allow, 0, allow.length);
        assertThat(v.textOffset(RecordView.Text.FRAMEWORK)).isEqualTo(allow.length - 6 - 2 - 10 - 2 - 11);
        assertThat(v.textLength(RecordView.Text.FRAMEWORK)).isEqualTo(11);
        assertThat(v.textOffset(RecordView.Text.TOOL)).isEqualTo(allow.length - 6 - 2 - 10);
        assertThat(v.textLength(RecordView.Text.TOOL)).isEqualTo(10);
        assertThat(v.textOffset(RecordView.Text.INVOCATION_ID)).isEqualTo(allow.length - 6);
        assertThat(v.text(RecordView.Text.INVOCATION_ID)).isEqualTo("call_1");
    }

    @Test
    void version1DecisionStillDecodesWithNoDelegation() throws IOException {
        byte[] b = HEX.parseHex(ALLOW_V1_HEX);
        assertThat(b).hasSize(119);
        assertThat(b).isEqualTo(new Layout().u8(1).u8(2).i64(1).i64(TIME + 5).u8(2).u8(1).str("agent-7")
                .str("s\u00e9-1").str("com.acme.Tools").str("sendEmail").str("(Ljava/lang/String;I)V")
                .raw(allowDigest()).bytes());
        AuditRecord v1 = AuditRecord.decode(b, 0, b.length);
        byte[] current = encodeAllow();
        AuditRecord v3 = AuditRecord.decode(current, 0, current.length);
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v1.onBehalfOf()).isEmpty();
        assertThat(v1.vouchedBy()).isEmpty();
        assertThat(v1.framework()).isEmpty();
        // every field but the version reads as the current record of the same decision
        List<Object> expected = new java.util.ArrayList<>(Trails.fields(v3));
        expected.set(0, 1);
        assertThat(Trails.fields(v1)).isEqualTo(expected);
        assertThat(HEX.formatHex(current)).isEqualTo(ALLOW_HEX);
    }

    @Test
    void version2DecisionsStillDecodeAsPlainCalls() throws IOException {
        byte[] allow = HEX.parseHex(ALLOW_V2_HEX);
        byte[] deny = HEX.parseHex(DELEGATED_DENY_V2_HEX);
        assertThat(allow).hasSize(123);
        assertThat(deny).hasSize(124);
        assertThat(deny).isEqualTo(new Layout().u8(2).u8(3).i64(5).i64(TIME + 15).u8(3).u8(1).str("helper").str("")
                .str("com.acme.Bank").str("transfer").str("(JJ)V").raw(denyDigest()).str("lead>orchestrator")
                .str("lead,root").bytes());
        // every field but the version reads as the current record of the same decision: no framework, tool or id
        byte[][][] pairs = {{allow, encodeAllow()}, {deny, encodeDelegatedDeny()}};
        for (byte[][] pair : pairs) {
            AuditRecord v2 = AuditRecord.decode(pair[0], 0, pair[0].length);
            AuditRecord v3 = AuditRecord.decode(pair[1], 0, pair[1].length);
            assertThat(v2.version()).isEqualTo(2);
            assertThat(v2.framework()).isEmpty();
            assertThat(v2.tool()).isEmpty();
            assertThat(v2.invocationId()).isEmpty();
            List<Object> expected = new java.util.ArrayList<>(Trails.fields(v3));
            expected.set(0, 2);
            assertThat(Trails.fields(v2)).isEqualTo(expected);
        }
        assertThat(AuditRecord.decode(deny, 0, deny.length).onBehalfOf()).isEqualTo("lead>orchestrator");
    }

    @Test
    void theVersion2GoldenVectorsStillDecodeAndChain() {
        // The version 2 chain hashes are those version 2 pinned; version 3 changes no stored byte.
        List<AuditRecord> read = decodeAndChain(List.of(GENESIS_V2_HEX, ALLOW_V2_HEX, SESSION_V2_HEX,
                DELEGATED_DENY_V2_HEX), List.of(GENESIS_V2_HASH_HEX, ALLOW_V2_HASH_HEX, SESSION_V2_HASH_HEX,
                DELEGATED_DENY_V2_HASH_HEX));
        assertThat(read).extracting(AuditRecord::version).containsExactly(2, 2, 2, 2);
        assertThat(read.get(3).vouchedBy()).isEqualTo("lead,root");
        assertThat(read.get(3).tool()).isEmpty();
    }

    @Test
    void theVersion3GoldenVectorsDecodeAndChain() {
        List<AuditRecord> read = decodeAndChain(List.of(GENESIS_HEX, ALLOW_HEX, SESSION_HEX, DELEGATED_DENY_HEX,
                FRAMEWORK_ALLOW_HEX), List.of(GENESIS_HASH_HEX, ALLOW_HASH_HEX, SESSION_HASH_HEX,
                DELEGATED_DENY_HASH_HEX, FRAMEWORK_ALLOW_HASH_HEX));
        assertThat(read).extracting(AuditRecord::version).containsOnly(3);
        assertThat(read).extracting(AuditRecord::tool).containsExactly("", "", "", "", "web_search");
    }

    /**
     * Decodes the records and chains them with {@link ChainHasher} from the zero hash (a golden trail's seqs are
     * not its positions, so {@link ChainVerifier} would refuse it), checking each hash.
     *
     * @return the records, decoded
     */
    private static List<AuditRecord> decodeAndChain(List<String> recordsHex, List<String> hashesHex) {
        ChainHasher hasher = new ChainHasher();
        byte[] previous = TrailFormat.zeroHash();
        List<AuditRecord> read = new java.util.ArrayList<>();
        for (int i = 0; i < recordsHex.size(); i++) {
            byte[] r = HEX.parseHex(recordsHex.get(i));
            read.add(AuditRecord.decode(r, 0, r.length));
            byte[] hash = new byte[TrailFormat.HASH_LENGTH];
            hasher.chain(previous, r, 0, r.length, hash, 0);
            assertThat(Hex.of(hash)).as("hash of record %d", i).isEqualTo(hashesHex.get(i));
            previous = hash;
        }
        return read;
    }

    @Test
    void aTrailOfVersion1RecordsThenVersion2OnesThenVersion3OnesVerifies() throws Exception {
        // The version 1 and 2 chain hashes are those pinned then; the upgrades change no stored byte.
        assertThat(chained(HEX.formatHex(new byte[32]), GENESIS_V1_HEX)).isEqualTo(GENESIS_V1_HASH_HEX);
        assertThat(chained(GENESIS_V1_HASH_HEX, ALLOW_V1_HEX)).isEqualTo(ALLOW_V1_HASH_HEX);
        assertThat(chained(ALLOW_V1_HASH_HEX, MIXED_GENESIS_HEX)).isEqualTo(MIXED_GENESIS_HASH_HEX);
        assertThat(chained(MIXED_GENESIS_HASH_HEX, MIXED_DENY_HEX)).isEqualTo(MIXED_DENY_HASH_HEX);
        assertThat(chained(MIXED_DENY_HASH_HEX, MIXED_V3_GENESIS_HEX)).isEqualTo(MIXED_V3_GENESIS_HASH_HEX);
        assertThat(chained(MIXED_V3_GENESIS_HASH_HEX, MIXED_FRAMEWORK_ALLOW_HEX))
                .isEqualTo(MIXED_FRAMEWORK_ALLOW_HASH_HEX);

        ChainVerifier verifier = new ChainVerifier();
        List<String> stored = List.of(GENESIS_V1_HEX + GENESIS_V1_HASH_HEX, ALLOW_V1_HEX + ALLOW_V1_HASH_HEX,
                MIXED_GENESIS_HEX + MIXED_GENESIS_HASH_HEX, MIXED_DENY_HEX + MIXED_DENY_HASH_HEX,
                MIXED_V3_GENESIS_HEX + MIXED_V3_GENESIS_HASH_HEX,
                MIXED_FRAMEWORK_ALLOW_HEX + MIXED_FRAMEWORK_ALLOW_HASH_HEX);
        List<AuditRecord> read = new java.util.ArrayList<>();
        for (String hex : stored) {
            byte[] s = HEX.parseHex(hex);
            read.add(verifier.accept(s, s.length));
        }
        assertThat(Hex.of(verifier.headHash())).isEqualTo(MIXED_FRAMEWORK_ALLOW_HASH_HEX);
        assertThat(read).extracting(AuditRecord::version).containsExactly(1, 1, 2, 2, 3, 3);
        assertThat(read).extracting(AuditRecord::type).containsExactly(RecordType.GENESIS, RecordType.CALL_ALLOWED,
                RecordType.GENESIS, RecordType.CALL_DENIED, RecordType.GENESIS, RecordType.CALL_ALLOWED);
        assertThat(read.get(1).onBehalfOf()).isEmpty();
        assertThat(read.get(3).onBehalfOf()).isEqualTo("lead>orchestrator");
        assertThat(read.get(3).vouchedBy()).isEqualTo("lead,root");
        assertThat(read).extracting(AuditRecord::framework).containsExactly("", "", "", "", "", "langchain4j");
        assertThat(read.get(5).tool()).isEqualTo("web_search");
        assertThat(read.get(5).invocationId()).isEqualTo("call_1");
        assertThat(read.get(5).writerId()).isEmpty();
        assertThat(read.get(4).writerId()).isEqualTo("w-3");
    }

    @Test
    void onlyVersions1To3AreRead() {
        for (int version = 0; version < 256; version++) {
            byte[] b = HEX.parseHex(GENESIS_HEX);
            b[0] = (byte) version;
            if (version >= 1 && version <= 3) {
                assertThat(AuditRecord.decode(b, 0, b.length).version()).isEqualTo(version);
            } else {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditRecord.decode(b, 0, b.length))
                        .isInstanceOf(MalformedRecordException.class)
                        .hasMessage("unsupported format version " + version);
            }
        }
        // A decision's layout follows its version: older bytes labelled newer end early, and the other way round
        // strings are left over.
        for (String older : List.of(ALLOW_V1_HEX, ALLOW_V2_HEX, DELEGATED_DENY_V2_HEX)) {
            byte[] b = HEX.parseHex(older);
            b[0] = 3;
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditRecord.decode(b, 0, b.length))
                    .isInstanceOf(MalformedRecordException.class).hasMessageContaining("ends early");
        }
        byte[] v1 = HEX.parseHex(ALLOW_V1_HEX);
        v1[0] = 2;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditRecord.decode(v1, 0, v1.length))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("ends early");
        byte[] v2 = HEX.parseHex(DELEGATED_DENY_V2_HEX);
        v2[0] = 1;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditRecord.decode(v2, 0, v2.length))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("30 unexpected bytes");
        byte[] v3 = encodeFrameworkAllow();
        v3[0] = 2;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditRecord.decode(v3, 0, v3.length))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("33 unexpected bytes");
        v3[0] = 1;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditRecord.decode(v3, 0, v3.length))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("45 unexpected bytes");
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
        assertThat(r.onBehalfOf()).as("acting for itself").isEmpty();
        assertThat(r.vouchedBy()).as("vouched for by no one").isEmpty();
        assertThat(r.framework()).as("a plain call").isEmpty();
        assertThat(r.tool()).isEmpty();
        assertThat(r.invocationId()).isEmpty();
    }

    @Test
    void sessionRecordHasTheseExactBytes() throws IOException {
        assertThat(HEX.formatHex(encodeSession())).isEqualTo(SESSION_HEX);
        assertThat(encodeSession()).hasSize(56);
        byte[] byHand = new Layout().u8(3).u8(6).i64(2).i64(TIME + 7).str("s\u00e9-1").u8(2).str("agent-7").u8(2)
                .str("max 5 participants").bytes();
        assertThat(encodeSession()).isEqualTo(byHand);
    }

    @Test
    void sessionRecordNamingNoAgentStoresRing255() throws IOException {
        byte[] none = new RecordEncoder().sessionEvent(2, TIME + 7, Utf8.encode("s\u00e9-1"), SessionEvent.CREATED,
                new byte[0], TrailFormat.NO_RING, new byte[0]).toByteArray();
        assertThat(HEX.formatHex(none)).isEqualTo(SESSION_NO_AGENT_HEX);
        assertThat(none).isEqualTo(new Layout().u8(3).u8(6).i64(2).i64(TIME + 7).str("s\u00e9-1").u8(1).str("")
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
        assertThat(saga).isEqualTo(new Layout().u8(3).u8(7).i64(3).i64(TIME + 11).str("s\u00e9-1").str("trip-0a1b")
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
        assertThat(control).isEqualTo(new Layout().u8(3).u8(8).i64(4).i64(TIME + 13).u8(1).str("agent:researcher-1")
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
                (byte) 3, (byte) 4, (byte) 5, (byte) 6, (byte) 7, (byte) 8, (byte) 9, (byte) 10, (byte) 11, (byte) 12,
                (byte) 13);
        assertThat(ControlEvent.values()).extracting(ControlEvent::label).containsExactly("KILLED", "REVIVED",
                "QUARANTINED", "RELEASED", "ELEVATED", "ELEVATION_USED", "ELEVATION_EXPIRED", "VOUCHED",
                "VOUCH_WITHDRAWN", "SLASHED", "RING_CHANGED", "BREACH", "COMMAND_REFUSED");
        for (ControlEvent e : ControlEvent.values()) {
            assertThat(ControlEvent.ofCode(e.code())).isSameAs(e);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ControlEvent.ofCode((byte) 14))
                .isInstanceOf(MalformedRecordException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ControlEvent.ofCode((byte) 0))
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
        byte[] byHand = new Layout().u8(3).u8(1).i64(0).i64(TIME).str("w-1").raw(policy).str("policy.yaml").bytes();
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
        assertThat(chained(GENESIS_HASH_HEX, ALLOW_HEX)).isEqualTo(ALLOW_HASH_HEX);

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
    void sessionChainedAfterAllowAndTheDelegatedDenyAndTheFrameworkCallAfterIt() throws Exception {
        assertThat(chained(ALLOW_HASH_HEX, SESSION_HEX)).isEqualTo(SESSION_HASH_HEX);
        assertThat(chained(SESSION_HASH_HEX, DELEGATED_DENY_HEX)).isEqualTo(DELEGATED_DENY_HASH_HEX);
        assertThat(chained(DELEGATED_DENY_HASH_HEX, FRAMEWORK_ALLOW_HEX)).isEqualTo(FRAMEWORK_ALLOW_HASH_HEX);
    }

    /** @return SHA-256(previous hash || record), computed with the JDK directly, in hex */
    private static String chained(String previousHashHex, String recordHex) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        md.update(HEX.parseHex(previousHashHex));
        md.update(HEX.parseHex(recordHex));
        return HEX.formatHex(md.digest());
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
        assertThat(returned).isEqualTo(new Layout().u8(3).u8(4).i64(2).i64(TIME + 9).i64(1)
                .i64(0x0102030405060708L).str("").str("s\u00e9-1").bytes());
        assertThat(threw).isEqualTo(new Layout().u8(3).u8(5).i64(-1).i64(0).i64(Long.MIN_VALUE).i64(-2).str("E")
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
        assertThat(expected).startsWith("0303");
        assertThat(HEX.formatHex(deny)).isEqualTo(expected);
    }

    @Test
    void formatConstants() {
        assertThat(TrailFormat.VERSION).isEqualTo(3);
        assertThat(TrailFormat.OLDEST_READABLE_VERSION).isEqualTo(1);
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
