package dev.agentmesh.reader;

import dev.agentmesh.audit.checkpoint.Checkpoint;
import dev.agentmesh.audit.checkpoint.CheckpointVerifierKey;
import dev.agentmesh.audit.format.Hex;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code verify --kafka}: every writer's stream on the topic verified on its own chain and tree, then held against
 * that writer's newest signed checkpoint from the checkpoint topic, as {@code verify <dir>} holds a trail against the
 * checkpoint in its directory.
 */
final class TopicVerification {

    private final TopicTrails.Source source;
    private final CheckpointVerifierKey key;
    private final PrintWriter out;

    TopicVerification(TopicTrails.Source source, CheckpointVerifierKey key, PrintWriter out) {
        this.source = source;
        this.key = key;
        this.out = out;
    }

    int run() throws Verdict {
        Map<String, Checkpoint> checkpoints = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : TopicTrails.newestCheckpoints(source).entrySet()) {
            checkpoints.put(e.getKey(), VerifyCommand.signed(e.getValue(), "the checkpoint of writer " + e.getKey(),
                    key).checkpoint());
        }
        Map<String, TopicTrails.Writer> writers = TopicTrails.verify(source, id -> new TreeWitness(
                checkpoints.containsKey(id) ? Set.of(checkpoints.get(id).size()) : Set.of()), (writer, record) -> {
                });
        if (writers.isEmpty()) {
            throw new Verdict(ExitCodes.UNREADABLE, "the topic " + source.topic() + " at " + source.bootstrap()
                    + " holds no trail");
        }
        for (String writer : checkpoints.keySet()) {
            if (!writers.containsKey(writer)) {
                throw new Verdict(ExitCodes.TRUNCATED, "TRUNCATED: writer " + writer + ": its checkpoint was signed "
                        + "at " + checkpoints.get(writer).size() + " records, but the topic holds none of them");
            }
        }
        long total = 0;
        List<String> lines = new ArrayList<>();
        List<String> notices = new ArrayList<>();
        for (TopicTrails.Writer w : writers.values()) {
            long count = w.chain.count();
            total += count;
            StringBuilder line = new StringBuilder("writer ").append(w.id).append(": ").append(count)
                    .append(" records, head ").append(Hex.of(w.chain.headHash())).append(", ").append(w.denials)
                    .append(" denials, root ").append(Hex.of(w.tree.root()));
            Checkpoint c = checkpoints.get(w.id);
            if (c != null) {
                if (count < c.size()) {
                    throw new Verdict(ExitCodes.TRUNCATED, "TRUNCATED: writer " + w.id + ": the topic holds " + count
                            + " of its records, but its checkpoint was signed at " + c.size());
                }
                if (!c.sameRoot(VerifyCommand.checkpointOf(c.size(), w.tree.rootAt(c.size())))) {
                    throw new Verdict(ExitCodes.TAMPERED, "TAMPERED: writer " + w.id + ": its first " + c.size()
                            + " records do not match its checkpoint (Merkle root differs): the stream was rewritten");
                }
                line.append(", checkpoint at ").append(c.size()).append(key != null ? " signed and matching"
                        : " matching");
            } else if (key != null) {
                throw new Verdict(ExitCodes.SIGNATURE, "SIGNATURE: --pubkey given, but writer " + w.id
                        + " has no signed checkpoint on " + source.topic() + ".checkpoints");
            }
            lines.add(line.toString());
            w.clock.notices().forEach(n -> notices.add(n.replaceFirst("^notice: ", "notice: writer " + w.id + ": ")));
        }
        out.println("OK " + writers.size() + " writers, " + total + " records on " + source.topic());
        lines.forEach(out::println);
        notices.forEach(out::println);
        return ExitCodes.OK;
    }
}
