package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The framework examples (LangChain4j, Spring AI, MCP) each run the same support desk: three agents ask for the same
 * tools under the same rings. This runs one under the real agent with its own {@code policy.yaml} and checks what
 * every one of them must show; each test then checks what is its framework's own.
 */
final class SupportDeskExample {

    private SupportDeskExample() {
    }

    /**
     * @param name the example's name: its folder under {@code examples/}
     * @param framework the framework name its records carry
     * @param agentPrefix what the framework puts before the agents' names ({@code mcp-client:} for self-named MCP
     *     clients), or ""
     * @param audit where the trail goes
     * @return the run's decision records, in trail order
     */
    static List<Map<String, String>> runGoverned(String name, String framework, String agentPrefix, Path audit)
            throws Exception {
        Path target = ForkedJvm.EXAMPLES.resolve(name).resolve("target");
        ForkedJvm.Result run = ForkedJvm.jar(target.resolve("agentmesh-example-" + name + ".jar"))
                .withAgent("policy=" + target.resolve("../policy.yaml").normalize() + ",audit.dir=" + audit)
                .env("OPENAI_API_KEY", "").run();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).as(run.toString())
                .contains("delete_records REFUSED: agent '" + agentPrefix + "support-bot' (ring 2) may not call "
                        + framework + " tool delete_records")
                .contains("lookup_customer REFUSED: agent '" + agentPrefix + "guest-7' (ring 3) may not call "
                        + framework + " tool lookup_customer")
                // the refused bodies never ran
                .contains("Tool bodies that ran: [web_search, lookup_customer, delete_records, web_search, "
                        + "lookup_customer, web_search]");
        List<Map<String, String>> decisions = Trails.export(audit).stream()
                .filter(r -> "ALLOW".equals(r.get("type")) || "DENY".equals(r.get("type"))).toList();
        assertThat(decisions).extracting(r -> r.get("agentId").substring(agentPrefix.length()) + " " + r.get("tool") + " " + r.get("requiredRing")
                + " " + r.get("type")).containsExactly(
                        "ops-admin web_search 3 ALLOW", "ops-admin lookup_customer 2 ALLOW",
                        "ops-admin delete_records 0 ALLOW", "support-bot web_search 3 ALLOW",
                        "support-bot lookup_customer 2 ALLOW", "support-bot delete_records 0 DENY",
                        "guest-7 web_search 3 ALLOW", "guest-7 lookup_customer 2 DENY");
        assertThat(decisions).extracting(r -> r.get("framework")).containsOnly(framework);
        assertThat(decisions).extracting(r -> r.get("agentId")).allMatch(id -> id.startsWith(agentPrefix));
        assertThat(Trails.verifiedCount(audit)).isPositive();
        return decisions;
    }
}
