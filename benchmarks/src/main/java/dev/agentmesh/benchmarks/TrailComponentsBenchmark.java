package dev.agentmesh.benchmarks;

import dev.agentmesh.agent.audit.AuditTrail;
import dev.agentmesh.agent.audit.GenesisInfo;
import dev.agentmesh.audit.format.ArgumentDigest;
import dev.agentmesh.audit.format.ChainHasher;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.Utf8;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the time of a governed call goes: each step of the hot path on its own, without weaving. Chronicle needs
 * JDK internals here, which the agent grants itself in real use; these forks pass the flags instead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = BenchTools.CHRONICLE_ACCESS)
@State(Scope.Thread)
public class TrailComponentsBenchmark {

    private final byte[] agent = Utf8.encode("bench-agent");
    private final byte[] session = new byte[0];
    private final byte[] nothingThrown = new byte[0];
    private final byte[] cls = Utf8.encode("dev.agentmesh.benchmarks.BenchTools");
    private final byte[] method = Utf8.encode("governed");
    private final byte[] desc = Utf8.encode("(Ljava/lang/String;)I");
    private final Object[] args = {"agent governance"};
    private final byte[] argsDigest = new byte[TrailFormat.HASH_LENGTH];
    private final byte[] hash = new byte[TrailFormat.HASH_LENGTH];
    private final byte[] previous = new byte[TrailFormat.HASH_LENGTH];
    private final RecordEncoder encoder = new RecordEncoder();
    private final ArgumentDigest digest = new ArgumentDigest();
    private final ChainHasher hasher = new ChainHasher();
    private Path dir;
    private AuditTrail trail;
    private net.openhft.chronicle.queue.impl.single.SingleChronicleQueue rawQueue;
    private net.openhft.chronicle.queue.ExcerptAppender rawAppender;
    private final byte[] raw170 = new byte[170];

    /** Opens a trail in a fresh temporary directory. */
    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("agentmesh-bench");
        trail = new AuditTrail(dir, new GenesisInfo("bench", new byte[32], "bench"), 60_000);
        trail.open();
        rawQueue = net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder.single(
                dir.resolve("raw").toFile()).rollCycle(net.openhft.chronicle.queue.RollCycles.FAST_DAILY)
                .indexSpacing(Integer.getInteger("bench.indexSpacing", 64)).build();
        rawAppender = rawQueue.createAppender();
        if (Boolean.getBoolean("bench.pretouch")) {
            Thread t = new Thread(() -> {
                net.openhft.chronicle.queue.ExcerptAppender a = rawQueue.createAppender();
                while (!rawQueue.isClosed()) {
                    a.pretouch();
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }
    }

    /** Closes and deletes the trail. */
    @TearDown(Level.Trial)
    public void close() throws IOException {
        trail.close();
        rawQueue.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** @return the digest buffer */
    @Benchmark
    public byte[] argumentDigest() {
        digest.digest(args, argsDigest);
        return argsDigest;
    }

    /** @return the encoder */
    @Benchmark
    public RecordEncoder encodeAllow() {
        return encoder.decision(RecordType.CALL_ALLOWED, 0, 0, 2, 2, agent, session, cls, method, desc, argsDigest);
    }

    /** @return the hash */
    @Benchmark
    public byte[] encodeAndChainAllow() {
        RecordEncoder r = encoder.decision(RecordType.CALL_ALLOWED, 0, 0, 2, 2, agent, session, cls, method, desc,
                argsDigest);
        hasher.chain(previous, r.buffer(), 0, r.length(), hash, 0);
        return hash;
    }

    /** @return the hash */
    @Benchmark
    public byte[] encodeAndChainOutcome() {
        RecordEncoder r = encoder.outcome(RecordType.CALL_RETURNED, 0, 0, 42, 1000, nothingThrown, session);
        hasher.chain(previous, r.buffer(), 0, r.length(), hash, 0);
        return hash;
    }

    /** @return the appender: Chronicle's own cost for a 170-byte document, nothing of ours */
    @Benchmark
    public Object rawChronicleWrite() {
        try (net.openhft.chronicle.wire.DocumentContext dc = rawAppender.writingDocument()) {
            dc.wire().bytes().write(raw170, 0, raw170.length);
        }
        return rawAppender;
    }

    /** @return the appender: Chronicle's cost for a document of one long */
    @Benchmark
    public Object rawChronicleWriteOneLong() {
        try (net.openhft.chronicle.wire.DocumentContext dc = rawAppender.writingDocument()) {
            dc.wire().bytes().writeLong(42L);
        }
        return rawAppender;
    }

    /** @return the appender: 170 bytes written as longs */
    @Benchmark
    public Object rawChronicleWriteLongs() {
        try (net.openhft.chronicle.wire.DocumentContext dc = rawAppender.writingDocument()) {
            net.openhft.chronicle.bytes.Bytes<?> b = dc.wire().bytes();
            int i = 0;
            for (; i + 8 <= raw170.length; i += 8) {
                b.writeLong(i);
            }
            for (; i < raw170.length; i++) {
                b.writeByte(raw170[i]);
            }
        }
        return rawAppender;
    }

    /** @return the seq */
    @Benchmark
    public long appendAllow() {
        return trail.append(encoder.decision(RecordType.CALL_ALLOWED, 0, 0, 2, 2, agent, session, cls, method, desc,
                argsDigest));
    }

    /** @return the seq */
    @Benchmark
    public long appendOutcome() {
        return trail.append(encoder.outcome(RecordType.CALL_RETURNED, 0, 0, 42, 1000, nothingThrown, session));
    }
}
