package dev.agentmesh.agent.session.state.check;

import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;

/** What every checker needs of a history: the recorder's assumptions checked, writes indexed, ops described. */
final class Histories {

    private Histories() {
    }

    /**
     * @return a failure if the history breaks an assumption of {@link Op} (a process's ops overlapping or out of
     *     program order, a value written twice), else null
     */
    static CheckResult malformed(List<Op> history) {
        long origin = origin(history);
        Map<Integer, Op> lastOf = new HashMap<>();
        Map<String, Op> writerOf = new HashMap<>();
        for (Op op : history) {
            Op last = lastOf.put(op.process(), op);
            if (last != null && op.invoke() < last.complete()) {
                return CheckResult.fail("malformed history: p" + op.process() + "'s ops overlap or are not in program"
                        + " order: " + describe(last, origin) + " then " + describe(op, origin));
            }
            if (op.isWrite()) {
                Op twice = writerOf.put(op.written(), op);
                if (twice != null) {
                    return CheckResult.fail("malformed history: value " + op.written() + " is written twice ("
                            + describe(twice, origin) + " and " + describe(op, origin)
                            + "), so what a read of it read from is not defined");
                }
            }
        }
        return null;
    }

    /** @return each written value's write; assumes {@link #malformed} found nothing */
    static Map<String, Op> writerOf(List<Op> history) {
        Map<String, Op> writers = new HashMap<>();
        for (Op op : history) {
            if (op.isWrite()) {
                writers.put(op.written(), op);
            }
        }
        return writers;
    }

    /** @return the earliest invoke, the zero of the times in explanations */
    static long origin(List<Op> history) {
        return history.stream().mapToLong(Op::invoke).min().orElse(0);
    }

    /** @return e.g. {@code write x=v1 by p0 [t=0..10]} or {@code read of x by p2 [t=40..50] returning {v1}} */
    static String describe(Op op, long origin) {
        String when = " by p" + op.process() + " [t=" + (op.invoke() - origin) + ".." + (op.complete() - origin) + "]";
        return op.isWrite()
                ? "write " + op.key() + "=" + op.written() + when
                : "read of " + op.key() + when + " returning " + values(op.values());
    }

    /** @return {@code absent}, the one value, or {@code {a, b}} */
    static String values(Set<String> values) {
        if (values.isEmpty()) {
            return "absent";
        }
        return values.size() == 1 ? values.iterator().next() : values.toString().replace('[', '{').replace(']', '}');
    }

    /**
     * @return why a read's value cannot come from its key's writes (never written, written to another key, or
     *     written only after the read completed), or null if a write of it to the read's key could precede the read
     */
    static String impossibleSource(Op read, String value, Map<String, Op> writerOf, long origin) {
        Op write = writerOf.get(value);
        String culprit = "key " + read.key() + ": " + describe(read, origin) + ": " + value;
        if (write == null) {
            return culprit + " was never written by any op in the history";
        }
        if (!write.key().equals(read.key())) {
            return culprit + " was written to key " + write.key() + " (" + describe(write, origin) + "), not to "
                    + read.key();
        }
        if (write.invoke() > read.complete()) {
            return culprit + " was written by " + describe(write, origin) + ", invoked only after the read completed"
                    + " (effect before cause)";
        }
        return null;
    }
}
