package dev.agentmesh.agent.session.state;

import dev.agentmesh.agent.session.state.check.Op;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Drives a {@link StateStore} from several concurrent agents with random reads and writes, and records the history
 * the checkers take: each operation with {@link System#nanoTime()} just before and just after it, in each agent's
 * program order, every written value unique.
 */
final class HistoryRecorder {

    private HistoryRecorder() {
    }

    /**
     * @param store the store under test
     * @param agents how many agents, each on its own thread
     * @param opsPerAgent operations each makes
     * @param keys how many distinct keys
     * @param seed the random seed, so a failure can be replayed
     * @return the history, all agents' operations (each agent's in program order)
     */
    static List<Op> run(StateStore store, int agents, int opsPerAgent, int keys, long seed) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(agents);
        try {
            CyclicBarrier start = new CyclicBarrier(agents);
            List<Future<List<Op>>> futures = new ArrayList<>();
            for (int p = 0; p < agents; p++) {
                int process = p;
                futures.add(pool.submit(() -> {
                    Random random = new Random(seed * 31 + process);
                    List<Op> ops = new ArrayList<>(opsPerAgent);
                    String agent = agentId(process);
                    start.await();
                    for (int i = 0; i < opsPerAgent; i++) {
                        String key = "k" + random.nextInt(keys);
                        if (random.nextInt(3) == 0) {
                            String value = agent + "-" + i;
                            long invoke = System.nanoTime();
                            store.write(agent, key, value);
                            ops.add(Op.write(process, key, value, invoke, System.nanoTime()));
                        } else {
                            long invoke = System.nanoTime();
                            List<String> seen = store.read(agent, key);
                            ops.add(Op.read(process, key, invoke, System.nanoTime(), seen.toArray(String[]::new)));
                        }
                        if (random.nextInt(8) == 0) {
                            Thread.yield();
                        }
                    }
                    return ops;
                }));
            }
            List<Op> history = new ArrayList<>();
            for (Future<List<Op>> f : futures) {
                history.addAll(f.get(60, TimeUnit.SECONDS));
            }
            return history;
        } finally {
            pool.shutdownNow();
        }
    }

    static String agentId(int process) {
        return "agent-" + process;
    }

    /** @return the distinct keys written in {@code history} */
    static List<String> writtenKeys(List<Op> history) {
        LinkedHashSet<String> keys = new LinkedHashSet<>();
        for (Op op : history) {
            if (op.kind() == Op.Kind.WRITE) {
                keys.add(op.key());
            }
        }
        return Collections.unmodifiableList(new ArrayList<>(keys));
    }
}
