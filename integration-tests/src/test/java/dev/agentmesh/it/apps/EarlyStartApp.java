package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.Ring;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Does governed work from the first lines of {@code main}, while the agent is still finishing its start-up in the
 * background: loads a thread class and a pool before any agent is in context, then either calls a tool at once or
 * enters an agent's scope at once and hands work to both in it, and asks for the hypervisor. Each tool class is
 * loaded only where it is first used.
 */
public final class EarlyStartApp {

    private EarlyStartApp() {
    }

    /**
     * @param args {@code tool-first} to call a tool before entering an agent's scope, {@code agent-first} to enter
     *     the scope first
     * @throws Exception if the work fails
     */
    public static void main(String[] args) throws Exception {
        boolean starting = Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("agentmesh-start"));
        System.out.println("agent-still-starting " + starting);
        Worker worker = new Worker();
        ExecutorService pool = Executors.newFixedThreadPool(1);
        boolean toolFirst = args[0].equals("tool-first");
        if (toolFirst) {
            System.out.println("first " + new FirstTools().sandboxed());
        }
        try (AgentContext.Scope ignored = AgentContext.enter("agent-r2")) {
            System.out.println("pool " + pool.submit(() -> new PoolTools().standard()).get());
            worker.start();
            worker.join();
            System.out.println("thread " + worker.result);
        } finally {
            pool.shutdown();
        }
        if (!toolFirst) {
            System.out.println("first " + new FirstTools().sandboxed());
        }
        Session session = Hypervisor.get().createSession(SessionConfig.defaults());
        System.out.println("session " + session.lifecycle());
        session.terminate();
    }

    /** Loaded by main's first call. */
    public static final class FirstTools {
        @Ring(3)
        public String sandboxed() {
            return "ran";
        }
    }

    /** Loaded on the pool's thread. */
    public static final class PoolTools {
        @Ring(2)
        public String standard() {
            return "ran as " + AgentContext.currentAgent().orElse("none");
        }
    }

    /** Loaded on the worker thread. */
    public static final class ThreadTools {
        @Ring(2)
        public String standard() {
            return "ran as " + AgentContext.currentAgent().orElse("none");
        }
    }

    /** A thread class loaded before any agent is in context, started inside a scope. */
    static final class Worker extends Thread {
        volatile String result;

        @Override
        public void run() {
            result = new ThreadTools().standard();
        }
    }
}
