package dev.agentmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmesh.it.apps.mcp.McpApp;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MCP Java SDK 2.1.0 servers governed with no source change, in forked JVMs under the real agent jar: the policy
 * rings tools by their MCP names, the acting agent is the transport context's {@code agentmesh.agentId} or else the
 * client's name, a denied call never runs its handler and reaches the client as a JSON-RPC error, and every record
 * names the framework, the tool and the MCP session. {@link McpApp} runs every scenario in one JVM; each scenario's
 * records are told apart by their tools and agents.
 */
class McpIT {

    private static final String POLICY = String.join("\n", "version: 1",
            "defaults: {ring: 3, toolRing: 0, agent: anonymous}",
            "agents:", "  admin: {ring: 0}", "  \"mcp-client:night_shift_bot\": {ring: 1}", "  analyst: {ring: 2}",
            "tools:",
            "  by_builder: {ring: 1}", "  by_record: {ring: 1}",
            "  by_tool_call: {ring: 1}", "  by_add_tool: {ring: 1}",
            "  sl_builder: {ring: 1}", "  sl_record: {ring: 1}",
            "  sl_tool_call: {ring: 1}", "  sl_add_tool: {ring: 1}",
            "  whoami: {ring: 1}", "  as_builder: {ring: 1}", "  as_failing: {ring: 1}", "  web_search: {ring: 3}", "  flaky: {ring: 3}", "");
    private static final Predicate<Map<String, String>> DECISION =
            r -> "ALLOW".equals(r.get("type")) || "DENY".equals(r.get("type"));
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final Pattern SESSION = Pattern.compile("session (.+) (" + UUID + ")");

    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    /** The run of {@link McpApp}, its trail, and the MCP session id of each of its clients. */
    private static ForkedJvm.Result app;
    private static List<Map<String, String>> appRecords;
    private static final Map<String, String> SESSIONS = new HashMap<>();

    @BeforeAll
    static void runTheApp() throws Exception {
        Path audit = shared.resolve("audit");
        app = ForkedJvm.main(McpApp.class).libraries(ForkedJvm.MCP_EXAMPLE.resolve("lib"))
                .withAgent("policy=" + Trails.policy(shared, POLICY) + ",audit.dir=" + audit).run();
        assertThat(app.exitCode()).as(app.toString()).isZero();
        for (String line : app.lines()) {
            Matcher m = SESSION.matcher(line);
            if (m.matches()) {
                SESSIONS.put(m.group(1), m.group(2));
            }
        }
        appRecords = Trails.export(audit);
        assertThat(Trails.verifiedCount(audit)).isEqualTo(appRecords.size());
    }

    @Test
    void theExampleIsGovernedByItsPolicyAlone() throws Exception {
        // Self-named clients: their ids are namespaced, so the policy grants "mcp-client:support-bot" its ring.
        List<Map<String, String>> decisions = SupportDeskExample.runGoverned("mcp", "mcp", "mcp-client:",
                tmp.resolve("audit"));
        assertThat(decisions).allSatisfy(r -> {
            assertThat(r.get("framework")).isEqualTo("mcp");
            assertThat(r.get("class")).isEqualTo("mcp");
            assertThat(r.get("method")).isEqualTo(r.get("tool"));
            assertThat(r.get("invocationId")).matches(UUID); // the MCP session's id
        });
        // One session per client: all of a client's calls carry its session's id, and no other client's does.
        Map<String, List<String>> sessionsByAgent = decisions.stream().collect(Collectors.groupingBy(
                r -> r.get("agentId"), Collectors.mapping(r -> r.get("invocationId"), Collectors.toList())));
        assertThat(sessionsByAgent.values()).allSatisfy(ids -> assertThat(ids).containsOnly(ids.get(0)));
        assertThat(sessionsByAgent.values().stream().map(ids -> ids.get(0)).distinct()).hasSize(3);
    }

