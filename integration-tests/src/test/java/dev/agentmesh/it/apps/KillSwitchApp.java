package dev.agentmesh.it.apps;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.AgentKilledError;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.Ring;
import dev.agentmesh.api.Saga;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A JVM an operator kills from outside. It prints {@code READY <pid>} once {@code researcher-1} is inside a slow
 * governed call and inside a saga step, then reports, one line each, what the kill did to them, tries a new call,
 * and keeps trying until it is revived. {@code plain} only sleeps: a JVM without the agent's MBean.
 */
public final class KillSwitchApp {

    /** The tools. */
    public static final class Tools {
        @Ring(2)
        public String slowSearch(String q) throws InterruptedException {
            Thread.sleep(120_000);
            return "results for " + q;
        }

        @Ring(2)
        public String search(String q) {
            return "results for " + q;
        }

        @Ring(2)
        public void cancel(String booking) {
            System.out.println("UNDO " + booking + " as " + AgentContext.currentAgent().orElse("none"));
        }
    }

    private KillSwitchApp() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("plain")) {
            System.out.println("READY " + ProcessHandle.current().pid());
            Thread.sleep(120_000);
            return;
        }
        Path revived = Path.of(args[1]);
        Tools tools = new Tools();
        Session session = Hypervisor.get().createSession(SessionConfig.defaults());
        Thread inFlight = new Thread(() -> {
            try {
                session.runAs("researcher-1", () -> tools.slowSearch("governance"));
                System.out.println("IN-FLIGHT finished");
            } catch (Throwable t) {
                System.out.println("IN-FLIGHT " + t.getClass().getSimpleName());
            }
        });
        Saga saga = AgentContext.runAs("researcher-1", () -> session.saga("trip"));
        saga.step("flight", () -> "F-1", booking -> tools.cancel(booking));
        saga.step("hotel", () -> {
            Thread.sleep(120_000);
            return "H-1";
        }, booking -> tools.cancel(booking));
        Thread sagaThread = new Thread(() -> System.out.println("SAGA " + saga.run() + " " + saga.id()));
        inFlight.start();
        sagaThread.start();
        while (Hypervisor.get().agents().stream().filter(a -> a.agentId().equals("researcher-1"))
                .noneMatch(a -> a.callsInFlight() == 1) || resultOrNull(saga) == null) {
            Thread.sleep(20);
        }
        System.out.println("READY " + ProcessHandle.current().pid());
        inFlight.join();
        sagaThread.join();
        try {
            session.runAs("researcher-1", () -> tools.search("again"));
            System.out.println("NEXT-CALL ran");
        } catch (AgentKilledError e) {
            System.out.println("NEXT-CALL AgentKilledError: " + e.getMessage());
        }
        System.out.println("OTHER " + session.runAs("analyst-2", () -> tools.search("others go on")));
        while (!Files.exists(revived)) {
            Thread.sleep(20);
        }
        System.out.println("AFTER-REVIVE " + session.runAs("researcher-1", () -> tools.search("back")));
    }

    private static Object resultOrNull(Saga saga) {
        try {
            return saga.result("flight");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
