package dev.agentmesh.agent.session.state.check;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One completed operation on the shared key-value state, as a test observed it.
 *
 * <p>A history handed to a checker is a list of these, with these assumptions, which the recorder must honour:
 * <ul>
 *   <li>{@code invoke} is {@link System#nanoTime()} taken just before the call and {@code complete} just after it
 *       returned, on the same clock for every process;</li>
 *   <li>one process's ops never overlap ({@code invoke} of each is at or after {@code complete} of the one before)
 *       and appear in the list in program order; other processes' ops may interleave arbitrarily;</li>
 *   <li>every written value is unique across the history, so each value read names exactly one write.</li>
 * </ul>
 *
 * @param process the agent that made the call
 * @param kind write or read
 * @param key the key
 * @param values for a {@link Kind#WRITE}, exactly the one value written; for a {@link Kind#READ}, what the read
 *     returned: empty when the key was absent, one value, or several concurrent siblings (CAUSAL only). Kept as an
 *     unmodifiable sorted set.
 * @param invoke nanoTime just before the call
 * @param complete nanoTime just after it returned; never before {@code invoke}
 */
public record Op(int process, Kind kind, String key, Set<String> values, long invoke, long complete) {

    /** What the operation did. */
    public enum Kind {
        /** Stored one value under the key. */
        WRITE,
        /** Looked the key up. */
        READ
    }

    /**
     * @throws IllegalArgumentException if a write does not carry exactly one value or {@code complete < invoke}
     * @throws NullPointerException if kind, key, values or a value is null
     */
    public Op {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        values = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(values, "values")));
        if (kind == Kind.WRITE && values.size() != 1) {
            throw new IllegalArgumentException("a write carries exactly one value, not " + values);
        }
        if (complete < invoke) {
            throw new IllegalArgumentException("completed at " + complete + " before invoked at " + invoke);
        }
    }

    /** @return a write by {@code process} of {@code value} under {@code key} */
    public static Op write(int process, String key, String value, long invoke, long complete) {
        return new Op(process, Kind.WRITE, key, Set.of(value), invoke, complete);
    }

    /** @return a read by {@code process} of {@code key} that returned {@code values} (none: the key was absent) */
    public static Op read(int process, String key, long invoke, long complete, String... values) {
        return new Op(process, Kind.READ, key, Set.copyOf(List.of(values)), invoke, complete);
    }

    /** @return the value a write wrote */
    public String written() {
        if (kind != Kind.WRITE) {
            throw new IllegalStateException("not a write: " + this);
        }
        return values.iterator().next();
    }

    boolean isWrite() {
        return kind == Kind.WRITE;
    }
}
