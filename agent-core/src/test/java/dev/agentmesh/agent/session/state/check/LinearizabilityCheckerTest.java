package dev.agentmesh.agent.session.state.check;

import static dev.agentmesh.agent.session.state.check.Op.read;
import static dev.agentmesh.agent.session.state.check.Op.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {

    // ---- valid histories

    @Test
    void acceptsASequentialHistory() {
        assertPasses(List.of(
                read(1, "x", 0, 5),
                write(0, "x", "1", 10, 20),
                read(1, "x", 30, 40, "1"),
                write(0, "x", "2", 50, 60),
                read(1, "x", 70, 80, "2")));
    }

    @Test
    void acceptsReadsOverlappingAWriteThatSeeItTakeEffectOnce() {
        assertPasses(List.of(
                write(0, "x", "1", 0, 100),
                read(1, "x", 10, 20),
                read(2, "x", 30, 40, "1"),
                read(1, "x", 50, 60, "1")));
    }

    @Test
    void acceptsConcurrentWritesSeenInEitherOrderWhileTheyArePending() {
        // Linearized as write 2, read, write 1, read: possible since both writes are still in flight.
        assertPasses(List.of(
                write(0, "x", "1", 0, 100),
                write(1, "x", "2", 0, 100),
                read(2, "x", 50, 60, "2"),
                read(3, "x", 70, 80, "1")));
    }

    @Test
    void acceptsIntervalsThatOnlyTouchAsConcurrent() {
        assertPasses(List.of(write(0, "x", "1", 0, 10), read(1, "x", 10, 20)));
    }

    @Test
    void checksEachKeyAsItsOwnRegister() {
        assertPasses(List.of(
                write(0, "x", "x1", 0, 10),
                write(1, "y", "y1", 5, 15),
                read(2, "y", 20, 30, "y1"),
                read(0, "y", 20, 30, "y1"),
                read(1, "x", 20, 30, "x1"),
                write(2, "x", "x2", 40, 50),
                read(0, "x", 45, 60, "x1"),
                read(1, "x", 70, 80, "x2"),
                read(2, "y", 70, 80, "y1")));
    }

    // ---- violations

    @Test
    void rejectsAStaleReadAfterACompletedWrite() {
        CheckResult result = LinearizabilityChecker.check(List.of(
                write(0, "x", "1", 0, 10),
                write(0, "x", "2", 20, 30),
                read(1, "x", 40, 50, "1")));
        assertFails(result, "key x", "read of x by p1 [t=40..50] returning 1", "leaves x = 2");
    }

    @Test
    void rejectsAReadOfAValueNeverWritten() {
        CheckResult result = LinearizabilityChecker.check(List.of(
                write(0, "x", "1", 0, 10),
                read(1, "x", 20, 30, "ghost")));
        assertFails(result, "key x", "p1", "ghost was never written");
    }

    @Test
    void rejectsAReadOfAValueWrittenToAnotherKey() {
        CheckResult result = LinearizabilityChecker.check(List.of(
                write(0, "y", "1", 0, 10),
                read(1, "x", 20, 30, "1")));
        assertFails(result, "key x", "p1", "written to key y");
    }

    @Test
    void rejectsTwoSequentialReadsSeeingSequentialWritesInOppositeOrders() {
        CheckResult result = LinearizabilityChecker.check(List.of(
                write(0, "x", "1", 0, 10),
                write(0, "x", "2", 20, 30),
                read(1, "x", 40, 50, "2"),
                read(2, "x", 60, 70, "1")));
        assertFails(result, "key x", "read of x by p2 [t=60..70] returning 1");
    }

    @Test
    void rejectsTwoSequentialReadsSeeingCompletedConcurrentWritesInOppositeOrders() {
        // Both writes completed before either read: whichever order they took, one read contradicts it.
        CheckResult result = LinearizabilityChecker.check(List.of(
                write(0, "x", "1", 0, 100),
                write(1, "x", "2", 0, 100),
                read(2, "x", 110, 120, "2"),
                read(3, "x", 130, 140, "1")));
        assertFails(result, "key x", "cannot take effect");
    }

    @Test
    void rejectsAReadOfAValueWhoseWriteStartedOnlyAfterTheReadCompleted() {
        CheckResult result = LinearizabilityChecker.check(List.of(
                read(1, "x", 0, 10, "1"),
                write(0, "x", "1", 20, 30)));
        assertFails(result, "key x", "read of x by p1 [t=0..10]", "effect before cause");
    }

    @Test
    void rejectsAReadReturningSiblings() {
        CheckResult result = LinearizabilityChecker.check(List.of(
                write(0, "x", "1", 0, 10),
                write(1, "x", "2", 0, 10),
                read(2, "x", 20, 30, "1", "2")));
        assertFails(result, "key x", "p2", "at most one");
    }

    @Test
    void reportsASearchThatSpendsItsBudgetAsUndecided() {
        List<Op> history = SimulatedRegisters.history(new Random(1), 8, 200, 1);
        assertThat(LinearizabilityChecker.check(history).ok()).isTrue();
        assertFails(LinearizabilityChecker.check(history, 50), "key k0", "undecided after 50");
    }

    @Test
    void rejectsMalformedHistories() {
        assertFails(LinearizabilityChecker.check(List.of(write(0, "x", "1", 0, 10), write(1, "x", "1", 20, 30))),
                "malformed", "written twice");
        assertFails(LinearizabilityChecker.check(List.of(write(0, "x", "1", 0, 10), read(0, "x", 5, 15, "1"))),
                "malformed", "p0's ops overlap");
    }

    // ---- randomized

    @Test
    void acceptsRandomLinearizableHistoriesAndRejectsThemOnceAReadIsMadeStaleOrPremature() {
        int rejected = 0;
        for (int seed = 0; seed < 60; seed++) {
            Random random = new Random(seed);
            List<Op> history = SimulatedRegisters.history(random, 1 + random.nextInt(8), 150, 1 + random.nextInt(3));
            CheckResult valid = LinearizabilityChecker.check(history);
            assertThat(valid.ok()).as("seed %d: %s", seed, valid.explanation()).isTrue();

            List<Op> broken = seed % 2 == 0 ? staleRead(history, random) : prematureRead(history, random);
            if (broken != null) {
                CheckResult result = LinearizabilityChecker.check(broken);
                assertThat(result.ok()).as("seed %d: mutated history accepted", seed).isFalse();
                assertThat(result.explanation()).contains("key k");
                rejected++;
            }
        }
        assertThat(rejected).as("mutations that could be applied").isGreaterThan(40);
    }

    @Test
    void checksTwoHundredOpsPerKeyOverEightProcessesWellUnderASecond() {
        long slowest = 0;
        for (int seed = 0; seed < 20; seed++) {
            List<Op> history = SimulatedRegisters.history(new Random(seed), 8, 600, 3);
            long start = System.nanoTime();
            CheckResult result = LinearizabilityChecker.check(history);
            slowest = Math.max(slowest, System.nanoTime() - start);
            assertThat(result.ok()).as("seed %d: %s", seed, result.explanation()).isTrue();
        }
        System.out.printf("linearizability: slowest check of 600 ops (3 keys, 8 processes): %.1f ms%n",
                slowest / 1e6);
        assertThat(slowest).isLessThan(1_000_000_000L);
    }

    /**
     * A read given the value of a write w that some later write w' certainly overwrote before the read began
     * (w completed before w' was invoked, w' completed before the read was invoked): never linearizable.
     */
    private static List<Op> staleRead(List<Op> history, Random random) {
        List<Op[]> candidates = new ArrayList<>();
        for (Op r : history) {
            for (Op w : history) {
                for (Op later : history) {
                    if (!r.isWrite() && w.isWrite() && later.isWrite() && w.key().equals(r.key())
                            && later.key().equals(r.key()) && w.complete() < later.invoke()
                            && later.complete() < r.invoke()) {
                        candidates.add(new Op[] {r, w});
                        break;
                    }
                }
            }
        }
        return TestHistories.rewriteOne(history, candidates, random);
    }

    /** A read given the value of a write to its key invoked only after the read completed. */
    private static List<Op> prematureRead(List<Op> history, Random random) {
        List<Op[]> candidates = new ArrayList<>();
        for (Op r : history) {
            for (Op w : history) {
                if (!r.isWrite() && w.isWrite() && w.key().equals(r.key()) && w.invoke() > r.complete()) {
                    candidates.add(new Op[] {r, w});
                }
            }
        }
        return TestHistories.rewriteOne(history, candidates, random);
    }

    private static void assertPasses(List<Op> history) {
        CheckResult result = LinearizabilityChecker.check(history);
        assertThat(result.ok()).as(result.explanation()).isTrue();
    }

    static void assertFails(CheckResult result, String... mentions) {
        assertThat(result.ok()).as("accepted: %s", result.explanation()).isFalse();
        assertThat(result.explanation()).contains(mentions);
    }

    /**
     * A reference implementation: one atomic register per key. Each op takes effect at a linearization point, and
     * gets a random real-time interval around it, so the recorded history is linearizable by construction while
     * up to one op per process is in flight at once.
     */
    static final class SimulatedRegisters {

        private SimulatedRegisters() {
        }

        static List<Op> history(Random random, int processes, int ops, int keys) {
            Map<String, String> registers = new HashMap<>();
            List<List<Op>> perProcess = new ArrayList<>();
            long[] freeFrom = new long[processes];
            for (int p = 0; p < processes; p++) {
                perProcess.add(new ArrayList<>());
            }
            long point = 0;
            int made = 0;
            while (made < ops) {
                point += 1 + random.nextInt(10);
                int p = random.nextInt(processes);
                if (freeFrom[p] > point) {
                    continue;
                }
                long invoke = Math.max(freeFrom[p], point - random.nextInt(100));
                long complete = point + random.nextInt(100);
                freeFrom[p] = complete + random.nextInt(2);
                String key = "k" + random.nextInt(keys);
                Op op;
                if (random.nextInt(3) == 0) {
                    String value = "v" + made;
                    registers.put(key, value);
                    op = write(p, key, value, invoke, complete);
                } else {
                    String seen = registers.get(key);
                    op = seen == null ? read(p, key, invoke, complete) : read(p, key, invoke, complete, seen);
                }
                perProcess.get(p).add(op);
                made++;
            }
            return TestHistories.interleave(perProcess, random);
        }
    }
}
