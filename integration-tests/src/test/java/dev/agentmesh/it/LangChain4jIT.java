package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.langchain4j.Lc4jApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LangChain4j 1.19 governed with no source change, in forked JVMs under the real agent jar with a scripted offline
 * model: the policy rings tools by their LangChain4j names, the acting agent is the AI service's {@code @MemoryId}
 * (the apps never touch {@code AgentContext}), a denied tool never runs and reaches the model as an error, a killed
 * agent's AI-service call aborts, and every record names the framework, the tool and LangChain4j's invocation id.
 */
class LangChain4jIT {

    private static final String POLICY = String.join("\n", "version: 1",
            "defaults: {ring: 3, toolRing: 0}",
            "agents:", "  admin: {ring: 0}", "  trusted-bot: {ring: 1}", "  analyst: {ring: 2}", "  reviewer: {ring: 2}",
            "  reporter: {ring: 2}", "  tinkerer: {ring: 2}", "  planner: {ring: 2}", "  traveller: {ring: 2}",
            "  runaway: {ring: 2}", "  researcher: {ring: 2}", "  editor: {ring: 0}", "  writer: {ring: 3}",
            "tools:",
            "  web_search: {ring: 3}", "  delete_records: {ring: 0}", "  rotate_keys: {ring: 3}",
            "  export_report: {ring: 2}", "  flaky: {ring: 2}", "  book_flight: {ring: 2}", "");
    private static final Predicate<Map<String, String>> DECISION =
            r -> "ALLOW".equals(r.get("type")) || "DENY".equals(r.get("type"));

    @TempDir
    static Path shared;
    private static Path audit;
    private static ForkedJvm.Result run;
    private static List<Map<String, String>> records;

    @TempDir
    Path tmp;

    /** One JVM runs every scenario, each as agents of its own; the kill comes last. */
    @BeforeAll
    static void runScenarios() throws Exception {
        audit = shared.resolve("audit");
        run = ForkedJvm.main(Lc4jApp.class).libraries(ForkedJvm.LANGCHAIN4J_EXAMPLE.resolve("lib"))
                .withAgent("policy=" + Trails.policy(shared, POLICY) + ",audit.dir=" + audit)
                .args("basic", "woven", "nested", "throws", "compensate", "saga", "agentic", "kill").run();
        records = Trails.export(audit);
    }

    @Test
    void theExampleIsGovernedByItsPolicyAlone() throws Exception {
        List<Map<String, String>> decisions = SupportDeskExample.runGoverned("langchain4j", "langchain4j", "",
                tmp.resolve("audit"));
        assertThat(decisions).allSatisfy(r -> {
            // LangChain4j's invocation id, then the model's id for the tool call
            assertThat(r.get("invocationId")).matches("[0-9a-f-]{36}#call_[1-3]");
            assertThat(r.get("class")).isEqualTo("dev.agentmesh.examples.langchain4j.CrmTools");
        });
        assertThat(decisions).filteredOn(r -> "delete_records".equals(r.get("tool")))
                .extracting(r -> r.get("method")).containsOnly("deleteRecords"); // by the class#method pattern
    }

    @Test
    void theMemoryIdIsTheAgentAndADeniedToolNeverRuns() {
        assertThat(run.lines()).as(run.toString()).contains(
                "analyst -> web_search=ok:results for rings | delete_records=error:agent 'analyst' (ring 2) may not"
                        + " call langchain4j tool delete_records (dev.agentmesh.it.apps.langchain4j.Lc4jTools"
                        + "#deleteRecords), which requires ring 0",
                "admin -> delete_records=ok:deleted users",
                "RAN basic [web_search, delete_records]");
        assertThat(decisionsOf("analyst", "admin"))
                .extracting(r -> r.get("agentId") + " " + r.get("agentRing") + " " + r.get("tool") + " "
                        + r.get("requiredRing") + " " + r.get("type"))
                .containsExactly("analyst 2 web_search 3 ALLOW", "analyst 2 delete_records 0 DENY",
                        "admin 0 delete_records 0 ALLOW");
        assertThat(outcomesOf("analyst", "admin")).extracting(r -> r.get("outcome"))
                .containsExactly("RETURNED", "RETURNED");
    }

    @Test
    void aToolsOwnRingWinsAndItIsRecordedOnceThoughItsMethodIsWovenToo() {
        assertThat(run.lines()).as(run.toString()).contains(
                "reviewer -> rotate_keys=error:agent 'reviewer' (ring 2) may not call langchain4j tool rotate_keys"
                        + " (dev.agentmesh.it.apps.langchain4j.Lc4jTools#rotateKeys), which requires ring 1",
                "trusted-bot -> rotate_keys=ok:rotated", "RAN woven [rotate_keys]");
        assertThat(decisionsOf("reviewer", "trusted-bot"))
                .extracting(r -> r.get("agentId") + " " + r.get("tool") + " " + r.get("requiredRing") + " "
                        + r.get("type"))
                .containsExactly("reviewer rotate_keys 1 DENY", "trusted-bot rotate_keys 1 ALLOW");
        assertThat(outcomesOf("reviewer", "trusted-bot")).hasSize(1);
    }

