package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.springai.SpringAiApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spring AI 2.0 governed with no source change, in forked JVMs under the real agent jar with scripted offline
 * models: the policy rings tools by their Spring AI names, the acting agent is the one each {@code ChatClient} call's
 * tool context names (the apps never touch {@code AgentContext} but to kill), a denied tool never runs and reaches
 * the model as the tool's result, a killed agent's chat call aborts, and every record names the framework, the tool
 * and the model's id for the tool call. The test app's scenarios share one JVM and one trail, each as its own agent.
 */
class SpringAiIT {

    private static final String POLICY = String.join("\n", "version: 1",
            "defaults: {ring: 3, toolRing: 0, agent: walk-in}",
            "agents:", "  admin: {ring: 0}", "  trusted-bot: {ring: 1}", "  analyst: {ring: 2}",
            "  support-chat: {ring: 2}", "  thrower: {ring: 2}", "  fn-analyst: {ring: 2}",
            "tools:",
            "  web_search: {ring: 3}", "  delete_records: {ring: 0}", "  rotate_keys: {ring: 3}",
            "  flaky: {ring: 2}", "  currency_rates: {ring: 2}", "");
    private static final Predicate<Map<String, String>> DECISION =
            r -> "ALLOW".equals(r.get("type")) || "DENY".equals(r.get("type"));
    /** The operator's kill, itself a governed call the app makes as admin. */
    private static final Predicate<Map<String, String>> KILL =
            r -> "dev.agentmesh.api.Hypervisor".equals(r.get("class")) && "kill".equals(r.get("method"));

    @TempDir
    static Path shared;
    /** The test app's one run, and its trail. */
    private static ForkedJvm.Result app;
    private static List<Map<String, String>> records;

    @BeforeAll
    static void runTheApp() throws Exception {
        Path audit = shared.resolve("audit");
        app = ForkedJvm.main(SpringAiApp.class).libraries(ForkedJvm.SPRING_AI_EXAMPLE.resolve("lib"))
                .withAgent("policy=" + Trails.policy(shared, POLICY) + ",audit.dir=" + audit).run();
        assertThat(app.exitCode()).as(app.toString()).isZero();
        records = Trails.export(audit);
        assertThat(Trails.verifiedCount(audit)).isEqualTo(records.size());
    }

    @Test
    void theExampleIsGovernedByItsPolicyAlone(@TempDir Path tmp) throws Exception {
        List<Map<String, String>> decisions = SupportDeskExample.runGoverned("spring-ai", "spring-ai", "",
                tmp.resolve("audit"));
        // the agent is the tool context's agentmesh.agentId; the invocation id is the model's id for the tool call
        assertThat(decisions).extracting(r -> r.get("invocationId"))
                .containsExactly("call_1", "call_2", "call_3", "call_1", "call_2", "call_3", "call_1", "call_2");
        assertThat(decisions).extracting(r -> r.get("class")).containsOnly("dev.agentmesh.examples.springai.CrmTools");
        assertThat(decisions).filteredOn(r -> "delete_records".equals(r.get("tool")))
                .extracting(r -> r.get("method")).containsOnly("deleteRecords"); // by the class#method pattern
    }

    @Test
    void theAgentIsTheToolContextsAgentIdElseItsConversationIdElseThePolicysDefault() {
        assertThat(decisions("analyst", "admin", "support-chat", "trusted-bot", "walk-in"))
                .filteredOn(r -> List.of("web_search", "delete_records").contains(r.get("tool")))
                .extracting(r -> r.get("agentId") + " " + r.get("agentRing") + " " + r.get("tool") + " "
                        + r.get("type"))
                .containsExactly("analyst 2 web_search ALLOW", "analyst 2 delete_records DENY",
                        "admin 0 delete_records ALLOW",
                        "support-chat 2 web_search ALLOW", "support-chat 2 delete_records DENY",
                        "trusted-bot 1 web_search ALLOW", // agentmesh.agentId wins over the conversation id
                        "walk-in 3 web_search ALLOW");
        assertThat(app.lines()).as(app.toString()).contains("both -> web_search=\"results for both\"",
                "neither -> web_search=\"results for anyone\"");
    }

    @Test
    void aDeniedToolNeverRunsIsAuditedAsDeniedAndTheModelSeesTheRefusal() {
        assertThat(app.lines()).as(app.toString()).contains(
                "analyst -> web_search=\"results for rings\" | delete_records=agent 'analyst' (ring 2) may not call"
                        + " spring-ai tool delete_records (dev.agentmesh.it.apps.springai.SaiTools#deleteRecords),"
                        + " which requires ring 0",
                "admin -> delete_records=\"deleted users\"");
        assertThat(app.lines()).anySatisfy(line -> assertThat(line).startsWith(
                "conversation -> web_search=\"results for memory\" | delete_records=agent 'support-chat' (ring 2)"));
        // of the three delete_records calls, only the admin's ran
        assertThat(ran()).filteredOn("delete_records"::equals).hasSize(1);
        List<Map<String, String>> deletes = records.stream().filter(DECISION)
                .filter(r -> "delete_records".equals(r.get("tool"))).toList();
        assertThat(deletes).extracting(r -> r.get("agentId") + " " + r.get("type"))
                .containsExactly("analyst DENY", "admin ALLOW", "support-chat DENY");
        assertThat(deletes).extracting(SpringAiIT::outcomeOf).containsExactly(null, "RETURNED null", null);
    }