    @Test
    void theExampleIsAnMcpStdioServerThatWritesNothingButJsonRpcToStdout() throws Exception {
        Path audit = tmp.resolve("audit");
        Path example = ForkedJvm.MCP_EXAMPLE;
        List<String> command = List.of(ForkedJvm.JAVA, ForkedJvm.QUICK_START, "-javaagent:" + ForkedJvm.AGENT_JAR
                + "=policy=" + example.resolve("../policy.yaml").normalize() + ",audit.dir=" + audit,
                "-jar", example.resolve("agentmesh-example-mcp.jar").toString(), "--stdio");
        Path stderr = Files.createTempFile(tmp, "stdio", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("AGENTMESH_"));
        Process server = pb.start();
        List<String> replies = new ArrayList<>();
        String rest;
        try (OutputStream host = server.getOutputStream();
                BufferedReader out = new BufferedReader(
                        new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            // What an MCP host does: initialize, then call tools one by one, then close the server's input.
            send(host, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"Desk Host\",\"version\":\"1\"}}}");
            replies.add(readLine(out, server, stderr));
            send(host, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            send(host, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"web_search\","
                    + "\"arguments\":{\"query\":\"rings\"}}}");
            replies.add(readLine(out, server, stderr));
            send(host, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"lookup_customer\",\"arguments\":{\"customerId\":\"42\"}}}");
            replies.add(readLine(out, server, stderr));
            host.close();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the server exits when its input closes").isTrue();
            rest = out.lines().collect(Collectors.joining("\n"));
        } finally {
            server.destroyForcibly();
        }

        String log = Files.readString(stderr);
        assertThat(server.exitValue()).as(log).isZero();
        assertThat(rest).as("stdout after the last reply").isEmpty();
        List<JSONRPCResponse> responses = new ArrayList<>();
        for (String line : replies) {
            responses.add((JSONRPCResponse) McpSchema.deserializeJsonRpcMessage(McpJsonDefaults.getMapper(), line));
        }
        assertThat(responses).extracting(r -> r.id().toString()).containsExactly("1", "2", "3");
        assertThat(responses.get(1).error()).as(replies.get(1)).isNull();
        assertThat(responses.get(2).error()).isNotNull();
        assertThat(responses.get(2).error().code()).isEqualTo(-32603);
        assertThat(responses.get(2).error().message()).isEqualTo("agent 'mcp-client:Desk_Host' (ring 3) may not call"
                + " mcp tool"
                + " lookup_customer, which requires ring 2");
        assertThat(log).contains("Tool bodies that ran: [web_search]");
        assertThat(Trails.export(audit)).filteredOn(DECISION)
                .extracting(r -> r.get("agentId") + " " + r.get("tool") + " " + r.get("type"))
                .containsExactly("mcp-client:Desk_Host web_search ALLOW",
                        "mcp-client:Desk_Host lookup_customer DENY");
    }

    @Test
    void everyWayOfRegisteringASyncToolIsGovernedAndADeniedHandlerNeverRuns() {
        for (String tool : McpApp.FORMS) {
            assertThat(app.lines()).as(app.toString()).contains(
                    "analyst -> " + tool + "=error -32603 agent 'analyst' (ring 2) may not call mcp tool " + tool
                            + ", which requires ring 1",
                    "admin -> " + tool + "=ok:" + tool + " ran");
        }
        assertThat(app.lines()).contains("RAN [by_builder, by_record, by_tool_call, by_add_tool, sl_builder, sl_record,"
                + " sl_tool_call, sl_add_tool, whoami, flaky, flaky, web_search, web_search, web_search]");
        List<Map<String, String>> forms = appRecords.stream().filter(DECISION)
                .filter(r -> McpApp.FORMS.contains(r.get("tool"))).toList();
        assertThat(forms).extracting(r -> r.get("agentId") + " " + r.get("agentRing") + " " + r.get("tool") + " "
                + r.get("requiredRing") + " " + r.get("type")).containsExactly(
                        "analyst 2 by_builder 1 DENY", "admin 0 by_builder 1 ALLOW",
                        "analyst 2 by_record 1 DENY", "admin 0 by_record 1 ALLOW",
                        "analyst 2 by_tool_call 1 DENY", "admin 0 by_tool_call 1 ALLOW",
                        "analyst 2 by_add_tool 1 DENY", "admin 0 by_add_tool 1 ALLOW");
        assertThat(forms).allSatisfy(r -> {
            assertThat(r.get("framework")).isEqualTo("mcp");
            assertThat(r.get("method")).isEqualTo(r.get("tool"));
            assertThat(r.get("invocationId")).isEqualTo(SESSIONS.get(r.get("agentId")));
        });
    }

    @Test
    void anAsynchronousToolIsDecidedWhenCalledAndItsOutcomeRecordedWhenItsMonoEnds() {
        assertThat(app.lines()).as(app.toString()).contains(
                "async analyst -> as_builder=error -32603 agent 'analyst' (ring 2) may not call mcp tool as_builder,"
                        + " which requires ring 1",
                "async admin -> as_builder=ok:as_builder ran",
                "async admin -> as_failing=error -32603 async backend down",
                "ASYNC RAN [as_builder, as_failing]"); // the denied handler never ran
        List<Map<String, String>> decisions = appRecords.stream().filter(DECISION)
                .filter(r -> r.get("tool").startsWith("as_")).toList();
        assertThat(decisions).extracting(r -> r.get("agentId") + " " + r.get("tool") + " " + r.get("type"))
                .containsExactly("analyst as_builder DENY", "admin as_builder ALLOW", "admin as_failing ALLOW");
        List<String> allowed = decisions.stream().filter(r -> "ALLOW".equals(r.get("type"))).map(r -> r.get("seq"))
                .toList();
        assertThat(appRecords).filteredOn(r -> allowed.contains(r.get("callSeq")))
                .extracting(r -> r.get("outcome") + " " + r.getOrDefault("exception", ""))
                .containsExactly("RETURNED ", "THREW java.lang.IllegalStateException");
    }

    @Test
    void aStatelessServersAgentIsItsTransportContextsElseTheDefaultAgent() {
        for (String tool : McpApp.STATELESS_FORMS) {
            assertThat(app.lines()).contains(
                    "stateless analyst -> " + tool + "=error -32603 agent 'analyst' (ring 2) may not call mcp tool "
                            + tool + ", which requires ring 1",
                    "stateless admin -> " + tool + "=ok:" + tool + " ran");
        }
        assertThat(app.lines()).contains("stateless nobody -> sl_builder=error -32603 agent 'anonymous' (ring 3) may"
                + " not call mcp tool sl_builder, which requires ring 1");
        // No session: the invocation id is the progress token alone, or absent.
        assertThat(appRecords).filteredOn(DECISION).filteredOn(r -> r.get("tool").startsWith("sl_"))
                .extracting(r -> r.get("agentId") + " " + r.get("tool") + " " + r.get("type") + " "
                        + r.get("invocationId"))
                .containsExactly("analyst sl_builder DENY sl-analyst", "admin sl_builder ALLOW sl-admin",
                        "analyst sl_record DENY sl-analyst", "admin sl_record ALLOW sl-admin",
                        "analyst sl_tool_call DENY sl-analyst", "admin sl_tool_call ALLOW sl-admin",
                        "analyst sl_add_tool DENY sl-analyst", "admin sl_add_tool ALLOW sl-admin",
                        "anonymous sl_builder DENY ");
    }

    @Test
    void theTransportContextsAgentBeatsTheClientsNameAndANameBecomesAValidAgentId() {
        assertThat(app.lines()).contains(
                "admin-authenticated-as-analyst -> whoami=error -32603 agent 'analyst' (ring 2) may not call mcp tool"
                        + " whoami, which requires ring 1",
                "night shift bot -> whoami=ok:whoami ran");
        assertThat(appRecords).filteredOn(DECISION).filteredOn(r -> "whoami".equals(r.get("tool")))
                .extracting(r -> r.get("agentId") + " " + r.get("type") + " " + r.get("invocationId"))
                .containsExactly("analyst DENY " + SESSIONS.get("admin-authenticated-as-analyst"),
                        "mcp-client:night_shift_bot ALLOW " + SESSIONS.get("night shift bot"));
    }

    @Test
    void aHandlerThatThrowsIsRecordedAsThrowingWhatItThrew() {
        assertThat(app.lines()).contains("analyst -> flaky=error -32603 backend down",
                "analyst -> flaky=error -32001 quota exceeded");
        List<String> flakyCalls = appRecords.stream().filter(DECISION).filter(r -> "flaky".equals(r.get("tool")))
                .map(r -> r.get("seq")).toList();
        assertThat(flakyCalls).hasSize(2);
        assertThat(appRecords).filteredOn(r -> flakyCalls.contains(r.get("callSeq")))
                .extracting(r -> r.get("outcome") + " " + r.get("exception"))
                .containsExactly("THREW java.lang.IllegalStateException",
                        "THREW io.modelcontextprotocol.spec.McpError");
    }

    @Test
    void aProgressTokenFollowsTheSessionIdInTheInvocationId() {
        assertThat(appRecords).filteredOn(DECISION)
                .filteredOn(r -> "analyst".equals(r.get("agentId")) && "web_search".equals(r.get("tool")))
                .extracting(r -> r.get("invocationId"))
                .containsExactly(SESSIONS.get("analyst") + "#tok-42");
    }

    @Test
    void aKilledClientIsRefusedItsNextCallAndOtherClientsAreNot() {
        assertThat(app.lines()).containsSubsequence("runaway -> web_search=ok:web_search ran",
                "runaway -> web_search=error -32603 agent runaway is killed (agent:runaway by admin: runaway loop); it"
                        + " makes no more governed calls until an operator revives it",
                "bystander -> web_search=ok:web_search ran");
        assertThat(appRecords).filteredOn(DECISION)
                .filteredOn(r -> "runaway".equals(r.get("agentId")) || "bystander".equals(r.get("agentId")))
                .extracting(r -> r.get("agentId") + " " + r.get("type") + " " + r.get("invocationId"))
                .containsExactly("runaway ALLOW " + SESSIONS.get("runaway"),
                        "runaway DENY " + SESSIONS.get("runaway"),
                        "bystander ALLOW " + SESSIONS.get("bystander"));
    }

    private static void send(OutputStream host, String message) throws IOException {
        host.write((message + "\n").getBytes(StandardCharsets.UTF_8));
        host.flush();
    }

    private static String readLine(BufferedReader out, Process server, Path stderr) throws Exception {
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(60, TimeUnit.SECONDS);
        assertThat(line).as("a reply from the server (alive: %s)\n%s", server.isAlive(), Files.readString(stderr))
                .isNotNull();
        return line;
    }
}
