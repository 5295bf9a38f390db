package dev.agentmesh.it.apps;

import dev.agentmesh.api.*;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sessions through the real agent. {@code quickstart} is the README's quick start, verbatim; {@code lifecycle}
 * walks a session through its states and limits; {@code noagent} runs without the agent. Each step prints one
 * line for the test to check.
 */
public final class SessionApp {

    private SessionApp() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "quickstart" -> quickStart();
            case "lifecycle" -> lifecycle();
            case "noagent" -> noAgent();
            case "state" -> state();
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void quickStart() {
        // The README's quick start, exactly as written there.
        Hypervisor hv = Hypervisor.get();                       // provided by the attached javaagent
        Session session = hv.createSession(
                SessionConfig.builder().consistencyMode(ConsistencyMode.EVENTUAL).build());
        String result = session.execute("researcher-1", "tool_call", "web_search", 2,
                () -> webSearch("agent governance"));           // ring 2 = the ring this action requires

        System.out.println("RESULT " + result);
        System.out.println("SESSION " + session.id() + " " + session.lifecycle() + " " + session.participants());
        System.out.println("HEAD " + session.terminate() + " " + session.lifecycle());
    }

    private static String webSearch(String query) {
        return "results for " + query;
    }

    private static void lifecycle() throws Exception {
        Hypervisor hv = Hypervisor.get();
        Tools tools = new Tools();
        Session s = hv.createSession(SessionConfig.builder().consistencyMode(ConsistencyMode.STRICT)
                .maxParticipants(2).build());
        line("ID " + s.id());
        line("STATE " + s.lifecycle());
        line("LOOKUP " + (hv.session(s.id()) == s) + " " + hv.sessions().contains(s));

        s.join("intern");
        line("STATE " + s.lifecycle() + " " + new TreeSet<>(s.participants()));
        attempt("intern-ring2-action", () -> s.execute("intern", "tool_call", "delete_records", 2, () -> "ran"));
        attempt("researcher-checked", () -> s.execute("researcher-1", "tool_call", "read_file", 3, () -> {
            throw new IOException("disk on fire");
        }));
        line("PARTICIPANTS " + new TreeSet<>(s.participants()));
        attempt("full", () -> {
            s.join("ops");
            return "joined";
        });
        attempt("runas-ring2", () -> s.runAs("researcher-1", () -> tools.ring2()));
        attempt("runas-ring1", () -> s.runAs("researcher-1", () -> tools.ring1()));
        attempt("current-session", () -> s.runAs("researcher-1",
                () -> AgentContext.currentSession().map(Session::id).orElse("none")));
        line("OUTSIDE " + AgentContext.currentSession().map(Session::id).orElse("none"));
        Thread caller = Thread.currentThread();
        CompletableFuture<String> async = s.executeAsync("researcher-1", "tool_call", "summarise", 2,
                () -> Thread.currentThread() != caller ? "async-ran" : "ran-on-the-caller");
        line("ASYNC " + async.join());
        try {
            s.executeAsync("intern", "tool_call", "wire_money", 0, () -> "ran").join();
        } catch (CompletionException e) {
            line("ASYNC-DENY " + e.getCause().getClass().getSimpleName());
        }
        s.leave("intern");
        line("LEFT " + new TreeSet<>(s.participants()));
        attempt("bad-agent", () -> s.execute("bad agent", "tool_call", "x", 2, () -> "ran"));
        attempt("bad-ring", () -> s.execute("researcher-1", "tool_call", "x", 4, () -> "ran"));
        attempt("null-action", () -> s.execute("researcher-1", "tool_call", "x", 2, null));
        attempt("unknown-session", () -> hv.session("s-0000"));
        attempt("foreign-session", () -> new ForeignSession().runAs("researcher-1", () -> tools.ring3()));

        String head = s.terminate();
        line("HEAD " + head + " " + s.lifecycle() + " again " + s.terminate().equals(head));
        attempt("after-terminate", () -> s.execute("researcher-1", "tool_call", "web_search", 2, () -> "ran"));
        attempt("lookup-archived", () -> hv.session(s.id()));

        Session brief = hv.createSession(SessionConfig.builder().maxDuration(Duration.ofMillis(200)).build());
        line("BRIEF " + brief.id());
        attempt("brief-before", () -> brief.execute("researcher-1", "tool_call", "web_search", 2, () -> "ran"));
        Thread.sleep(400);
        attempt("brief-after", () -> brief.execute("researcher-1", "tool_call", "web_search", 2, () -> "ran"));
        attempt("brief-runas", () -> brief.runAs("researcher-1", () -> tools.ring3()));
        line("DONE");
    }

