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

class ConvergenceCheckerTest {

    private static final List<Op> WRITES = List.of(
            write(0, "x", "a", 0, 10),
            write(1, "x", "b", 0, 10),
            write(1, "y", "c", 20, 30));

    @Test
    void acceptsIdenticalReplicasHoldingWrittenValues() {
        Map<String, String> state = Map.of("x", "b", "y", "c");
        assertPasses(WRITES, Map.of(0, state, 1, new HashMap<>(state), 2, Map.copyOf(state)));
    }

    @Test
    void acceptsAnyWrittenValueAsTheWinnerAndEmptyReplicasWhenNothingWasWritten() {
        assertPasses(WRITES, Map.of(0, Map.of("x", "a", "y", "c"), 1, Map.of("x", "a", "y", "c")));
        assertPasses(List.of(), Map.of(0, Map.of(), 1, Map.of()));
    }

    @Test
    void rejectsReplicasThatDifferOnOneKey() {
        CheckResult result = ConvergenceChecker.check(WRITES,
                Map.of(0, Map.of("x", "a", "y", "c"), 1, Map.of("x", "a", "y", "c"), 2, Map.of("x", "b", "y", "c")));
        assertFails(result, "replicas p0 and p2 differ on key x: p0 holds a, p2 holds b");
    }

    @Test
    void rejectsAReplicaMissingAWrittenKey() {
        CheckResult result = ConvergenceChecker.check(WRITES,
                Map.of(0, Map.of("x", "a", "y", "c"), 1, Map.of("x", "a")));
        assertFails(result, "replica p1 lacks key y", "replicas p0 and p1 differ on key y: p0 holds c, p1 holds"
                + " nothing");
    }

    @Test
    void rejectsAKeyMissingFromEveryReplica() {
        assertFails(ConvergenceChecker.check(WRITES, Map.of(0, Map.of("x", "a"), 1, Map.of("x", "a"))),
                "replica p0 lacks key y", "replica p1 lacks key y");
    }

    @Test
    void rejectsAValueNeverWrittenEvenWhereAllReplicasAgree() {
        assertFails(ConvergenceChecker.check(WRITES,
                        Map.of(0, Map.of("x", "ghost", "y", "c"), 1, Map.of("x", "ghost", "y", "c"))),
                "replica p0 holds ghost under key x, which no write wrote to x");
        assertFails(ConvergenceChecker.check(WRITES,
                        Map.of(0, Map.of("x", "c", "y", "c"), 1, Map.of("x", "c", "y", "c"))),
                "replica p0 holds c under key x, which no write wrote to x (write y=c by p1");
    }

    @Test
    void rejectsNoReplicasAndReadsPassedAsWrites() {
        assertFails(ConvergenceChecker.check(WRITES, Map.of()), "no replicas");
        assertFails(ConvergenceChecker.check(List.of(read(0, "x", 0, 10)), Map.of(0, Map.of())), "not a write");
    }

    @Test
    void acceptsRandomConvergedReplicasAndRejectsThemOnceOneIsBroken() {
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            int processes = 2 + random.nextInt(4);
            List<Op> writes = new ArrayList<>();
            Map<String, String> winner = new HashMap<>();
            for (int i = 0; i < 1 + random.nextInt(40); i++) {
                String key = "k" + random.nextInt(4);
                writes.add(write(i % processes, key, "v" + i, 10L * i, 10L * i + 5));
                if (!winner.containsKey(key) || random.nextBoolean()) {
                    winner.put(key, "v" + i);
                }
            }
            Map<Integer, Map<String, String>> replicas = new HashMap<>();
            for (int p = 0; p < processes; p++) {
                replicas.put(p, new HashMap<>(winner));
            }
            CheckResult valid = ConvergenceChecker.check(writes, replicas);
            assertThat(valid.ok()).as("seed %d: %s", seed, valid.explanation()).isTrue();

            int victim = random.nextInt(processes);
            String key = new ArrayList<>(winner.keySet()).get(random.nextInt(winner.size()));
            switch (seed % 3) {
                case 0 -> replicas.get(victim).remove(key);
                case 1 -> replicas.get(victim).put(key, "never-written");
                default -> replicas.values().forEach(r -> r.put(key, "ghost"));
            }
            CheckResult result = ConvergenceChecker.check(writes, replicas);
            assertThat(result.ok()).as("seed %d: mutation %d accepted", seed, seed % 3).isFalse();
            assertThat(result.explanation()).contains("key " + key);
        }
    }

    private static void assertPasses(List<Op> writes, Map<Integer, Map<String, String>> replicas) {
        CheckResult result = ConvergenceChecker.check(writes, replicas);
        assertThat(result.ok()).as(result.explanation()).isTrue();
    }
}
