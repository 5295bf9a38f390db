package dev.agentmesh.agent.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.format.RecordEncoder;
import dev.agentmesh.audit.format.RecordType;
import dev.agentmesh.audit.format.TrailFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chain runs on across cycle files, and a missing or reordered cycle file breaks it. Uses Chronicle's
 * one-second test roll cycle so a short test spans several files.
 */
class RollingTrailTest {

    private static final byte[] S = "x".getBytes();

    @TempDir
    Path dir;

    @BeforeEach
    void writeAcrossSeveralFiles() throws Exception {
        AuditTrail trail = new AuditTrail(dir, new GenesisInfo("w", new byte[TrailFormat.HASH_LENGTH], "p"), 10_000,
                TestRollCycles.TEST_SECONDLY);
        trail.open();
        RecordEncoder encoder = new RecordEncoder();
        long deadline = System.currentTimeMillis() + 3_200;
        while (System.currentTimeMillis() < deadline) {
            trail.append(encoder.decision(RecordType.CALL_DENIED, 0, 0, 3, 0, S, S, S, S, S,
                    new byte[TrailFormat.HASH_LENGTH]));
            Thread.sleep(50);
        }
        trail.close();
    }

    @Test
    void theChainContinuesAcrossCycleFiles() throws Exception {
        assertThat(cycleFiles()).hasSizeGreaterThanOrEqualTo(3);
        List<AuditRecord> records = VerifiedTrail.read(dir);
        assertThat(records).hasSizeGreaterThan(40);
        assertThat(records.get(0).type()).isEqualTo(RecordType.GENESIS);
    }

    @Test
    void aMissingCycleFileInTheMiddleBreaksTheChain() throws Exception {
        List<Path> files = cycleFiles();
        Files.delete(files.get(1));
        assertThatThrownBy(() -> VerifiedTrail.read(dir)).isInstanceOf(ChainBreak.class);
    }

    @Test
    void swappedCycleFilesBreakTheChain() throws Exception {
        List<Path> files = cycleFiles();
        Path a = files.get(0);
        Path b = files.get(1);
        Path tmp = dir.resolve("swap.tmp");
        Files.move(a, tmp);
        Files.move(b, a);
        Files.move(tmp, b);
        assertThatThrownBy(() -> VerifiedTrail.read(dir)).isInstanceOf(ChainBreak.class);
    }

    private List<Path> cycleFiles() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".cq4")).sorted().toList();
        }
    }
}
