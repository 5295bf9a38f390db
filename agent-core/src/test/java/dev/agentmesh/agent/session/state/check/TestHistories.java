package dev.agentmesh.agent.session.state.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** What the randomized tests share: merging processes' ops in a random interleaving, and rewriting a read. */
final class TestHistories {

    private TestHistories() {
    }

    /** @return every process's ops, each process's kept in program order, the processes randomly interleaved */
    static List<Op> interleave(List<List<Op>> perProcess, Random random) {
        List<Op> history = new ArrayList<>();
        int[] next = new int[perProcess.size()];
        List<Integer> left = new ArrayList<>();
        for (int p = 0; p < perProcess.size(); p++) {
            if (!perProcess.get(p).isEmpty()) {
                left.add(p);
            }
        }
        while (!left.isEmpty()) {
            int pick = random.nextInt(left.size());
            int p = left.get(pick);
            history.add(perProcess.get(p).get(next[p]++));
            if (next[p] == perProcess.get(p).size()) {
                left.remove(pick);
            }
        }
        return history;
    }

    /**
     * @param candidates rewrites to choose from: {read} makes the read return absent, {read, write} makes it return
     *     the write's value
     * @return a copy of {@code history} with one random candidate applied, or null if there is none
     */
    static List<Op> rewriteOne(List<Op> history, List<Op[]> candidates, Random random) {
        if (candidates.isEmpty()) {
            return null;
        }
        Op[] pick = candidates.get(random.nextInt(candidates.size()));
        return pick.length == 1 ? withReadReturning(history, pick[0])
                : withReadReturning(history, pick[0], pick[1].written());
    }

    /** @return a copy of {@code history} in which {@code read} returned {@code values} instead */
    private static List<Op> withReadReturning(List<Op> history, Op read, String... values) {
        List<Op> mutated = new ArrayList<>(history);
        int at = mutated.indexOf(read);
        mutated.set(at, new Op(read.process(), Op.Kind.READ, read.key(), Set.of(values), read.invoke(),
                read.complete()));
        return mutated;
    }
}
