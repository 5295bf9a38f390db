package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.langchain4j.Lc4jApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
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
            "agents:", "  admin: {ring: 0}", "  trusted-bot: {ring: 1}", "  analyst: {ring: 2}",
            "tools:",
            "  web_search: {ring: 3}", "  delete_records: {ring: 0}", "  rotate_keys: {ring: 3}",
            "  export_report: {ring: 2}", "  flaky: {ring: 2}", "  book_flight: {ring: 2}", "");
    private static final Predicate<Map<String, String>> DECISION =
            r -> "ALLOW".equals(r.get("type")) || "DENY".equals(r.get("type"));

    @TempDir
    Path tmp;

    @Test
    void theExampleIsGovernedByItsPolicyAlone() throws Exception {
        Path audit = tmp.resolve("audit");
        Path example = ForkedJvm.LANGCHAIN4J_EXAMPLE;
        ForkedJvm.Result run = ForkedJvm.jar(example.resolve("agentmesh-example-langchain4j.jar"))
                .withAgent("policy=" + example.resolve("../policy.yaml").normalize() + ",audit.dir=" + audit)
                .env("OPENAI_API_KEY", "").run();

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).as(run.toString())
                .contains("delete_records REFUSED: agent 'support-bot' (ring 2) may not call langchain4j tool "
                        + "delete_records")
                .contains("lookup_customer REFUSED: agent 'guest-7' (ring 3)")
                .contains("Tool bodies that ran: [web_search, lookup_customer, delete_records, web_search, "
                        + "lookup_customer, web_search]");
        List<Map<String, String>> decisions = Trails.export(audit).stream().filter(DECISION).toList();
        assertThat(decisions).extracting(r -> r.get("agentId") + " " + r.get("tool") + " " + r.get("type"))
                .containsExactly("ops-admin web_search ALLOW", "ops-admin lookup_customer ALLOW",
                        "ops-admin delete_records ALLOW", "support-bot web_search ALLOW",
                        "support-bot lookup_customer ALLOW", "support-bot delete_records DENY",
                        "guest-7 web_search ALLOW", "guest-7 lookup_customer DENY");
        assertThat(decisions).allSatisfy(r -> {
            assertThat(r.get("framework")).isEqualTo("langchain4j");
            // LangChain4j's invocation id, then the model's id for the tool call
            assertThat(r.get("invocationId")).matches("[0-9a-f-]{36}#call_[1-3]");
            assertThat(r.get("class")).isEqualTo("dev.agentmesh.examples.langchain4j.CrmTools");
        });
        assertThat(decisions).filteredOn(r -> "delete_records".equals(r.get("tool")))
                .extracting(r -> r.get("method") + " " + r.get("requiredRing"))
                .containsOnly("deleteRecords 0"); // the class#method pattern rule
        assertThat(Trails.verifiedCount(audit)).isPositive();
    }

    @Test
    void theMemoryIdIsTheAgentAndADeniedToolNeverRuns() throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = lc4j(audit, "basic");

        assertThat(run.lines()).as(run.toString()).contains(
                "analyst -> web_search=ok:results for rings | delete_records=error:agent 'analyst' (ring 2) may not"
                        + " call langchain4j tool delete_records (dev.agentmesh.it.apps.langchain4j.Lc4jTools"
                        + "#deleteRecords), which requires ring 0",
                "admin -> delete_records=ok:deleted users",
                "RAN [web_search, delete_records]");
        List<Map<String, String>> records = Trails.export(audit);
        assertThat(records).filteredOn(DECISION)
                .extracting(r -> r.get("agentId") + " " + r.get("agentRing") + " " + r.get("tool") + " "
                        + r.get("requiredRing") + " " + r.get("type"))
                .containsExactly("analyst 2 web_search 3 ALLOW", "analyst 2 delete_records 0 DENY",
                        "admin 0 delete_records 0 ALLOW");
        assertThat(records).filteredOn(r -> r.containsKey("outcome")).extracting(r -> r.get("outcome"))
                .containsExactly("RETURNED", "RETURNED");
        assertThat(Trails.verifiedCount(audit)).isPositive();
    }

    @Test
    void aToolsOwnRingWinsAndItIsRecordedOnceThoughItsMethodIsWovenToo() throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = lc4j(audit, "woven");

        assertThat(run.lines()).as(run.toString()).contains(
                "analyst -> rotate_keys=error:agent 'analyst' (ring 2) may not call langchain4j tool rotate_keys"
                        + " (dev.agentmesh.it.apps.langchain4j.Lc4jTools#rotateKeys), which requires ring 1",
                "trusted-bot -> rotate_keys=ok:rotated", "RAN [rotate_keys]");
        List<Map<String, String>> records = Trails.export(audit);
        assertThat(records).filteredOn(DECISION)
                .extracting(r -> r.get("agentId") + " " + r.get("tool") + " " + r.get("requiredRing") + " "
                        + r.get("type"))
                .containsExactly("analyst rotate_keys 1 DENY", "trusted-bot rotate_keys 1 ALLOW");
        assertThat(records).filteredOn(r -> r.containsKey("outcome")).hasSize(1);
    }

    @Test
    void whatAToolCallsIsGovernedAsTheFrameworksAgent() throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = lc4j(audit, "nested");

        assertThat(run.lines()).as(run.toString()).anySatisfy(line -> assertThat(line)
                .startsWith("analyst -> export_report=error:agent 'analyst' (ring 2) may not call "));
        assertThat(run.lines()).contains("RAN [export_report]");
        List<Map<String, String>> records = Trails.export(audit);
        assertThat(records).filteredOn(DECISION)
                .extracting(r -> r.get("agentId") + " " + r.get("method") + " " + r.get("framework") + " "
                        + r.get("type"))
                .containsExactly("analyst exportReport langchain4j ALLOW", "analyst open  DENY");
        assertThat(records).filteredOn(r -> "THREW".equals(r.get("outcome")))
                .extracting(r -> r.get("exception"))
                .containsExactly("dev.agentmesh.api.RingViolationException");
    }

    @Test
    void aToolThatThrowsIsRecordedAsThrowingWhatItThrew() throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = lc4j(audit, "throws");

        assertThat(run.lines()).as(run.toString()).contains("analyst -> flaky=error:backend down");
        assertThat(Trails.export(audit)).filteredOn(r -> r.containsKey("outcome"))
                .extracting(r -> r.get("outcome") + " " + r.get("exception"))
                .containsExactly("THREW java.lang.IllegalStateException");
    }

    @Test
    void aCompensationRunsOnceAndIsRecordedAsWhatRan() throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = lc4j(audit, "compensate");

        assertThat(run.lines()).as(run.toString()).contains("RAN [book_flight, cancel_flight]");
        assertThat(Trails.export(audit)).filteredOn(DECISION)
                .extracting(r -> r.get("tool") + " " + r.get("method") + " " + r.get("type"))
                .containsExactly("book_flight bookFlight ALLOW", "delete_records deleteRecords DENY",
                        "book_flight cancelFlight ALLOW");
    }

    @Test
    void aStepLangChain4jCompensatedIsNotCompensatedAgainByItsSaga() throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = lc4j(audit, "saga");

        // Once by LangChain4j in the first saga, once by the saga itself in the second: never twice for one flight.
        assertThat(run.lines()).as(run.toString()).containsSubsequence("SAGA FAILED trip abandoned",
                "SAGA FAILED trip abandoned", "RAN [book_flight, cancel_flight, book_flight, cancel_flight]");
        List<Map<String, String>> saga = Trails.export(audit).stream().filter(r -> r.containsKey("sagaId"))
                .toList();
        assertThat(saga).extracting(r -> r.get("event") + (r.containsKey("step") ? " " + r.get("step") : ""))
                .containsExactly("SAGA_STARTED", "STEP_STARTED bookFlight", "STEP_COMPLETED bookFlight",
                        "COMPENSATION_STARTED bookFlight", "COMPENSATION_COMPLETED bookFlight", "SAGA_COMPENSATING",
                        "SAGA_COMPENSATED",
                        "SAGA_STARTED", "STEP_STARTED bookFlight", "STEP_COMPLETED bookFlight", "SAGA_COMPENSATING",
                        "COMPENSATION_STARTED bookFlight", "COMPENSATION_COMPLETED bookFlight", "SAGA_COMPENSATED");
        assertThat(saga).filteredOn(r -> "COMPENSATION_STARTED".equals(r.get("event")))
                .extracting(r -> r.get("detail")).first().asString()
                .startsWith("by langchain4j: dev.agentmesh.it.apps.langchain4j.Lc4jTools#cancelFlight");
        assertThat(Trails.verifiedCount(audit)).isPositive();
    }

    @Test
    void aKilledAgentsCallAbortsTheWholeAiServiceCall() throws Exception {
        Path audit = tmp.resolve("audit");
        ForkedJvm.Result run = lc4j(audit, "kill");

        assertThat(run.lines()).as(run.toString()).containsSubsequence(
                "analyst -> web_search=ok:results for before", "analyst ABORTED AgentKilledError",
                "other -> web_search=ok:results for unaffected", "RAN [web_search, web_search]");
        assertThat(Trails.export(audit)).filteredOn(DECISION)
                .extracting(r -> r.get("agentId") + " " + r.get("tool") + " " + r.get("type"))
                .contains("analyst web_search DENY");
        assertThat(Trails.verifiedCount(audit)).isPositive();
    }

    private ForkedJvm.Result lc4j(Path audit, String scenario) throws Exception {
        ForkedJvm.Result run = ForkedJvm.main(Lc4jApp.class).libraries(ForkedJvm.LANGCHAIN4J_EXAMPLE.resolve("lib"))
                .withAgent("policy=" + Trails.policy(tmp, POLICY) + ",audit.dir=" + audit).args(scenario).run();
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run;
    }
}
