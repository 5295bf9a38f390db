package dev.agentmesh.agent.session.state.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that a history of the STRICT mode is linearizable: there is one total order of all ops, consistent with
 * real time (an op that completed before another was invoked comes first), in which every read returns the value of
 * the latest write to its key before it, or absent if there is none.
 *
 * <p>Each key is an independent register that starts absent; since linearizability is local, each key's ops are
 * checked on their own. A read must return at most one value. Two ops whose intervals merely touch (one completes at
 * the very nanosecond the other is invoked) are taken as concurrent, so a coarse clock can only make the check more
 * lenient, never reject a valid history.
 *
 * <p>The search is Wing and Gong's backtracking over the ops that may take effect next, with Lowe's memoisation of
 * (set of ops linearized, register value) so that a state reached twice is explored once. The search is bounded by a
 * step budget per key; a key whose search spends it is reported as an "undecided" failure, not waited for.
 *
 * <p>Assumes the history keeps the assumptions stated on {@link Op}; one that does not is reported as malformed.
 */
public final class LinearizabilityChecker {

    /** Search steps allowed per key by {@link #check(List)}: far above what 200 ops over 8 processes need. */
    public static final long DEFAULT_STEP_BUDGET = 5_000_000;

    private LinearizabilityChecker() {
    }

    /** @return pass, or a failure naming the key and the op that cannot be placed; budget {@link #DEFAULT_STEP_BUDGET} */
    public static CheckResult check(List<Op> history) {
        return check(history, DEFAULT_STEP_BUDGET);
    }

