package dev.agentmesh.examples.researchdesk;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.ConsistencyMode;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.RingViolationException;
import dev.agentmesh.api.Session;
import dev.agentmesh.api.SessionConfig;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A small multi-agent "research desk". Run it under the agent with {@code research-desk-policy.yaml}:
 * <ul>
 *   <li>{@code researcher-1} (ring 2) searches the web, then tries to write the report (ring 1) and is denied;</li>
 *   <li>{@code ops-bot} (ring 1) writes the report;</li>
 *   <li>{@code intern-7}, whom the policy does not know, is sandboxed (ring 3): it may read the notice board
 *       but not search;</li>
 *   <li>then {@code researcher-1} and {@code ops-bot} share a session: a draft in its state, a search as a session
 *       action, and the write of the shared draft, every record carrying the session's id.</li>
 * </ul>
 */
public final class ResearchDesk {

    private ResearchDesk() {
    }

    /**
     * @param args optional work directory for the report (default {@code research-desk-out})
     * @throws Exception never in normal runs
     */
    public static void main(String[] args) throws Exception {
        Path out = Paths.get(args.length > 0 ? args[0] : "research-desk-out");
        DeskTools tools = new DeskTools(out);
        System.out.println("Research desk: three agents, one set of tools.");
        System.out.println();

        List<String> hits = attempt("researcher-1", "searches the web for \"agent governance\"",
                () -> tools.webSearch("agent governance"), r -> r.size() + " results, first: " + r.get(0));
        String report = "# Findings\n" + (hits == null ? "" : String.join("\n", hits)) + "\n";
        attempt("researcher-1", "writes report.md", () -> tools.writeFile("report.md", report),
                p -> "wrote " + p);
        attempt("ops-bot", "writes report.md", () -> tools.writeFile("report.md", report), p -> "wrote " + p);
        attempt("intern-7", "searches the web", () -> tools.webSearch("salaries"), r -> r.size() + " results");
        attempt("intern-7", "reads the notice board", tools::readNoticeBoard, s -> "\"" + s + "\"");

        sharedSession(tools, report);

        System.out.println();
        System.out.println("Every attempt above, allowed or denied, is on the audit trail.");
    }

    /** The researcher and ops-bot share a session: a draft in its state, a governed action, a governed write. */
    private static void sharedSession(DeskTools tools, String report) {
        System.out.println();
        Session session = Hypervisor.get().createSession(SessionConfig.builder()
                .consistencyMode(ConsistencyMode.STRICT).maxParticipants(2).build());
        System.out.println("Shared session " + session.id() + " (STRICT, at most 2 agents):");
        session.state().put("researcher-1", "draft", report);
        String found = session.execute("researcher-1", "tool_call", "web_search", 2,
                () -> tools.webSearch("audit trails").size() + " results");
        System.out.println("  ALLOWED  researcher-1  searches in the session: " + found);
        String written = session.runAs("ops-bot", () -> tools.writeFile("report.md",
                session.state().get("ops-bot", "draft").orElseThrow()).toString());
        System.out.println("  ALLOWED  ops-bot       writes the shared draft: wrote " + written);
        System.out.println("  session ended; its audit head is " + session.terminate());
    }

    /** Runs one tool call as an agent and says in words what happened. */
    private static <T> T attempt(String agent, String what, Callable<T> call, Describer<T> describe)
            throws Exception {
        String who = String.format("%-13s", agent);
        try {
            T result = AgentContext.runAs(agent, call);
            System.out.println("  ALLOWED  " + who + what + ": " + describe.describe(result));
            return result;
        } catch (RingViolationException denied) {
            System.out.println("  DENIED   " + who + what + ": holds ring " + denied.agentRing()
                    + ", the tool needs ring " + denied.requiredRing());
            return null;
        }
    }

    @FunctionalInterface
    private interface Describer<T> {
        String describe(T result);
    }
}
