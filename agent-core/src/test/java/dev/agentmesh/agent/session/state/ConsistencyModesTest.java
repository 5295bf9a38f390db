package dev.agentmesh.agent.session.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.agent.session.state.check.CausalChecker;
import dev.agentmesh.agent.session.state.check.CheckResult;
import dev.agentmesh.agent.session.state.check.ConvergenceChecker;
import dev.agentmesh.agent.session.state.check.LinearizabilityChecker;
import dev.agentmesh.agent.session.state.check.Op;
import dev.agentmesh.api.ConsistencyMode;
import dev.agentmesh.api.SessionConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each mode's guarantee, checked on histories recorded from concurrent agents over many randomized runs; and each
 * checker shown to reject the histories of a store that does not keep its guarantee.
 */
class ConsistencyModesTest {

    private static final int RUNS = 40;

    private final ScheduledExecutorService sync = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger logged = new AtomicInteger();

    @AfterEach
    void stop() {
        sync.shutdownNow();
    }

    @Test
    void strictHistoriesAreLinearizable() throws Exception {
        for (int run = 0; run < RUNS; run++) {
            List<Op> history = HistoryRecorder.run(store(ConsistencyMode.STRICT), 4, 40, 2, run);
            CheckResult result = LinearizabilityChecker.check(history);
            assertThat(result.ok()).as("seed %d: %s", run, result.explanation()).isTrue();
        }
        assertThat(logged.get()).as("every write was logged").isPositive();
    }

    @Test
    void causalHistoriesAreCausalAndKeepConcurrentWritesAsSiblings() throws Exception {
        int siblingReads = 0;
        for (int run = 0; run < RUNS; run++) {
            List<Op> history = HistoryRecorder.run(store(ConsistencyMode.CAUSAL), 4, 60, 2, run);
            CheckResult result = CausalChecker.check(history);
            assertThat(result.ok()).as("seed %d: %s", run, result.explanation()).isTrue();
            siblingReads += (int) history.stream().filter(op -> op.values().size() > 1).count();
        }
        assertThat(siblingReads).as("concurrent writes were kept side by side at least once").isPositive();
    }

    @Test
    void eventualReplicasConvergeWithinTheBoundOnceWritesStop() throws Exception {
        Duration bound = Duration.ofMillis(50);
        for (int run = 0; run < RUNS / 4; run++) {
            StateStore store = StateStores.create(config(ConsistencyMode.EVENTUAL).toBuilder().convergenceBound(bound)
                    .build(), (a, k, v, c) -> logged.incrementAndGet(), sync);
            List<Op> history = HistoryRecorder.run(store, 4, 60, 3, run);
            // The store schedules every write to reach every replica within half the bound; the other half, and
            // this slack, are for a busy CI machine's scheduler.
            Thread.sleep(bound.toMillis() + 50);
            Map<Integer, Map<String, String>> replicas = new HashMap<>();
            for (int p = 0; p < 4; p++) {
                Map<String, String> replica = new HashMap<>();
                for (String key : store.keys(HistoryRecorder.agentId(p))) {
                    replica.put(key, store.read(HistoryRecorder.agentId(p), key).get(0));
                }
                replicas.put(p, replica);
            }
            List<Op> writes = new ArrayList<>();
            history.stream().filter(op -> op.kind() == Op.Kind.WRITE).forEach(writes::add);
            CheckResult result = ConvergenceChecker.check(writes, replicas);
            assertThat(result.ok()).as("seed %d: %s", run, result.explanation()).isTrue();
        }
    }

    @Test
    void theLinearizabilityCheckerCatchesTheStaleReadsOfEventualReplicas() throws Exception {
        boolean caught = false;
        for (int run = 0; run < RUNS && !caught; run++) {
            List<Op> history = HistoryRecorder.run(store(ConsistencyMode.EVENTUAL), 4, 40, 1, run);
            caught = !LinearizabilityChecker.check(history).ok();
        }
        assertThat(caught).as("EVENTUAL is not linearizable, and the checker says so").isTrue();
    }

    @Test
    void theCausalCheckerCatchesEventualReplicasSeeingEffectsBeforeCauses() throws Exception {
        boolean caught = false;
        for (int run = 0; run < RUNS && !caught; run++) {
            List<Op> history = HistoryRecorder.run(store(ConsistencyMode.EVENTUAL), 4, 60, 2, run);
            caught = !CausalChecker.check(history).ok();
        }
        assertThat(caught).as("EVENTUAL is not causal, and the checker says so").isTrue();
    }

    private StateStore store(ConsistencyMode mode) {
        return StateStores.create(config(mode), (a, k, v, c) -> logged.incrementAndGet(), sync);
    }

    private static SessionConfig config(ConsistencyMode mode) {
        return SessionConfig.builder().consistencyMode(mode).convergenceBound(Duration.ofMillis(20)).build();
    }
}
