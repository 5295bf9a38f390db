package dev.agentmesh.agent.audit;

import dev.agentmesh.audit.format.AuditRecord;
import dev.agentmesh.audit.format.ChainBreak;
import dev.agentmesh.audit.format.ChainVerifier;
import dev.agentmesh.audit.format.TrailQueue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * Test helper: reads a trail with {@link TrailQueue#readAll} and checks every record with {@link ChainVerifier}
 * (hash chain, decodes, seq == position, opens with GENESIS, outcomes close open ALLOWs), plus what the verifier
 * does not check: times never go backwards. {@code AuditTrailTest} shows each check catching a violation.
 */
public final class VerifiedTrail {

    private VerifiedTrail() {
    }

    /**
     * @param dir an audit directory
     * @return every record, decoded, in order
     * @throws ChainBreak if the chain is broken
     * @throws AssertionError if a record's time is before the previous one's
     */
    public static List<AuditRecord> read(Path dir) throws Exception {
        try (SingleChronicleQueue queue = TrailQueue.openForReading(dir)) {
            return read(queue);
        }
    }

    /**
     * @param queue an open trail
     * @return every record, decoded, in order
     * @throws ChainBreak if the chain is broken
     * @throws AssertionError if a record's time is before the previous one's
     */
    public static List<AuditRecord> read(SingleChronicleQueue queue) throws Exception {
        ChainVerifier verifier = new ChainVerifier();
        List<AuditRecord> records = new ArrayList<>();
        long n = TrailQueue.readAll(queue, (stored, length, queueIndex) -> {
            AuditRecord r = verifier.accept(stored, length);
            int position = records.size();
            if (r.seq() != position) {
                throw new AssertionError("record " + position + " has seq " + r.seq());
            }
            if (position > 0 && r.timeMillis() < records.get(position - 1).timeMillis()) {
                throw new AssertionError("record " + position + ": time " + r.timeMillis()
                        + " is before the previous record's " + records.get(position - 1).timeMillis());
            }
            records.add(r);
            return true;
        });
        if (n != records.size() || verifier.count() != n) {
            throw new AssertionError("read " + n + " records but verified " + verifier.count());
        }
        return records;
    }
}
