package dev.agentmesh.agent.session.state.check;

import static dev.agentmesh.agent.session.state.check.LinearizabilityCheckerTest.assertFails;
import static dev.agentmesh.agent.session.state.check.Op.read;
import static dev.agentmesh.agent.session.state.check.Op.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CausalCheckerTest {

    // ---- valid histories

    @Test
    void acceptsASequentialHistory() {
        assertPasses(List.of(
                read(0, "x", 0, 5),
                write(0, "x", "a", 10, 20),
                read(0, "x", 30, 40, "a"),
                write(0, "x", "b", 50, 60),
                read(0, "x", 70, 80, "b")));
    }

    @Test
    void acceptsConcurrentWritesKeptAsTwoSiblings() {
        assertPasses(List.of(
                write(0, "x", "a", 0, 10),
                write(1, "x", "b", 0, 10),
                read(2, "x", 20, 30, "a", "b"),
                read(0, "x", 20, 30, "a", "b")));
    }

    @Test
    void acceptsALaterWriteByAProcessThatSawBothSiblingsResolvingThem() {
        assertPasses(List.of(
                write(0, "x", "a", 0, 10),
                write(1, "x", "b", 0, 10),
                read(2, "x", 20, 30, "a", "b"),
                write(2, "x", "c", 40, 50),
                read(2, "x", 60, 70, "c"),
                read(0, "x", 60, 70, "c"),
                read(1, "x", 80, 90, "c")));
    }

    @Test
    void acceptsAnOldValueForAProcessThatHasNotCausallyLearnedOfTheNewOne() {
        // Not linearizable (p1 reads a after b completed), but causal: nothing links b to p1's read.
        assertPasses(List.of(
                write(0, "x", "a", 0, 10),
                write(0, "x", "b", 20, 30),
                read(1, "x", 40, 50, "a"),
                read(1, "x", 60, 70, "b")));
    }

    @Test
    void acceptsCausesSeenWithTheirEffectsAcrossKeys() {
        assertPasses(List.of(
                write(0, "x", "a", 0, 10),
                write(0, "y", "b", 20, 30),
                read(1, "y", 40, 50, "b"),
                read(1, "x", 60, 70, "a"),
                write(1, "x", "c", 80, 90),
                read(2, "x", 100, 110, "c"),
                read(2, "y", 120, 130, "b")));
    }

    @Test
    void acceptsAnAbsentReadWithNoWriteInItsCausalPast() {
        assertPasses(List.of(write(0, "x", "a", 0, 10), read(1, "x", 20, 30)));
    }

    // ---- violations

    @Test
    void rejectsAnEffectSeenBeforeItsCause() {
        CheckResult result = CausalChecker.check(List.of(
                write(0, "x", "a", 0, 10),
                write(0, "y", "b", 20, 30),
                read(1, "y", 40, 50, "b"),
                read(1, "x", 60, 70)));
        assertFails(result, "key x: read of x by p1 [t=60..70] returning absent missed write x=a by p0 [t=0..10]",
                "write x=a by p0 [t=0..10] -> write y=b by p0 [t=20..30] -> read of y by p1 [t=40..50]");
    }

    @Test
    void rejectsSiblingsOneOfWhichIsInTheOthersCausalPast() {
        CheckResult result = CausalChecker.check(List.of(
                write(0, "x", "a", 0, 10),
                read(1, "x", 20, 30, "a"),
                write(1, "x", "b", 40, 50),
                read(2, "x", 60, 70, "a", "b")));
        assertFails(result, "key x: read of x by p2", "not concurrent", "write x=a by p0 [t=0..10] is in the causal past of"
                + " write x=b by p1 [t=40..50]");
    }

    @Test
    void rejectsAReadThatMissesItsOwnEarlierWrite() {
        CheckResult result = CausalChecker.check(List.of(
                write(0, "x", "a", 0, 10),
                read(0, "x", 20, 30)));
        assertFails(result, "key x: read of x by p0", "missed write x=a by p0");
    }

    @Test
    void rejectsAReadThatReplacesItsOwnWriteByAConcurrentOne() {
        CheckResult result = CausalChecker.check(List.of(
                write(0, "x", "a", 0, 10),
                write(1, "x", "b", 0, 10),
                read(0, "x", 20, 30, "b")));
        assertFails(result, "key x: read of x by p0", "missed write x=a by p0");
    }

    @Test
    void rejectsAReadOfAValueItHadAlreadySeenOverwritten() {
        CheckResult result = CausalChecker.check(List.of(
                write(0, "x", "a", 0, 10),
                write(0, "x", "b", 20, 30),
                read(1, "x", 40, 50, "b"),
                read(1, "x", 60, 70, "a")));
        assertFails(result, "key x: read of x by p1 [t=60..70] returning a returned stale a",
                "write x=b by p0 [t=20..30] overwrote it");
    }

    @Test
    void rejectsValuesFromNowhereFromAnotherKeyOrFromTheFuture() {
        assertFails(CausalChecker.check(List.of(read(1, "x", 0, 10, "ghost"))), "p1", "ghost was never written");
        assertFails(CausalChecker.check(List.of(write(0, "y", "a", 0, 10), read(1, "x", 20, 30, "a"))),
                "p1", "written to key y");
        assertFails(CausalChecker.check(List.of(read(1, "x", 0, 10, "a"), write(0, "x", "a", 20, 30))),
                "p1", "effect before cause");
    }

    @Test
    void rejectsACycleOfReadsFromEvenWhereTheClockCannotTell() {
        // p0 reads b, then writes a; p1 reads a, then writes b. The intervals only touch, so real time allows it.
        CheckResult result = CausalChecker.check(List.of(
                read(0, "x", 0, 10, "b"),
                write(0, "y", "a", 10, 20),
                read(1, "y", 5, 10, "a"),
                write(1, "x", "b", 10, 15)));
        assertFails(result, "cycle", "read of x by p0", "write y=a by p0");
    }

    @Test
    void rejectsAValueWrittenTwiceAsReadsFromIsThenUndefined() {
        assertFails(CausalChecker.check(List.of(write(0, "x", "a", 0, 10), write(1, "x", "a", 0, 10))),
                "malformed", "written twice");
    }

    // ---- randomized

    @Test
    void acceptsRandomCausalHistoriesAndRejectsThemOnceAReadIsBroken() {
        int rejected = 0;
        int siblingReads = 0;
        for (int seed = 0; seed < 60; seed++) {
            Random random = new Random(seed);
            SimulatedCausalStore store = new SimulatedCausalStore(2 + random.nextInt(5), 1 + random.nextInt(3), random);
            List<Op> history = store.run(300);
            CheckResult valid = CausalChecker.check(history);
            assertThat(valid.ok()).as("seed %d: %s", seed, valid.explanation()).isTrue();
            siblingReads += (int) history.stream().filter(op -> op.values().size() > 1).count();

            List<Op> broken = store.mutate(history, seed % 3);
            if (broken != null) {
                CheckResult result = CausalChecker.check(broken);
                assertThat(result.ok()).as("seed %d: mutation %d accepted", seed, seed % 3).isFalse();
                rejected++;
            }
        }
        assertThat(siblingReads).as("the simulation exercised siblings").isPositive();
        assertThat(rejected).as("mutations that could be applied").isGreaterThan(40);
    }

    @Test
    void checksAFewThousandOpsQuickly() {
        SimulatedCausalStore store = new SimulatedCausalStore(8, 4, new Random(7));
        List<Op> history = store.run(4000);
        long start = System.nanoTime();
        CheckResult result = CausalChecker.check(history);
        long took = System.nanoTime() - start;
        System.out.printf("causal: check of 4000 ops (4 keys, 8 processes): %.1f ms%n", took / 1e6);
        assertThat(result.ok()).as(result.explanation()).isTrue();
        assertThat(took).isLessThan(2_000_000_000L);
    }

    private static void assertPasses(List<Op> history) {
        CheckResult result = CausalChecker.check(history);
        assertThat(result.ok()).as(result.explanation()).isTrue();
    }

    /**
     * A reference causal store: one replica per process, writes delivered to other replicas in causal order at
     * random times. A process's vector clock counts the writes in its causal past (its own, and those its reads
     * returned, with theirs); a write replaces the siblings its clock dominates, a read returns the replica's
     * siblings and merges their clocks. Ops run one at a time, so real time never contradicts reads-from.
     */
    static final class SimulatedCausalStore {

        private final int processes;
        private final int keys;
        private final Random random;
        private final int[][] clock;
        private final int[][] received;
        private final List<Map<String, List<Stamped>>> replicas = new ArrayList<>();
        private final List<List<Stamped>> pending = new ArrayList<>();
        private final List<Stamped> writes = new ArrayList<>();
        /** Each read's process clock just before it: its causal past through program order. */
        private final Map<Op, int[]> pastOfRead = new HashMap<>();

        SimulatedCausalStore(int processes, int keys, Random random) {
            this.processes = processes;
            this.keys = keys;
            this.random = random;
            this.clock = new int[processes][processes];
            this.received = new int[processes][processes];
            for (int p = 0; p < processes; p++) {
                replicas.add(new HashMap<>());
                pending.add(new ArrayList<>());
            }
        }

        List<Op> run(int ops) {
            List<List<Op>> perProcess = new ArrayList<>();
            for (int p = 0; p < processes; p++) {
                perProcess.add(new ArrayList<>());
            }
            long time = 0;
            for (int made = 0; made < ops; ) {
                if (random.nextInt(3) == 0) {
                    deliverOne();
                    continue;
                }
                int p = random.nextInt(processes);
                String key = "k" + random.nextInt(keys);
                time += 10;
                Op op;
                if (random.nextInt(3) == 0) {
                    op = write(p, key, "v" + made, time, time + 5);
                    store(p, op);
                } else {
                    int[] before = clock[p].clone();
                    List<String> seen = new ArrayList<>();
                    for (Stamped s : replicas.get(p).getOrDefault(key, List.of())) {
                        seen.add(s.op.written());
                        merge(clock[p], s.stamp);
                    }
                    op = read(p, key, time, time + 5, seen.toArray(String[]::new));
                    pastOfRead.put(op, before);
                }
                perProcess.get(p).add(op);
                made++;
            }
            return TestHistories.interleave(perProcess, random);
        }

        /**
         * @param kind 0: a read loses a write in its causal past (returns absent); 1: a read returns a value
         *     overwritten by a write in its causal past; 2: a read returns a value written after it
         * @return the history so broken, or null if it has no read to break that way
         */
        List<Op> mutate(List<Op> history, int kind) {
            List<Op[]> candidates = new ArrayList<>();
            for (Op op : history) {
                int[] past = pastOfRead.get(op);
                if (past == null) {
                    continue;
                }
                for (Stamped w : writes) {
                    if (!w.op.key().equals(op.key())) {
                        continue;
                    }
                    if (kind == 0 && w.in(past) && !op.values().isEmpty()) {
                        candidates.add(new Op[] {op});
                    } else if (kind == 1 && w.in(past)) {
                        for (Stamped older : writes) {
                            if (older != w && older.op.key().equals(op.key()) && older.in(w.stamp)) {
                                candidates.add(new Op[] {op, older.op});
                            }
                        }
                    } else if (kind == 2 && w.op.invoke() > op.complete()) {
                        candidates.add(new Op[] {op, w.op});
                    }
                }
            }
            return TestHistories.rewriteOne(history, candidates, random);
        }

        private void store(int p, Op op) {
            clock[p][p]++;
            Stamped w = new Stamped(op, clock[p].clone());
            writes.add(w);
            apply(p, w);
            for (int q = 0; q < processes; q++) {
                if (q != p) {
                    pending.get(q).add(w);
                }
            }
        }

        /** Delivers to a random process one pending write whose causal past that process already has. */
        private void deliverOne() {
            int q = random.nextInt(processes);
            List<Stamped> ready = new ArrayList<>();
            for (Stamped w : pending.get(q)) {
                if (deliverable(received[q], w)) {
                    ready.add(w);
                }
            }
            if (!ready.isEmpty()) {
                Stamped w = ready.get(random.nextInt(ready.size()));
                pending.get(q).remove(w);
                apply(q, w);
            }
        }

        private static boolean deliverable(int[] have, Stamped w) {
            int from = w.op.process();
            for (int j = 0; j < have.length; j++) {
                if (j == from ? have[j] != w.stamp[j] - 1 : have[j] < w.stamp[j]) {
                    return false;
                }
            }
            return true;
        }

        private void apply(int q, Stamped w) {
            received[q][w.op.process()]++;
            List<Stamped> siblings = new ArrayList<>();
            for (Stamped s : replicas.get(q).getOrDefault(w.op.key(), List.of())) {
                if (!s.in(w.stamp)) {
                    siblings.add(s);
                }
            }
            siblings.add(w);
            replicas.get(q).put(w.op.key(), siblings);
        }

        private static void merge(int[] into, int[] from) {
            for (int j = 0; j < into.length; j++) {
                into[j] = Math.max(into[j], from[j]);
            }
        }

        /** A write and its vector clock. */
        private record Stamped(Op op, int[] stamp) {
            /** @return whether this write is counted by {@code clock}, i.e. in the causal past it describes */
            boolean in(int[] clock) {
                return clock[op.process()] >= stamp[op.process()];
            }
        }
    }
}
