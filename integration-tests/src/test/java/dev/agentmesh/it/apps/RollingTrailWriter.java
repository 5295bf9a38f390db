package dev.agentmesh.it.apps;

import dev.agentmesh.audit.format.ArgumentDigest;
import dev.agentmesh.audit.format.ChainHasher;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.TrailFormat;
import dev.agentmesh.audit.format.TrailQueue;
import dev.agentmesh.audit.format.Utf8;
import java.io.File;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * {@code <dir> <cycles> <recordsPerCycle>}: writes a real trail that spans several daily cycle files, the way the
 * agent's writer does (canonical bytes from {@link RecordEncoder}, chained with {@link ChainHasher}, one Chronicle
 * document per record, in the default {@code FAST_DAILY} roll cycle), but on a simulated clock that moves on one day
 * per cycle, so a multi-file trail takes milliseconds instead of days. The queue is built exactly as
 * {@code TrailQueue.openForWriting(dir, FAST_DAILY)} builds it, plus the simulated clock.
 *
 * <p>The records are GENESIS, then ALLOW/RETURNED pairs. Prints one line per cycle file, in cycle order (which is
 * also the files' name order): {@code CYCLE <i> FIRST <seq of its first record> COUNT <records in it>}.
 */
public final class RollingTrailWriter {

    /** 2025-03-01T09:30:00Z. */
    private static final long START_MILLIS = 1_740_821_400_000L;

    private RollingTrailWriter() {
    }

    public static void main(String[] args) {
        TrailQueue.silenceChronicle();
        File dir = new File(args[0]);
        int cycles = Integer.parseInt(args[1]);
        int perCycle = Integer.parseInt(args[2]);
        SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(START_MILLIS));
        RecordEncoder encoder = new RecordEncoder();
        ChainHasher hasher = new ChainHasher();
        byte[] previous = TrailFormat.zeroHash();
        byte[] digest = new ArgumentDigest().digest("arg");
        byte[] s = Utf8.encode("session-1");
        long seq = 0;
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.single(dir).rollCycle(RollCycles.FAST_DAILY)
                .timeProvider(clock).build();
                ExcerptAppender appender = queue.createAppender()) {
            for (int cycle = 0; cycle < cycles; cycle++) {
                long first = seq;
                for (int i = 0; i < perCycle; i++, seq++) {
                    long time = clock.currentTimeMillis();
                    if (seq == 0) {
                        encoder.genesis(0, time, Utf8.encode("rolling-writer"), new byte[TrailFormat.HASH_LENGTH],
                                Utf8.encode("policy.yaml"));
                    } else if (seq % 2 == 1) {
                        encoder.decision(RecordType.CALL_ALLOWED, seq, time, 2, 2,
                                Utf8.encode(String.format("agent-%03d", seq)), s, Utf8.encode("com.acme.Tools"),
                                Utf8.encode("search"), Utf8.encode("(Ljava/lang/String;)V"), digest);
                    } else {
                        encoder.outcome(RecordType.CALL_RETURNED, seq, time, seq - 1, 1_500L, new byte[0], s);
                    }
                    int len = encoder.length();
                    byte[] stored = Arrays.copyOf(encoder.buffer(), len + TrailFormat.HASH_LENGTH);
                    hasher.chain(previous, stored, 0, len, stored, len);
                    try (DocumentContext dc = appender.writingDocument()) {
                        dc.wire().bytes().write(stored, 0, stored.length);
                    }
                    previous = Arrays.copyOfRange(stored, len, stored.length);
                    clock.advanceMillis(1_000);
                }
                System.out.println("CYCLE " + cycle + " FIRST " + first + " COUNT " + (seq - first));
                clock.advanceMillis(TimeUnit.DAYS.toMillis(1));
            }
        }
    }
}
