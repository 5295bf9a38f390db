package dev.agentmesh.audit.format;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test helpers: canonical records built with {@link RecordEncoder}, and stored records (canonical bytes followed by
 * the chain hash) chained with the JDK's {@link MessageDigest} directly, independently of {@link ChainHasher}.
 */
final class Trails {

    static final long T0 = 1_700_000_000_000L;

    private Trails() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(UTF_8);
    }

    static byte[] filled(int value) {
        byte[] d = new byte[TrailFormat.HASH_LENGTH];
        Arrays.fill(d, (byte) value);
        return d;
    }

    static byte[] genesis(long seq) {
        return new RecordEncoder()
                .genesis(seq, T0 + seq, utf8("writer-" + seq), filled(0x11), utf8("policy.yaml"))
                .toByteArray();
    }

    static byte[] allow(long seq) {
        return decision(RecordType.CALL_ALLOWED, seq);
    }

    static byte[] deny(long seq) {
        return decision(RecordType.CALL_DENIED, seq);
    }

    /**
     * A decision of agent {@code agent-<seq>}: an ALLOW is a plain call of an agent acting for itself, vouched for
     * by no one; a DENY acts on behalf of {@code lead>orchestrator}, is vouched for by {@code lead,root}, and calls
     * the {@code mcp} tool {@code delete_records} as invocation {@code req-<seq>}, so trails carry all of these.
     */
    static byte[] decision(RecordType type, long seq) {
        boolean delegated = type == RecordType.CALL_DENIED;
        return new RecordEncoder()
                .decision(type, seq, T0 + seq, 2, 1, utf8("agent-" + seq), utf8("session"), utf8("com.acme.Tools"),
                        utf8("send"), utf8("(Ljava/lang/String;)V"), filled((int) seq),
                        utf8(delegated ? "lead>orchestrator" : ""), utf8(delegated ? "lead,root" : ""),
                        utf8(delegated ? "mcp" : ""), utf8(delegated ? "delete_records" : ""),
                        utf8(delegated ? "req-" + seq : ""))
                .toByteArray();
    }

    /**
     * Rewrites a record of the current version as an older version wrote it: its version byte, and for a decision
     * without the strings that version lacks, which end it (version 1 ends at argsDigest, version 2 at vouchedBy).
     *
     * @param current a record in {@link TrailFormat#VERSION}; a decision's strings the older version lacks must be
     *     empty, as they would be had that version written it
     * @param version 1, 2 or {@link TrailFormat#VERSION}
     * @return the record's bytes in that version
     */
    static byte[] asVersion(byte[] current, int version) {
        AuditRecord r = AuditRecord.decode(current, 0, current.length);
        List<String> dropped = new ArrayList<>();
        if (r.type().isDecision()) {
            if (version < 3) {
                dropped.addAll(List.of(r.framework(), r.tool(), r.invocationId()));
            }
            if (version < 2) {
                dropped.addAll(List.of(r.onBehalfOf(), r.vouchedBy()));
            }
        }
        for (String field : dropped) {
            if (!field.isEmpty()) {
                throw new IllegalArgumentException("version " + version + " cannot hold " + r);
            }
        }
        // Each empty string is its two length bytes, 0000, at the end of the record.
        byte[] older = Arrays.copyOf(current, current.length - 2 * dropped.size());
        older[0] = (byte) version;
        return older;
    }

    static byte[] returned(long seq, long callSeq) {
        return new RecordEncoder()
                .outcome(RecordType.CALL_RETURNED, seq, T0 + seq, callSeq, 1234L, new byte[0], utf8("session"))
                .toByteArray();
    }

    static byte[] threw(long seq, long callSeq) {
        return new RecordEncoder()
                .outcome(RecordType.CALL_THREW, seq, T0 + seq, callSeq, 99L, utf8("java.io.IOException"),
                        utf8("session"))
                .toByteArray();
    }

    /**
     * A SESSION record of session {@code s-<k>}, where {@code k = seq / 6} (as {@link #canonicalTrail} places
     * them): its event cycles through every {@link SessionEvent} with {@code k}; for odd {@code k} it names no agent
     * (ring {@link TrailFormat#NO_RING}) and carries a detail, for even {@code k} agent {@code agent-<seq>} in ring 2.
     */
    static byte[] session(long seq) {
        long k = seq / 6;
        SessionEvent event = SessionEvent.values()[(int) Math.floorMod(k, SessionEvent.values().length)];
        boolean agent = k % 2 == 0;
        return new RecordEncoder()
                .sessionEvent(seq, T0 + seq, utf8("s-" + k), event, agent ? utf8("agent-" + seq) : new byte[0],
                        agent ? 2 : TrailFormat.NO_RING, utf8(agent ? "" : "detail " + seq))
                .toByteArray();
    }

    /**
     * A SAGA record of saga {@code g-<k>}, where {@code k = seq / 6}: its event cycles through every
     * {@link SagaEvent} with {@code k}; step events name step {@code step-<seq>} and attempt {@code 1 + k % 3}.
     */
    static byte[] saga(long seq) {
        long k = seq / 6;
        SagaEvent event = SagaEvent.values()[(int) Math.floorMod(k, SagaEvent.values().length)];
        boolean sagaLevel = event.name().startsWith("SAGA_");
        return new RecordEncoder()
                .sagaEvent(seq, T0 + seq, utf8(k % 2 == 0 ? "s-" + k : ""), utf8("g-" + k), event,
                        utf8("agent-" + seq), utf8(sagaLevel ? "" : "step-" + seq), sagaLevel ? 0 : 1 + (int) (k % 3),
                        sagaLevel ? -1 : seq * 1000, utf8("detail " + seq), utf8(k % 2 == 0 ? "s:value " + seq : ""))
                .toByteArray();
    }

    /** A CONTROL record of agent {@code agent-<seq>}: its event cycles through every {@link ControlEvent}. */
    static byte[] control(long seq) {
        ControlEvent event = ControlEvent.values()[(int) Math.floorMod(seq, ControlEvent.values().length)];
        return new RecordEncoder().control(seq, T0 + seq, event, utf8("agent:agent-" + seq), utf8("ops"),
                utf8("reason " + seq), utf8("via api")).toByteArray();
    }

    /**
     * A well-formed trail of {@code n} canonical records: GENESIS, then a repeating ALLOW, RETURNED, DENY, ALLOW,
     * THREW, SESSION pattern whose outcomes close the ALLOW just before them; every third SESSION slot holds a SAGA
     * record instead.
     */
    static List<byte[]> canonicalTrail(int n) {
        List<byte[]> records = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            long seq = i;
            if (i == 0) {
                records.add(genesis(0));
                continue;
            }
            switch ((i - 1) % 6) {
                case 0:
                case 3:
                    records.add(allow(seq));
                    break;
                case 1:
                    records.add(returned(seq, seq - 1));
                    break;
                case 2:
                    records.add(deny(seq));
                    break;
                case 4:
                    records.add(threw(seq, seq - 1));
                    break;
                default:
                    records.add((seq / 6) % 3 == 2 ? saga(seq) : (seq / 6) % 7 == 3 ? control(seq) : session(seq));
                    break;
            }
        }
        return records;
    }

    /** Chains canonical records from the zero hash into stored records (bytes || hash). */
    static List<byte[]> store(List<byte[]> canonical) {
        List<byte[]> stored = new ArrayList<>(canonical.size());
        byte[] previous = new byte[32];
        for (byte[] record : canonical) {
            byte[] hash = sha256(previous, record);
            stored.add(concat(record, hash));
            previous = hash;
        }
        return stored;
    }

    /** SHA-256 over the concatenation of the parts. */
    static byte[] sha256(byte[]... parts) {
        MessageDigest md = newSha256();
        for (byte[] part : parts) {
            md.update(part);
        }
        return md.digest();
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The head hash of the stored records: the last one's trailing 32 bytes, or zeros if none. */
    static byte[] head(List<byte[]> stored) {
        if (stored.isEmpty()) {
            return new byte[32];
        }
        byte[] last = stored.get(stored.size() - 1);
        return Arrays.copyOfRange(last, last.length - 32, last.length);
    }

    /** Canonical part of a stored record. */
    static byte[] canonicalOf(byte[] stored) {
        return Arrays.copyOf(stored, stored.length - 32);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    /** Every field of a decoded record, in a comparable list (digests as hex). */
    static List<Object> fields(AuditRecord r) {
        return Arrays.asList(r.version(), r.type(), r.seq(), r.timeMillis(), r.writerId(), hex(r.policyDigest()),
                r.policySource(), r.agentRing(), r.requiredRing(), r.agentId(), r.sessionId(), r.className(),
                r.methodName(), r.descriptor(), hex(r.argsDigest()), r.callSeq(), r.durationNanos(),
                r.exceptionClass(), r.decision(), r.sessionEvent(), r.detail(), r.sagaEvent(), r.sagaId(), r.step(),
                r.attempt(), r.data(), r.controlEvent(), r.subject(), r.actor(), r.reason(), r.onBehalfOf(),
                r.vouchedBy(), r.framework(), r.tool(), r.invocationId());
    }

    private static String hex(byte[] b) {
        return b == null ? null : Hex.of(b);
    }

    /** Outcome of feeding stored records to a fresh verifier. */
    static final class Run {
        final ChainVerifier verifier = new ChainVerifier();
        final List<AuditRecord> accepted = new ArrayList<>();
        ChainBreak failure;
    }

    /**
     * Feeds the stored records, in order, to a fresh verifier; stops at the first break. Each record is passed in a
     * buffer larger than the record (as a reader reuses one), so the verifier must honour {@code length}.
     */
    static Run verify(List<byte[]> stored) {
        Run run = new Run();
        byte[] buf = new byte[16];
        for (byte[] s : stored) {
            if (buf.length < s.length) {
                buf = new byte[s.length + 64];
            }
            Arrays.fill(buf, (byte) 0x5A);
            System.arraycopy(s, 0, buf, 0, s.length);
            try {
                run.accepted.add(run.verifier.accept(buf, s.length));
            } catch (ChainBreak e) {
                run.failure = e;
                return run;
            }
        }
        return run;
    }
}