    private static void state() throws Exception {
        Hypervisor hv = Hypervisor.get();
        Session strict = hv.createSession(SessionConfig.builder().consistencyMode(ConsistencyMode.STRICT).build());
        strict.state().put("researcher-1", "plan", "search first");
        line("STRICT " + strict.state().get("intern", "plan").orElse("absent") + " " + strict.participants().size());

        Session other = hv.createSession(SessionConfig.builder().consistencyMode(ConsistencyMode.STRICT).build());
        line("ISOLATED " + other.state().get("researcher-1", "plan").orElse("absent"));

        Session causal = hv.createSession(SessionConfig.builder().consistencyMode(ConsistencyMode.CAUSAL).build());
        causal.state().put("researcher-1", "draft", "v1-by-researcher");
        causal.state().put("intern", "draft", "v1-by-intern");
        line("SIBLINGS " + causal.state().read("ops", "draft"));
        attempt("conflict", () -> causal.state().get("ops", "draft"));
        causal.state().put("ops", "draft", "v2-merged-by-ops");
        line("RESOLVED " + causal.state().read("researcher-1", "draft"));
        causal.state().onConflict("tags", (a, b) -> a + "+" + b);
        causal.state().put("researcher-1", "tags", "red");
        causal.state().put("intern", "tags", "blue");
        line("MERGED " + causal.state().get("ops", "tags").orElse("absent") + " "
                + causal.state().read("researcher-1", "tags"));

        Session eventual = hv.createSession(SessionConfig.builder().consistencyMode(ConsistencyMode.EVENTUAL)
                .convergenceBound(Duration.ofMillis(50)).build());
        eventual.state().read("intern", "status");
        eventual.state().put("researcher-1", "status", "done");
        Thread.sleep(50);
        line("CONVERGED " + eventual.state().get("intern", "status").orElse("absent"));
        SessionCheckpoint cp = strict.checkpoint("before-review");
        strict.state().put("researcher-1", "plan", "rewritten");
        Session fork = hv.fork(strict, cp);
        fork.state().put("intern", "plan", "intern-idea");
        fork.state().put("intern", "review", "looks good");
        MergeResult merged = hv.merge(fork, strict, c -> c.ours().get(0) + " / " + c.theirs().get(0));
        line("MERGE taken=" + merged.taken() + " conflicts=" + merged.conflicts().size() + " "
                + strict.state().get("ops", "plan").orElse("absent") + " | "
                + strict.state().get("ops", "review").orElse("absent"));
        strict.restore(cp);
        line("RESTORED " + strict.state().get("ops", "plan").orElse("absent") + " | "
                + strict.state().get("ops", "review").orElse("absent"));
        attempt("bad-key", () -> {
            strict.state().put("researcher-1", "a key", "x");
            return "written";
        });
        strict.terminate();
        attempt("closed-state", () -> strict.state().get("researcher-1", "plan"));
        line("IDS " + strict.id() + " " + other.id() + " " + causal.id() + " " + eventual.id());
        line("DONE");
    }

    private static void noAgent() {
        try {
            Hypervisor.get();
            line("NOAGENT got a hypervisor");
        } catch (IllegalStateException e) {
            line("NOAGENT " + e.getMessage());
        }
    }

    private static void attempt(String step, GovernedAction<?> action) {
        String outcome;
        try {
            outcome = "OK " + action.run();
        } catch (Exception e) {
            outcome = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        line(step + " -> " + outcome);
    }

    private static void line(String text) {
        System.out.println(text);
    }

    /** A Session the hypervisor did not make: its runAs binds it, and the governor must refuse calls in it. */
    private static final class ForeignSession extends Session {
        @Override
        public String id() {
            return "s-forged";
        }

        @Override
        public SessionConfig config() {
            return SessionConfig.defaults();
        }

        @Override
        public SessionState lifecycle() {
            return SessionState.ACTIVE;
        }

        @Override
        public Set<String> participants() {
            return Set.of();
        }

        @Override
        public Saga saga(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SharedState state() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void join(String agentId) {
        }

        @Override
        public void leave(String agentId) {
        }

        @Override
        public <T> T execute(String agentId, String actionType, String actionName, int requiredRing,
                GovernedAction<T> action) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> CompletableFuture<T> executeAsync(String agentId, String actionType, String actionName,
                int requiredRing, GovernedAction<T> action) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SessionCheckpoint checkpoint(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void restore(SessionCheckpoint checkpoint) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String terminate() {
            return "";
        }

        @Override
        protected void admit(String agentId) {
        }
    }
}
