package dev.agentmesh.agent.session.state.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that a history of the CAUSAL mode is causally consistent, with concurrent writes kept as siblings.
 *
 * <p>The causal order ≺ is the transitive closure of program order (each process's ops in list order) and
 * reads-from (a write ≺ every read that returned its value). The checker requires it to be a partial order (no
 * cycle) and no read to return a value whose write was invoked only after the read completed. For each read r of
 * key k returning the set S, with past(r) the writes causally before r through the ops before r in its own program
 * order (r's own reads-from excluded), it checks:
 * <ol type="a">
 *   <li>every value in S was written, to k;</li>
 *   <li>the writes of S are pairwise concurrent: none is in another's causal past;</li>
 *   <li>none is stale: no write to k in past(r) has a member of S in its causal past;</li>
 *   <li>nothing known is missed: every write to k in past(r) is in S or in the causal past of a member of S
 *       (so a read returns absent only if no write to k is in its causal past).</li>
 * </ol>
 * Read-your-writes, monotonic reads, writes-follow-reads and "no effect before its cause" all follow. (c) is implied
 * by (b) and (d) but checked first, so a stale read is reported as such.
 *
 * <p>This is causal consistency with siblings (a multi-value register per key), not bare causal memory: a write
 * that silently replaced a causally unrelated one is a lost write here, so histories of a last-writer-wins store,
 * even a linearizable one, are expected to fail.
 *
 * <p>Causal pasts are kept as bit sets over the history's writes, so histories of a few thousand ops check in
 * milliseconds. Assumes the history keeps the assumptions stated on {@link Op}; one that does not is reported as
 * malformed. Explanations name the process, the read, the key, the write missed or seen stale, and the causal chain
 * that puts it in the read's past.
 */
public final class CausalChecker {

    private CausalChecker() {
    }

    /** @return pass, or a failure naming the read, the write and the causal chain between them */
    public static CheckResult check(List<Op> history) {
        CheckResult malformed = Histories.malformed(history);
        if (malformed != null) {
            return malformed;
        }
        Graph graph = new Graph(history);
        String why = graph.unreadable();
        if (why == null) {
            why = graph.cycle();
        }
        if (why == null) {
            why = graph.badRead();
        }
        return why == null ? CheckResult.pass() : CheckResult.fail(why);
    }

    /** The causal graph: ops as nodes, program order and reads-from as edges, pasts as bit sets over writes. */
    private static final class Graph {
        private final List<Op> ops;
        private final long origin;
        private final Map<String, Op> writerOf;
        /** Each written value's write, as an op index. */
        private final Map<String, Integer> writeOf = new HashMap<>();
        /** The op before each in its process's program order, or -1. */
        private final int[] programPrev;
        /** For a read, the op indices of the writes it read from; empty for a write. */
        private final int[][] readsFrom;
        /** For a write, its bit in the past sets; -1 for a read. */
        private final int[] writeBit;
        /** For each bit, its write's op index. */
        private final int[] bitToOp;
        private final Map<String, BitSet> writesOfKey = new HashMap<>();
        /** Each op's full causal past, as write bits; filled by {@link #cycle}. */
        private final BitSet[] past;
        private final List<Integer> topological = new ArrayList<>();

        Graph(List<Op> history) {
            ops = history;
            origin = Histories.origin(history);
            writerOf = Histories.writerOf(history);
            int n = history.size();
            programPrev = new int[n];
            readsFrom = new int[n][];
            writeBit = new int[n];
            past = new BitSet[n];
            Map<Integer, Integer> lastOf = new HashMap<>();
            int writes = 0;
            for (int i = 0; i < n; i++) {
                Op op = history.get(i);
                Integer last = lastOf.put(op.process(), i);
                programPrev[i] = last == null ? -1 : last;
                writeBit[i] = op.isWrite() ? writes++ : -1;
                if (op.isWrite()) {
                    writeOf.put(op.written(), i);
                    writesOfKey.computeIfAbsent(op.key(), k -> new BitSet()).set(writeBit[i]);
                }
            }
            bitToOp = new int[writes];
            for (int i = 0; i < n; i++) {
                if (writeBit[i] >= 0) {
                    bitToOp[writeBit[i]] = i;
                }
            }
        }

        /** @return why some read's value has no possible source (check a and real time), or null; fills readsFrom */
        String unreadable() {
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                readsFrom[i] = new int[op.isWrite() ? 0 : op.values().size()];
                int j = 0;
                for (String value : op.isWrite() ? List.<String>of() : op.values()) {
                    String why = Histories.impossibleSource(op, value, writerOf, origin);
                    if (why != null) {
                        return why;
                    }
                    readsFrom[i][j++] = writeOf.get(value);
                }
            }
            return null;
        }

        /** @return a causal cycle, if program order and reads-from make one, or null; fills pasts */
        String cycle() {
            int n = ops.size();
            int[] waiting = new int[n];
            List<List<Integer>> successors = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                successors.add(new ArrayList<>(2));
            }
            for (int i = 0; i < n; i++) {
                for (int p : predecessors(i)) {
                    successors.get(p).add(i);
                    waiting[i]++;
                }
            }
            Deque<Integer> ready = new ArrayDeque<>();
            for (int i = 0; i < n; i++) {
                if (waiting[i] == 0) {
                    ready.add(i);
                }
            }
            while (!ready.isEmpty()) {
                int i = ready.poll();
                topological.add(i);
                past[i] = new BitSet();
                for (int p : predecessors(i)) {
                    past[i].or(past[p]);
                    if (writeBit[p] >= 0) {
                        past[i].set(writeBit[p]);
                    }
                }
                for (int s : successors.get(i)) {
                    if (--waiting[s] == 0) {
                        ready.add(s);
                    }
                }
            }
            if (topological.size() == n) {
                return null;
            }
            // Walk back along unsorted predecessors until a node repeats: that loop is a cycle.
            int at = 0;
            while (waiting[at] == 0) {
                at++;
            }
            List<Integer> walk = new ArrayList<>();
            Map<Integer, Integer> seenAt = new HashMap<>();
            while (!seenAt.containsKey(at)) {
                seenAt.put(at, walk.size());
                walk.add(at);
                for (int p : predecessors(at)) {
                    if (past[p] == null) {
                        at = p;
                        break;
                    }
                }
            }
            List<Integer> loop = new ArrayList<>(walk.subList(seenAt.get(at), walk.size()));
            Collections.reverse(loop);
            loop.add(loop.get(0));
            return "causal order has a cycle (a read returned a value whose write causally depends on the read): "
                    + chain(loop);
        }

        /** @return the first read, by completion time, that breaks (b), (c) or (d), or null */
        String badRead() {
            List<Integer> reads = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                if (!ops.get(i).isWrite()) {
                    reads.add(i);
                }
            }
            reads.sort(Comparator.comparingLong((Integer i) -> ops.get(i).complete()).thenComparingInt(i -> i));
            for (int r : reads) {
                String why = badRead(r);
                if (why != null) {
                    return why;
                }
            }
            return null;
        }

        private String badRead(int r) {
            Op read = ops.get(r);
            String culprit = "key " + read.key() + ": " + Histories.describe(read, origin);
            int[] seen = readsFrom[r];
            for (int a : seen) {
                for (int b : seen) {
                    if (a != b && past[b].get(writeBit[a])) {
                        return culprit + " returned siblings that are not concurrent: "
                                + Histories.describe(ops.get(a), origin) + " is in the causal past of "
                                + Histories.describe(ops.get(b), origin) + ": " + chain(path(a, b));
                    }
                }
            }
            int before = programPrev[r];
            BitSet known = new BitSet();
            if (before >= 0) {
                known.or(past[before]);
                if (writeBit[before] >= 0) {
                    known.set(writeBit[before]);
                }
            }
            known.and(writesOfKey.getOrDefault(read.key(), new BitSet()));
            for (int w = known.nextSetBit(0); w >= 0; w = known.nextSetBit(w + 1)) {
                int later = bitToOp[w];
                boolean covered = false;
                for (int s : seen) {
                    if (past[later].get(writeBit[s])) {
                        return culprit + " returned stale " + ops.get(s).written() + ": "
                                + Histories.describe(ops.get(later), origin) + " overwrote it and is in the read's"
                                + " causal past: " + chain(path(s, later)) + "; " + chainTo(later, r);
                    }
                    covered |= s == later || past[s].get(w);
                }
                if (!covered) {
                    return culprit + " missed " + Histories.describe(ops.get(later), origin)
                            + ", which is in its causal past and neither returned nor overwritten by what it returned: "
                            + chainTo(later, r);
                }
            }
            return null;
        }

        private int[] predecessors(int i) {
            int[] rf = readsFrom[i];
            if (programPrev[i] < 0) {
                return rf;
            }
            int[] all = Arrays.copyOf(rf, rf.length + 1);
            all[rf.length] = programPrev[i];
            return all;
        }

        /** @return the chain from write w to read r through r's program predecessor (how w is in past(r)) */
        private String chainTo(int w, int r) {
            List<Integer> steps = path(w, programPrev[r]);
            steps.add(r);
            return chain(steps);
        }

        /** @return a shortest causal path from op {@code from} to op {@code to}, both included */
        private List<Integer> path(int from, int to) {
            Map<Integer, Integer> towardsTo = new HashMap<>();
            Deque<Integer> queue = new ArrayDeque<>(List.of(to));
            towardsTo.put(to, -1);
            while (!queue.isEmpty() && !towardsTo.containsKey(from)) {
                int at = queue.poll();
                for (int p : predecessors(at)) {
                    if (towardsTo.putIfAbsent(p, at) == null) {
                        queue.add(p);
                    }
                }
            }
            List<Integer> steps = new ArrayList<>();
            for (int at = from; at >= 0; at = towardsTo.getOrDefault(at, -1)) {
                steps.add(at);
            }
            return steps;
        }

        private String chain(List<Integer> steps) {
            List<String> shown = new ArrayList<>();
            for (int k = 0; k < steps.size(); k++) {
                if (steps.size() > 8 && k == 4) {
                    shown.add("... " + (steps.size() - 7) + " more ...");
                    k = steps.size() - 4;
                }
                shown.add(Histories.describe(ops.get(steps.get(k)), origin));
            }
            return String.join(" -> ", shown);
        }
    }
}