    @Test
    void whatAToolCallsIsGovernedAsTheFrameworksAgent() {
        assertThat(run.lines()).as(run.toString()).anySatisfy(line -> assertThat(line)
                .startsWith("reporter -> export_report=error:agent 'reporter' (ring 2) may not call "));
        assertThat(run.lines()).contains("RAN nested [export_report]");
        assertThat(decisionsOf("reporter"))
                .extracting(r -> r.get("agentId") + " " + r.get("method") + " " + r.get("framework") + " "
                        + r.get("type"))
                .containsExactly("reporter exportReport langchain4j ALLOW", "reporter open  DENY");
        assertThat(outcomesOf("reporter")).extracting(r -> r.get("outcome") + " " + r.get("exception"))
                .containsExactly("THREW dev.agentmesh.api.RingViolationException");
    }

    @Test
    void aToolThatThrowsIsRecordedAsThrowingWhatItThrew() {
        assertThat(run.lines()).as(run.toString()).contains("tinkerer -> flaky=error:backend down");
        assertThat(outcomesOf("tinkerer")).extracting(r -> r.get("outcome") + " " + r.get("exception"))
                .containsExactly("THREW java.lang.IllegalStateException");
    }

    @Test
    void aCompensationRunsOnceAndIsRecordedAsWhatRan() {
        assertThat(run.lines()).as(run.toString()).contains("RAN compensate [book_flight, cancel_flight]");
        assertThat(decisionsOf("planner"))
                .extracting(r -> r.get("tool") + " " + r.get("method") + " " + r.get("type"))
                .containsExactly("book_flight bookFlight ALLOW", "delete_records deleteRecords DENY",
                        "book_flight cancelFlight ALLOW");
    }

    @Test
    void aStepLangChain4jCompensatedIsNotCompensatedAgainByItsSaga() {
        // Once by LangChain4j in the first saga, once by the saga itself in the second: never twice for one flight.
        assertThat(run.lines()).as(run.toString()).containsSubsequence("SAGA FAILED trip abandoned",
                "SAGA FAILED trip abandoned", "RAN saga [book_flight, cancel_flight, book_flight, cancel_flight]");
        List<Map<String, String>> saga = records.stream().filter(r -> r.containsKey("sagaId")).toList();
        assertThat(saga).extracting(r -> r.get("event") + (r.containsKey("step") ? " " + r.get("step") : ""))
                .containsExactly("SAGA_STARTED", "STEP_STARTED bookFlight", "STEP_COMPLETED bookFlight",
                        "COMPENSATION_STARTED bookFlight", "COMPENSATION_COMPLETED bookFlight", "SAGA_COMPENSATING",
                        "SAGA_COMPENSATED",
                        "SAGA_STARTED", "STEP_STARTED bookFlight", "STEP_COMPLETED bookFlight", "SAGA_COMPENSATING",
                        "COMPENSATION_STARTED bookFlight", "COMPENSATION_COMPLETED bookFlight", "SAGA_COMPENSATED");
        assertThat(saga).filteredOn(r -> "COMPENSATION_STARTED".equals(r.get("event")))
                .extracting(r -> r.get("detail")).first().asString()
                .startsWith("by langchain4j: dev.agentmesh.it.apps.langchain4j.Lc4jTools#cancelFlight");
    }

    @Test
    void anAgenticAgentsToolCallsAreMadeAsThatAgentByTheNameItRunsUnder() {
        assertThat(run.lines()).as(run.toString()).contains("RAN agentic [web_search, delete_records]");
        // "editor" is the builder's name for the agent whose annotation says "writer": the running name counts.
        assertThat(decisionsOf("researcher", "editor", "writer", "anonymous"))
                .extracting(r -> r.get("agentId") + " " + r.get("tool") + " " + r.get("type"))
                .containsExactly("researcher web_search ALLOW", "researcher delete_records DENY",
                        "editor delete_records ALLOW");
    }

    @Test
    void aKilledAgentsCallAbortsTheWholeAiServiceCall() {
        assertThat(run.lines()).as(run.toString()).containsSubsequence(
                "runaway -> web_search=ok:results for before", "runaway ABORTED AgentKilledError",
                "bystander -> web_search=ok:results for unaffected", "RAN kill [web_search, web_search]");
        assertThat(decisionsOf("runaway", "bystander"))
                .extracting(r -> r.get("agentId") + " " + r.get("tool") + " " + r.get("type"))
                .containsExactly("runaway web_search ALLOW", "runaway web_search DENY", "bystander web_search ALLOW");
    }

    @Test
    void theScenariosTrailVerifies() throws Exception {
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Trails.verifiedCount(audit)).isEqualTo(records.size());
    }

    /** Decision records of tool calls (not the operator's own API calls) by these agents, in trail order. */
    private static List<Map<String, String>> decisionsOf(String... agents) {
        List<String> ids = List.of(agents);
        return records.stream().filter(DECISION).filter(r -> ids.contains(r.get("agentId")))
                .filter(r -> !"dev.agentmesh.api.Hypervisor".equals(r.get("class"))).toList();
    }

    /** Outcome records of those agents' calls. */
    private static List<Map<String, String>> outcomesOf(String... agents) {
        List<String> allowed = decisionsOf(agents).stream().filter(r -> "ALLOW".equals(r.get("type")))
                .map(r -> r.get("seq")).toList();
        return records.stream().filter(r -> r.containsKey("outcome") && allowed.contains(r.get("callSeq"))).toList();
    }
}
