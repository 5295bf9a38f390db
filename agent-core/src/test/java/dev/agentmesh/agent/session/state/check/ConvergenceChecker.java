package dev.agentmesh.agent.session.state.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks that the replicas of the EVENTUAL mode have converged, once writes stopped and the convergence bound
 * elapsed: every replica holds the same keys with the same values; every value held under key k was written to k;
 * every key written at least once is present in every replica. Which of the concurrent writes to a key wins is not
 * checked, only that all replicas agree on a written one.
 *
 * <p>Assumes {@code writes} holds every write of the run (and only writes), keeping the assumptions stated on
 * {@link Op}, and that each replica map was read after the bound had elapsed. No replicas at all is a failure: there
 * is nothing to show convergence.
 */
public final class ConvergenceChecker {

    /** Problems listed in one explanation before the rest are only counted. */
    private static final int SHOWN = 5;

    private ConvergenceChecker() {
    }

    /**
     * @param writes every write of the run
     * @param finalReplicas each process's replica (key to value), read after the bound
     * @return pass, or a failure naming the replicas and keys that break convergence (up to five problems)
     */
    public static CheckResult check(List<Op> writes, Map<Integer, Map<String, String>> finalReplicas) {
        for (Op op : writes) {
            if (!op.isWrite()) {
                return CheckResult.fail("malformed input: not a write: " + op);
            }
        }
        CheckResult malformed = Histories.malformed(writes);
        if (malformed != null) {
            return malformed;
        }
        if (finalReplicas.isEmpty()) {
            return CheckResult.fail("no replicas given: nothing shows convergence");
        }
        long origin = Histories.origin(writes);
        Map<String, Op> writerOf = Histories.writerOf(writes);
        Map<String, Set<String>> writtenTo = new TreeMap<>();
        for (Op w : writes) {
            writtenTo.computeIfAbsent(w.key(), k -> new HashSet<>()).add(w.written());
        }
        Map<Integer, Map<String, String>> replicas = new TreeMap<>(finalReplicas);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, String>> replica : replicas.entrySet()) {
            String name = "replica p" + replica.getKey();
            for (Map.Entry<String, String> held : new TreeMap<>(replica.getValue()).entrySet()) {
                String key = held.getKey();
                String value = held.getValue();
                if (!writtenTo.getOrDefault(key, Collections.emptySet()).contains(value)) {
                    Op elsewhere = writerOf.get(value);
                    problems.add(name + " holds " + value + " under key " + key + ", which no write wrote to " + key
                            + (elsewhere == null ? "" : " (" + Histories.describe(elsewhere, origin) + ")"));
                }
            }
            for (String key : writtenTo.keySet()) {
                if (!replica.getValue().containsKey(key)) {
                    problems.add(name + " lacks key " + key + ", written " + writtenTo.get(key).size() + " time(s)");
                }
            }
        }
        problems.addAll(differences(replicas));
        if (problems.isEmpty()) {
            return CheckResult.pass();
        }
        String shown = String.join("; ", problems.subList(0, Math.min(SHOWN, problems.size())));
        return CheckResult.fail("replicas have not converged: " + shown
                + (problems.size() > SHOWN ? "; and " + (problems.size() - SHOWN) + " more" : ""));
    }

    /** @return each key on which some replica differs from the lowest-numbered one */
    private static List<String> differences(Map<Integer, Map<String, String>> replicas) {
        Set<String> keys = new TreeSet<>();
        replicas.values().forEach(r -> keys.addAll(r.keySet()));
        Map.Entry<Integer, Map<String, String>> first = replicas.entrySet().iterator().next();
        Map<String, String> reference = first.getValue();
        List<String> differences = new ArrayList<>();
        for (String key : keys) {
            String expected = reference.get(key);
            for (Map.Entry<Integer, Map<String, String>> other : replicas.entrySet()) {
                String actual = other.getValue().get(key);
                if (!other.getKey().equals(first.getKey()) && !Objects.equals(expected, actual)) {
                    differences.add("replicas p" + first.getKey() + " and p" + other.getKey() + " differ on key "
                            + key + ": p" + first.getKey() + " holds " + shown(expected) + ", p" + other.getKey()
                            + " holds " + shown(actual));
                }
            }
        }
        return differences;
    }

    private static String shown(String value) {
        return value == null ? "nothing" : value;
    }
}
