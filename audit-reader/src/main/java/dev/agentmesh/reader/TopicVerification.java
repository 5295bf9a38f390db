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
 * Every writer's stream on a fleet's topic verified on its own chain and tree, then held against that writer's newest
 * signed checkpoint from the checkpoint topic, as {@code verify <dir>} holds a trail against the checkpoint in its
 * directory. {@code verify --kafka} prints the outcome ({@link #run}); {@code report --kafka} counts the records as
 * they verify ({@link #verify}), so both reach the same verdict, in the same words, on the same topic.
 */
final class TopicVerification {

    private final TopicTrails.Topic topic;
    private final CheckpointVerifierKey key;

    /**
     * @param topic the topic to read
     * @param key the key every writer's checkpoint must be signed with, or {@code null}
     */
    TopicVerification(TopicTrails.Topic topic, CheckpointVerifierKey key) {
        this.topic = topic;
        this.key = key;
    }

    /**
     * {@code verify --kafka}: prints {@code OK <n> writers, <count> records on <topic>}, a line per writer, then the
     * {@code notice:} lines of writers whose clock went back.
     *
     * @param out where to print
     * @return {@link ExitCodes#OK}
     * @throws Verdict at the first stream that does not verify or does not match its checkpoint
     */
    int run(PrintWriter out) throws Verdict {
        List<WriterSummary> writers = verify((writer, record) -> {
        });
        long total = 0;
        for (WriterSummary w : writers) {
            total += w.records();
        }
        out.println("OK " + writers.size() + " writers, " + total + " records on " + topic.topic());
        for (WriterSummary w : writers) {
            out.println("writer " + w.id() + ": " + w.records() + " records, head " + Hex.of(w.headHash()) + ", "
                    + w.denials() + " denials, root " + Hex.of(w.root())
                    + (w.hasCheckpoint() ? ", checkpoint " + w.checkpoint() : ""));
        }
        for (WriterSummary w : writers) {
            w.clock().notices().forEach(n -> out.println(n.replaceFirst("^notice: ", "notice: writer " + w.id()
                    + ": ")));
        }
        return ExitCodes.OK;
    }

    /**
     * Verifies every writer's stream and holds each against its newest checkpoint. Records reach {@code sink} as
     * they verify on their chain, before the checkpoints are checked at the end: a caller that must show nothing
     * of a topic that fails keeps what it gathers until this returns.
     *
     * @param sink receives each record once it has verified on its writer's chain
     * @return each writer's verified stream, in the order their first messages were read
     * @throws Verdict {@code TAMPERED}, {@code TRUNCATED} or {@code SIGNATURE} naming the writer, at the first
     *     stream that does not verify or does not match its checkpoint; {@code UNREADABLE} if the topic cannot be
     *     read or holds no trail
     */
    List<WriterSummary> verify(TopicTrails.Sink sink) throws Verdict {
        Map<String, Checkpoint> checkpoints = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : TopicTrails.newestCheckpoints(topic).entrySet()) {
            checkpoints.put(e.getKey(), VerifyCommand.signed(e.getValue(), "the checkpoint of writer " + e.getKey(),
                    key).checkpoint());
        }
        Map<String, TopicTrails.Writer> writers = TopicTrails.verify(topic, id -> new TreeWitness(
                checkpoints.containsKey(id) ? Set.of(checkpoints.get(id).size()) : Set.of()), sink);
        if (writers.isEmpty()) {
            throw new Verdict(ExitCodes.UNREADABLE, "the topic " + topic.topic() + " at " + topic.bootstrap()
                    + " holds no trail");
        }
        for (String writer : checkpoints.keySet()) {
            if (!writers.containsKey(writer)) {
                throw new Verdict(ExitCodes.TRUNCATED, "TRUNCATED: writer " + writer + ": its checkpoint was signed "
                        + "at " + checkpoints.get(writer).size() + " records, but the topic holds none of them");
            }
        }
        List<WriterSummary> verified = new ArrayList<>();
        for (TopicTrails.Writer w : writers.values()) {
            long count = w.chain.count();
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
            } else if (key != null) {
                throw new Verdict(ExitCodes.SIGNATURE, "SIGNATURE: --pubkey given, but writer " + w.id
                        + " has no signed checkpoint on " + topic.topic() + ".checkpoints");
            }
            verified.add(new WriterSummary(w.id, count, w.chain.headHash(), w.denials, w.tree.root(),
                    c == null ? -1 : c.size(), c != null && key != null, w.clock));
        }
        return verified;
    }
}
