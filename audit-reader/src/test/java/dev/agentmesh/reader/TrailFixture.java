package dev.agentmesh.reader;

import dev.agentmesh.audit.format.ArgumentDigest;
import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ChainHasher;
import dev.agentmesh.audit.format.ControlEvent;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.SagaEvent;
import dev.agentmesh.audit.format.SessionEvent;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.TrailQueue;
import dev.agentmesh.audit.format.Utf8;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Writes real trails the way the agent does: canonical bytes from {@link RecordEncoder}, chained with
 * {@link ChainHasher}, one Chronicle document per record. Records are numbered by position and timed one second
 * apart from {@link #START_MILLIS}, unless {@linkplain #at(long) given a time}. They are written in the current
 * format version unless {@linkplain #writingVersion(int) told} to write version 1 or 2, as agents did before versions
 * 2 and 3.
 */
final class TrailFixture implements AutoCloseable {

    /** Time of the GENESIS record: 2025-03-01T09:30:00Z. */
    static final long START_MILLIS = 1_740_821_400_000L;

    /** Where a decision record's agent id starts: header, agent ring, required ring, the id's 2-byte length. */
    static final int AGENT_ID_OFFSET = TrailFormat.HEADER_LENGTH + 2 + 2;

    static final byte[] POLICY_DIGEST = new ArgumentDigest().digest("policy.yaml bytes");

    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final RecordEncoder encoder = new RecordEncoder();
    private final ChainHasher hasher = new ChainHasher();
    private final List<byte[]> hashes = new ArrayList<>();
    private byte[] previous = TrailFormat.zeroHash();
    private int version = TrailFormat.VERSION;
    /** The time of the next record, if {@link #at(long)} set one. */
    private Long nextTime;

    private TrailFixture(Path dir) {
        queue = TrailQueue.openForWriting(dir);
        appender = queue.createAppender();
    }

    /** Opens a trail in {@code dir} and writes its GENESIS record. */
    static TrailFixture create(Path dir) {
        return create(dir, TrailFormat.VERSION);
    }

    /** Opens a trail in {@code dir} and writes its GENESIS record, in format version {@code version}. */
    static TrailFixture create(Path dir, int version) {
        return new TrailFixture(dir).writingVersion(version).genesis("writer-1");
    }

    /**
     * Writes the records that follow in format version {@code version}: 3, the current one, or 2 or 1, as agents
     * did before versions 3 and 2 (a decision had no framework, tool or invocation id before version 3, and no
     * delegation before version 2, so one written in an older version must have none of what it lacks).
     */
    TrailFixture writingVersion(int version) {
        if (version < TrailFormat.OLDEST_READABLE_VERSION || version > TrailFormat.VERSION) {
            throw new IllegalArgumentException("no format version " + version);
        }
        this.version = version;
        return this;
    }

    /** Appends a GENESIS record, as a later run of the writer opens its part of the trail. */
    TrailFixture genesis(String writerId) {
        encoder.genesis(size(), timeOf(size()), Utf8.encode(writerId), POLICY_DIGEST, Utf8.encode("policy.yaml"));
        return append();
    }

    /**
     * Writes a trail of {@code records} records: GENESIS, then ALLOW/RETURNED pairs. Each ALLOW's agent id is
     * {@code agent-<seq>} with seq in three digits, so every one is a unique marker in the file.
     */
    static TrailFixture standard(Path dir, int records) {
        return standard(dir, records, TrailFormat.VERSION);
    }

    /** As {@link #standard(Path, int)}, every record in format version {@code version}. */
    static TrailFixture standard(Path dir, int records, int version) {
        TrailFixture fixture = create(dir, version);
        while (fixture.size() < records) {
            long seq = fixture.size();
            if (seq % 2 == 1) {
                fixture.decision(RecordType.CALL_ALLOWED, agentId(seq), 2, 1, "session-1", "com.acme.Tools",
                        "search", "(Ljava/lang/String;)V");
            } else {
                fixture.outcome(RecordType.CALL_RETURNED, seq - 1, 1_500L, "", "session-1");
            }
        }
        return fixture;
    }

    /** Appends an ALLOW or DENY record; its argument digest is that of the single argument {@code "arg"}. */
    TrailFixture decision(RecordType type, String agentId, int agentRing, int requiredRing, String sessionId,
            String className, String method, String descriptor) {
        return decision(type, agentId, agentRing, requiredRing, sessionId, className, method, descriptor, "", "");
    }

    /**
     * Appends an ALLOW or DENY record of a delegated agent.
     *
     * @param onBehalfOf the delegation chain, as {@code lead>orchestrator}; empty when the agent acts for itself
     * @param vouchedBy the agent's vouchers, comma-joined, sorted; empty for none
     */
    TrailFixture decision(RecordType type, String agentId, int agentRing, int requiredRing, String sessionId,
            String className, String method, String descriptor, String onBehalfOf, String vouchedBy) {
        return decision(type, agentId, agentRing, requiredRing, sessionId, className, method, descriptor, onBehalfOf,
                vouchedBy, Tool.NONE);
    }

    /**
     * Appends an ALLOW or DENY record of a call an agent framework made to one of its tools, implemented by
     * {@code className#method}.
     *
     * @param onBehalfOf the delegation chain, as {@code lead>orchestrator}; empty when the agent acts for itself
     * @param vouchedBy the agent's vouchers, comma-joined, sorted; empty for none
     * @param tool the framework, its name for the tool and its id for the call; {@link Tool#NONE} for a plain call
     */
    TrailFixture decision(RecordType type, String agentId, int agentRing, int requiredRing, String sessionId,
            String className, String method, String descriptor, String onBehalfOf, String vouchedBy, Tool tool) {
        encoder.decision(type, size(), timeOf(size()), agentRing, requiredRing, Utf8.encode(agentId),
                Utf8.encode(sessionId), Utf8.encode(className), Utf8.encode(method), Utf8.encode(descriptor),
                new ArgumentDigest().digest("arg"), Utf8.encode(onBehalfOf), Utf8.encode(vouchedBy),
                Utf8.encode(tool.framework()), Utf8.encode(tool.name()), Utf8.encode(tool.invocationId()));
        return append();
    }

    /**
     * A framework's tool call, as a decision records it (format version 3).
     *
     * @param framework {@code langchain4j}, {@code spring-ai} or {@code mcp}; empty for a plain call
     * @param name the framework's name for the tool, as {@code web_search}
     * @param invocationId the framework's id for the call, as {@code call_1}; empty if none
     */
    record Tool(String framework, String name, String invocationId) {
        /** A plain {@code @Ring} call, made through no framework. */
        static final Tool NONE = new Tool("", "", "");
    }

    /**
     * Appends a RETURNED or THREW record closing the call at {@code callSeq}.
     *
     * @param sessionId the session the call ran in, as its ALLOW says; empty outside a session
     */
    TrailFixture outcome(RecordType type, long callSeq, long durationNanos, String exceptionClass,
            String sessionId) {
        encoder.outcome(type, size(), timeOf(size()), callSeq, durationNanos, Utf8.encode(exceptionClass),
                Utf8.encode(sessionId));
        return append();
    }

    /**
     * Appends a SESSION record.
     *
     * @param agentRing 0..3, or {@link TrailFormat#NO_RING} when the event names no agent
     */
    TrailFixture session(String sessionId, SessionEvent event, String agentId, int agentRing, String detail) {
        encoder.sessionEvent(size(), timeOf(size()), Utf8.encode(sessionId), event, Utf8.encode(agentId), agentRing,
                Utf8.encode(detail));
        return append();
    }

    /**
     * Appends a SAGA record.
     *
     * @param attempt 1.., or 0 for a saga-level event
     * @param durationNanos how long the attempt ran, or -1 when the event is no attempt's outcome
     */
    TrailFixture saga(String sessionId, String sagaId, SagaEvent event, String agentId, String step, int attempt,
            long durationNanos, String detail, String data) {
        encoder.sagaEvent(size(), timeOf(size()), Utf8.encode(sessionId), Utf8.encode(sagaId), event,
                Utf8.encode(agentId), Utf8.encode(step), attempt, durationNanos, Utf8.encode(detail),
                Utf8.encode(data));
        return append();
    }

    /**
     * Appends a CONTROL record: the kill switch.
     *
     * @param subject {@code agent:<id>}, {@code session:<id>} or {@code all}
     * @param actor the operator
     */
    TrailFixture control(ControlEvent event, String subject, String actor, String reason, String detail) {
        encoder.control(size(), timeOf(size()), event, Utf8.encode(subject), Utf8.encode(actor), Utf8.encode(reason),
                Utf8.encode(detail));
        return append();
    }

    /**
     * Stamps the next record with {@code timeMillis} instead of its one-second slot, as a writer whose wall clock
     * was stepped (by NTP, say) would: the seq still follows on, only the time jumps.
     */
    TrailFixture at(long timeMillis) {
        nextTime = timeMillis;
        return this;
    }

    /** @return how many records are written */
    long size() {
        return hashes.size();
    }

    /** @return the chain hash of record {@code seq} */
    byte[] hash(int seq) {
        return hashes.get(seq).clone();
    }

    /** @return the chain hash of the last record: the head */
    byte[] headHash() {
        return hash(hashes.size() - 1);
    }

    /** @return the agent id {@link #standard} gives the ALLOW record at {@code seq} */
    static String agentId(long seq) {
        return String.format("agent-%03d", seq);
    }

    static long timeOf(long seq) {
        return START_MILLIS + seq * 1000;
    }

    private TrailFixture append() {
        if (nextTime != null) {
            encoder.patchTime(nextTime);
            nextTime = null;
        }
        int len = encoder.length();
        byte[] stored = new byte[len + TrailFormat.HASH_LENGTH];
        System.arraycopy(encoder.buffer(), 0, stored, 0, len);
        if (version < TrailFormat.VERSION) {
            len = toVersion(stored, len, version);
            stored = Arrays.copyOf(stored, len + TrailFormat.HASH_LENGTH);
        }
        hasher.chain(previous, stored, 0, len, stored, len);
        try (DocumentContext dc = appender.writingDocument()) {
            dc.wire().bytes().write(stored, 0, stored.length);
        }
        previous = Arrays.copyOfRange(stored, len, stored.length);
        hashes.add(previous);
        return this;
    }

    /**
     * Rewrites the current-version record at the start of {@code bytes} as an older version wrote it: its version
     * byte and, for a decision, without the strings that version lacks, which end it (empty strings, two length
     * bytes each): framework, tool and invocation id before version 3, and delegation before version 2.
     *
     * @return the older record's length
     */
    private static int toVersion(byte[] bytes, int length, int version) {
        AuditRecord r = AuditRecord.decode(bytes, 0, length);
        if (version < 3 && !(r.framework() + r.tool() + r.invocationId()).isEmpty()) {
            throw new IllegalStateException("version " + version + " has no framework, tool or invocation id: " + r);
        }
        if (version < 2 && !(r.onBehalfOf() + r.vouchedBy()).isEmpty()) {
            throw new IllegalStateException("version 1 has no delegation: " + r);
        }
        bytes[0] = (byte) version;
        int dropped = version < 2 ? 5 : 3;
        return r.type().isDecision() ? length - 2 * dropped : length;
    }

    @Override
    public void close() {
        appender.close();
        queue.close();
    }

    /**
     * Flips one bit of the stored trail: in the first byte of {@code marker}, which must occur exactly once in the
     * trail's {@code .cq4} files.
     */
    static void flipByteOf(Path dir, String marker) throws IOException {
        Located at = locate(dir, marker);
        xor(at.file(), at.offset(), 0x01);
    }

    /**
     * Sets the "not complete" bit in the Chronicle header of the decision record whose agent id is
     * {@code agentId}, as a crashed or meddling writer would leave it. The header is a 4-byte little-endian word
     * just before the document; its top bit is that flag. The agent id starts {@value #AGENT_ID_OFFSET} bytes into
     * a decision record.
     */
    static void markIncomplete(Path dir, String agentId) throws IOException {
        Located at = locate(dir, agentId);
        xor(at.file(), at.offset() - AGENT_ID_OFFSET - 1, 0x80);
    }

    /** Cuts the trail's cycle file short in the middle of {@code marker}, as a truncated copy would be. */
    static void cutShortAt(Path dir, String marker) throws IOException {
        Located at = locate(dir, marker);
        try (FileChannel ch = FileChannel.open(at.file(), StandardOpenOption.WRITE)) {
            ch.truncate(at.offset() + 2);
        }
    }

    /**
     * @return the cycle file holding {@code marker}, which must occur exactly once in the trail's {@code .cq4} files,
     *     and the offset of its first byte there
     */
    static Map.Entry<Path, Long> offsetOf(Path dir, String marker) throws IOException {
        Located at = locate(dir, marker);
        return Map.entry(at.file(), at.offset());
    }

    private record Located(Path file, long offset) {
    }

    private static Located locate(Path dir, String marker) throws IOException {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        List<Located> hits = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".cq4")).toList();
        }
        for (Path file : files) {
            for (long offset : find(file, needle)) {
                hits.add(new Located(file, offset));
            }
        }
        if (hits.size() != 1) {
            throw new IllegalStateException(marker + " occurs " + hits.size() + " times in " + dir);
        }
        return hits.get(0);
    }

    private static void xor(Path file, long offset, int mask) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ mask)).rewind();
            ch.write(b, offset);
        }
    }

    /** Offsets of {@code needle} in {@code file}, mapped rather than read: cycle files are large and sparse. */
    private static List<Long> find(Path file, byte[] needle) throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer bytes = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            for (int i = 0; i + needle.length <= bytes.limit(); i++) {
                if (matches(bytes, i, needle)) {
                    offsets.add((long) i);
                }
            }
        }
        return offsets;
    }

    private static boolean matches(ByteBuffer bytes, int at, byte[] needle) {
        for (int j = 0; j < needle.length; j++) {
            if (bytes.get(at + j) != needle[j]) {
                return false;
            }
        }
        return true;
    }
}
