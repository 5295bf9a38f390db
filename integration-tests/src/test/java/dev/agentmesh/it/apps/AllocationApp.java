package dev.agentmesh.it.apps;

import com.sun.management.ThreadMXBean;
import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Ring;
import java.lang.management.ManagementFactory;

/**
 * Makes {@code args[0]} allowed, audited calls of a one-argument {@code @Ring(2)} tool as {@code agent-r2} to warm
 * up, then as many again while the JVM counts the bytes this thread allocates, and prints
 * {@code BYTES_PER_CALL x.xxx}.
 */
public final class AllocationApp {

    private AllocationApp() {
    }

    public static void main(String[] args) {
        int calls = Integer.parseInt(args[0]);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        Tool tool = new Tool();
        String query = "agent governance";
        long sum = 0;
        try (AgentContext.Scope scope = AgentContext.enter("agent-r2")) {
            for (int i = 0; i < calls; i++) {
                sum += tool.search(query);
            }
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < calls; i++) {
                sum += tool.search(query);
            }
            long allocated = threads.getThreadAllocatedBytes(thread) - before;
            System.out.println(String.format(java.util.Locale.ROOT, "BYTES_PER_CALL %.3f", (double) allocated / calls));
        }
        if (sum != 2L * calls * query.length()) {
            throw new IllegalStateException("the tool did not run every time: " + sum);
        }
    }

    /** The tool. */
    public static final class Tool {
        @Ring(2)
        public int search(String query) {
            return query.length();
        }
    }
}