    @Test
    void everyDecisionNamesSpringAiItsToolAndTheModelsIdForTheCall() {
        assertThat(records).filteredOn(KILL).extracting(r -> r.get("agentId") + " " + r.get("type"))
                .containsExactly("admin ALLOW");
        List<Map<String, String>> decisions = records.stream().filter(DECISION.and(KILL.negate())).toList();
        assertThat(decisions).isNotEmpty().allSatisfy(r -> {
            assertThat(r.get("framework")).isEqualTo("spring-ai");
            assertThat(r.get("invocationId")).matches("tc-\\d+");
        });
        // the script model numbers its tool calls across the run: one decision per call, in order
        assertThat(decisions).extracting(r -> r.get("invocationId"))
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, decisions.size())
                        .mapToObj(i -> "tc-" + i).toList());
    }

    @Test
    void aToolThatThrowsIsRecordedAsThrowingWhatItThrew() {
        assertThat(app.lines()).as(app.toString()).contains("thrower -> flaky=backend down");
        assertThat(decisions("thrower")).extracting(SpringAiIT::outcomeOf)
                .containsExactly("THREW java.lang.IllegalStateException");
    }

    @Test
    void aFunctionToolIsGovernedByThePolicysRuleForItsName() {
        assertThat(app.lines()).as(app.toString()).contains(
                "fn-analyst -> currency_rates=1 EUR = 1.08 USD",
                "fn-guest -> currency_rates=agent 'fn-guest' (ring 3) may not call spring-ai tool currency_rates,"
                        + " which requires ring 2");
        assertThat(decisions("fn-analyst", "fn-guest"))
                .extracting(r -> r.get("agentId") + " " + r.get("tool") + " " + r.get("requiredRing") + " "
                        + r.get("type") + " " + outcomeOf(r))
                .containsExactly("fn-analyst currency_rates 2 ALLOW RETURNED null",
                        "fn-guest currency_rates 2 DENY null");
        assertThat(ran()).filteredOn("currency_rates"::equals).hasSize(1);
    }

    @Test
    void aToolsOwnRingWinsAndItIsRecordedOnceThoughItsMethodIsWovenToo() {
        assertThat(app.lines()).as(app.toString()).contains(
                "woven-analyst -> rotate_keys=agent 'analyst' (ring 2) may not call spring-ai tool rotate_keys"
                        + " (dev.agentmesh.it.apps.springai.SaiTools#rotateKeys), which requires ring 1",
                "woven-trusted -> rotate_keys=\"rotated\"");
        List<Map<String, String>> rotations = records.stream().filter(DECISION)
                .filter(r -> "rotateKeys".equals(r.get("method"))).toList();
        assertThat(rotations)
                .extracting(r -> r.get("agentId") + " " + r.get("tool") + " " + r.get("framework") + " "
                        + r.get("requiredRing") + " " + r.get("type") + " " + outcomeOf(r))
                .containsExactly("analyst rotate_keys spring-ai 1 DENY null",
                        "trusted-bot rotate_keys spring-ai 1 ALLOW RETURNED null");
        assertThat(records).filteredOn(r -> r.containsKey("outcome")).extracting(r -> r.get("callSeq"))
                .doesNotHaveDuplicates();
        assertThat(ran()).filteredOn("rotate_keys"::equals).hasSize(1);
    }

    @Test
    void aKilledAgentsChatCallAbortsAndOtherAgentsCarryOn() {
        assertThat(app.lines()).as(app.toString()).containsSubsequence(
                "runaway -> web_search=\"results for before\"", "runaway ABORTED AgentKilledError",
                "bystander -> web_search=\"results for unaffected\"");
        assertThat(decisions("runaway", "bystander")).extracting(r -> r.get("agentId") + " " + r.get("type"))
                .containsExactly("runaway ALLOW", "runaway DENY", "bystander ALLOW");
        assertThat(ran()).containsExactly("web_search", "delete_records", "web_search", "web_search", "web_search",
                "rotate_keys", "flaky", "currency_rates", "web_search", "web_search");
    }

    /** @return the decision records of these agents, in trail order */
    private static List<Map<String, String>> decisions(String... agents) {
        List<String> wanted = List.of(agents);
        return records.stream().filter(DECISION).filter(r -> wanted.contains(r.get("agentId"))).toList();
    }

    /** @return {@code "<outcome> <exception>"} of the call a decision admitted, or {@code null} if none */
    private static String outcomeOf(Map<String, String> decision) {
        return records.stream().filter(r -> decision.get("seq").equals(r.get("callSeq")))
                .map(r -> r.get("outcome") + " " + r.get("exception")).findFirst().orElse(null);
    }

    /** @return the tool bodies the app ran, in order */
    private static List<String> ran() {
        String line = app.lines().stream().filter(l -> l.startsWith("RAN [")).findFirst().orElseThrow();
        return List.of(line.substring("RAN [".length(), line.length() - 1).split(", "));
    }
}
