package dev.agentmesh.benchmarks;

import dev.agentmesh.audit.format.ArgumentDigest;
import dev.agentmesh.audit.format.ChainHasher;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.TrailQueue;
import dev.agentmesh.audit.format.Utf8;
import dev.agentmesh.reader.AuditReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import picocli.CommandLine;

/**
 * The offline reader over a whole generated trail of {@code records} records (GENESIS, then ALLOW/RETURNED pairs
 * shaped like the agent's), single-threaded, in a heap of 256 MB: the time for one full pass. Records per second =
 * records / score. Run: {@code java -jar benchmarks/target/benchmarks.jar ReaderBenchmark}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx256m", BenchTools.CHRONICLE_ACCESS})
@State(Scope.Benchmark)
public class ReaderBenchmark {

    /** Trail length. */
    @Param("2000000")
    public int records;

    private Path dir;

    /** Writes the trail once per fork. */
    @Setup(Level.Trial)
    public void writeTrail() throws IOException {
        dir = Files.createTempDirectory("agentmesh-reader-bench");
        RecordEncoder enc = new RecordEncoder();
        ChainHasher hasher = new ChainHasher();
        byte[] prev = TrailFormat.zeroHash();
        byte[] hash = new byte[TrailFormat.HASH_LENGTH];
        byte[] agent = Utf8.encode("researcher-1");
        byte[] cls = Utf8.encode("com.acme.tools.DeskTools");
        byte[] method = Utf8.encode("webSearch");
        byte[] desc = Utf8.encode("(Ljava/lang/String;)Ljava/util/List;");
        byte[] args = new ArgumentDigest().digest("agent governance");
        try (SingleChronicleQueue q = TrailQueue.openForWriting(dir)) {
            ExcerptAppender a = q.createAppender();
            for (long seq = 0; seq < records; seq++) {
                if (seq == 0) {
                    enc.genesis(0, 1L, Utf8.encode("bench"), new byte[32], Utf8.encode("policy.yaml"));
                } else if (seq % 2 == 1) {
                    enc.decision(RecordType.CALL_ALLOWED, seq, seq, 2, 2, agent, new byte[0], cls, method, desc, args);
                } else {
                    enc.outcome(RecordType.CALL_RETURNED, seq, seq, seq - 1, 1000, new byte[0], new byte[0]);
                }
                hasher.chain(prev, enc.buffer(), 0, enc.length(), hash, 0);
                try (DocumentContext dc = a.writingDocument()) {
                    dc.wire().bytes().write(enc.buffer(), 0, enc.length());
                    dc.wire().bytes().write(hash, 0, hash.length);
                }
                System.arraycopy(hash, 0, prev, 0, hash.length);
            }
        }
    }

    /** Deletes the trail. */
    @TearDown(Level.Trial)
    public void deleteTrail() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** @return the exit code (0) */
    @Benchmark
    public int verify() {
        return run("verify", dir.toString());
    }

    /** @return the exit code (0) */
    @Benchmark
    public int exportJsonl() {
        return run("export", dir.toString(), "--format", "jsonl");
    }

    private static int run(String... args) {
        PrintWriter discard = new PrintWriter(OutputStream.nullOutputStream());
        CommandLine reader = AuditReader.commandLine();
        int code = reader.setOut(discard).execute(args);
        if (code != 0) {
            throw new IllegalStateException("reader exited " + code);
        }
        return code;
    }
}