    /**
     * @param history the ops, each process's in program order
     * @param stepBudget search steps allowed per key before the key is reported undecided
     * @return pass, or a failure naming the key and the op that cannot be placed
     */
    public static CheckResult check(List<Op> history, long stepBudget) {
        CheckResult malformed = Histories.malformed(history);
        if (malformed != null) {
            return malformed;
        }
        long origin = Histories.origin(history);
        Map<String, Op> writerOf = Histories.writerOf(history);
        Map<String, List<Op>> byKey = new LinkedHashMap<>();
        for (Op op : history) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
        }
        for (Map.Entry<String, List<Op>> e : byKey.entrySet()) {
            String why = impossibleRead(e.getValue(), writerOf, origin);
            if (why == null) {
                why = new Register(e.getKey(), e.getValue(), origin).search(stepBudget);
            }
            if (why != null) {
                return CheckResult.fail(why);
            }
        }
        return CheckResult.pass();
    }

    /** @return why some read of one key can be placed nowhere whatever the order, or null */
    private static String impossibleRead(List<Op> ops, Map<String, Op> writerOf, long origin) {
        for (Op op : ops) {
            if (op.isWrite()) {
                continue;
            }
            if (op.values().size() > 1) {
                return "key " + op.key() + ": " + Histories.describe(op, origin) + " returned "
                        + op.values().size() + " values, but a STRICT register holds at most one";
            }
            for (String value : op.values()) {
                String why = Histories.impossibleSource(op, value, writerOf, origin);
                if (why != null) {
                    return why;
                }
            }
        }
        return null;
    }

    /** The search over one key's ops. Register values are op indices of writes, {@link #ABSENT} before any. */
    private static final class Register {

        private static final int ABSENT = -1;

        private final String key;
        private final List<Op> ops;
        private final long origin;
        /** For a read, the index of the write it returned, or ABSENT. */
        private final int[] readsFrom;
        private final Entry head = new Entry(-1, true, Long.MIN_VALUE);

        private int deepest = -1;
        private int blocked = -1;
        private int blockedValue = ABSENT;

        Register(String key, List<Op> ops, long origin) {
            this.key = key;
            this.ops = ops;
            this.origin = origin;
            this.readsFrom = new int[ops.size()];
            Map<String, Integer> writeIndex = new HashMap<>();
            for (int i = 0; i < ops.size(); i++) {
                if (ops.get(i).isWrite()) {
                    writeIndex.put(ops.get(i).written(), i);
                }
            }
            List<Entry> entries = new ArrayList<>(2 * ops.size());
            for (int i = 0; i < ops.size(); i++) {
                Op op = ops.get(i);
                readsFrom[i] = op.values().isEmpty() || op.isWrite()
                        ? ABSENT : writeIndex.get(op.values().iterator().next());
                Entry call = new Entry(i, true, op.invoke());
                Entry ret = new Entry(i, false, op.complete());
                call.match = ret;
                entries.add(call);
                entries.add(ret);
            }
            // Calls before returns at equal times: touching intervals count as concurrent.
            entries.sort(Comparator.comparingLong((Entry e) -> e.time).thenComparing(e -> !e.call)
                    .thenComparingInt(e -> e.op));
            Entry last = head;
            for (Entry e : entries) {
                last.next = e;
                e.prev = last;
                last = e;
            }
        }

        /** @return null if linearizable, else why not (or undecided) */
        String search(long budget) {
            Set<Visited> cache = new HashSet<>();
            Deque<Entry> stack = new ArrayDeque<>();
            Deque<Integer> previousValues = new ArrayDeque<>();
            BitSet linearized = new BitSet(ops.size());
            int value = ABSENT;
            Entry entry = head.next;
            long steps = 0;
            while (head.next != null) {
                if (++steps > budget) {
                    return "key " + key + ": undecided after " + budget + " search steps over " + ops.size()
                            + " ops; treated as a failure (raise the budget or check a shorter history). "
                            + deepestOrder();
                }
                if (entry.call) {
                    int next = apply(value, entry.op);
                    if (next != NOT_APPLICABLE) {
                        BitSet after = (BitSet) linearized.clone();
                        after.set(entry.op);
                        if (cache.add(new Visited(after, next))) {
                            stack.push(entry);
                            previousValues.push(value);
                            linearized.set(entry.op);
                            value = next;
                            entry.lift();
                            entry = head.next;
                            continue;
                        }
                    }
                    entry = entry.next;
                } else {
                    // An op reached its return unplaced: what is linearized so far cannot be extended.
                    if (stack.size() > deepest) {
                        deepest = stack.size();
                        blocked = entry.op;
                        blockedValue = value;
                    }
                    if (stack.isEmpty()) {
                        return "key " + key + ": not linearizable. " + deepestOrder();
                    }
                    Entry call = stack.pop();
                    value = previousValues.pop();
                    linearized.clear(call.op);
                    call.unlift();
                    entry = call.next;
                }
            }
            return null;
        }

        private static final int NOT_APPLICABLE = -2;

        /** @return the register value after op, or NOT_APPLICABLE if a read that cannot return what it did */
        private int apply(int value, int op) {
            if (ops.get(op).isWrite()) {
                return op;
            }
            return readsFrom[op] == value ? value : NOT_APPLICABLE;
        }

        private String deepestOrder() {
            if (blocked < 0) {
                return "No op could be placed within the budget.";
            }
            String holding = blockedValue == ABSENT ? "absent"
                    : ops.get(blockedValue).written() + " (" + Histories.describe(ops.get(blockedValue), origin) + ")";
            return Histories.describe(ops.get(blocked), origin) + " cannot take effect anywhere before it completes:"
                    + " the longest order consistent with real time places " + deepest + " of " + ops.size()
                    + " ops and leaves " + key + " = " + holding;
        }
    }

    /** A call or return event in the doubly linked list the search lifts ops out of. */
    private static final class Entry {
        final int op;
        final boolean call;
        final long time;
        Entry prev;
        Entry next;
        Entry match;

        Entry(int op, boolean call, long time) {
            this.op = op;
            this.call = call;
            this.time = time;
        }

        /** Takes this call and its return out of the list. */
        void lift() {
            prev.next = next;
            next.prev = prev;
            match.prev.next = match.next;
            if (match.next != null) {
                match.next.prev = match.prev;
            }
        }

        /** Puts back what {@link #lift} took out, in reverse order. */
        void unlift() {
            match.prev.next = match;
            if (match.next != null) {
                match.next.prev = match;
            }
            prev.next = this;
            next.prev = this;
        }
    }

    /** Lowe's memo: a set of linearized ops and the register value they leave. Never mutated once cached. */
    private record Visited(BitSet linearized, int value) {
    }
}
