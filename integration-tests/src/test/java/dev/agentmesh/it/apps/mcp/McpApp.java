package dev.agentmesh.it.apps.mcp;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.KillTarget;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Implementation;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;

/**
 * MCP servers under the agent, with no AgentMesh code in their tools: a stateful server whose tools are registered
 * every way the SDK offers, and a stateless one, both on in-process transports. Most clients are agents by the id
 * their transport context carries, as a server's authentication would put it there; a self-named client is
 * {@code mcp-client:<its name>}. Output: {@code session <client> <id>} per connection,
 * {@code <client> -> <tool>=ok:<text>} or {@code =error <code> <message>} per call, then {@code RAN [...]}, the
 * handlers that ran.
 */
public final class McpApp {

    /** The stateful server's tools registered each way, each ring 1 in the test policy. */
    public static final List<String> FORMS = List.of("by_builder", "by_record", "by_tool_call", "by_add_tool");
    /** The stateless server's. */
    public static final List<String> STATELESS_FORMS =
            List.of("sl_builder", "sl_record", "sl_tool_call", "sl_add_tool");

    private static final List<String> RAN = new CopyOnWriteArrayList<>();
    private static final List<McpSyncClient> CLIENTS = new ArrayList<>();

    private McpApp() {
    }

    public static void main(String[] args) {
        McpJsonMapper mapper = McpJsonDefaults.getMapper();
        InProcessServerTransport transport = new InProcessServerTransport(mapper);
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("agentmesh-it", "1")
                .capabilities(ServerCapabilities.builder().tools(true).build())
                .tools(List.of(SyncToolSpecification.builder().tool(tool("by_builder")).callHandler(McpApp::ran)
                        .build(), SyncToolSpecification.builder().tool(tool("web_search")).callHandler(McpApp::ran)
                        .build()))
                .tools(new SyncToolSpecification(tool("by_record"), McpApp::ran),
                        new SyncToolSpecification(tool("whoami"), McpApp::ran))
                .toolCall(tool("by_tool_call"), McpApp::ran)
                .toolCall(tool("flaky"), McpApp::flaky)
                .build();

        // A denied call never reaches its handler, however the tool was registered; one added at run time too.
        McpSyncClient analyst = connect(transport, "analyst", "analyst", authenticatedAs("analyst"));
        McpSyncClient admin = connect(transport, "admin", "admin", authenticatedAs("admin"));
        server.addTool(SyncToolSpecification.builder().tool(tool("by_add_tool")).callHandler(McpApp::ran).build());
        for (String tool : FORMS) {
            call("analyst", analyst, tool, Map.of(), null);
            call("admin", admin, tool, Map.of(), null);
        }

        stateless(mapper);

        // The transport context's agent beats the name the client gives itself; a name is made a valid agent id.
        call("admin-authenticated-as-analyst", connect(transport, "admin-authenticated-as-analyst", "admin",
                McpTransportContext.create(Map.of("agentmesh.agentId", "analyst"))), "whoami", Map.of(), null);
        call("night shift bot", connect(transport, "night shift bot", "night shift bot", McpTransportContext.EMPTY),
                "whoami", Map.of(), null);

        // A handler's own exception, and the SDK's own error type thrown by a handler.
        call("analyst", analyst, "flaky", Map.of("mode", "state"), null);
        call("analyst", analyst, "flaky", Map.of("mode", "mcp"), null);

        // The request's progress token joins the session id.
        call("analyst", analyst, "web_search", Map.of(), Map.of("progressToken", "tok-42"));

        McpSyncClient runaway = connect(transport, "runaway", "runaway", authenticatedAs("runaway"));
        McpSyncClient bystander = connect(transport, "bystander", "bystander", authenticatedAs("bystander"));
        call("runaway", runaway, "web_search", Map.of("query", "before"), null);
        try (AgentContext.Scope operator = AgentContext.enter("admin")) {
            Hypervisor.get().kill(KillTarget.agent("runaway"), "runaway loop", "admin");
        }
        call("runaway", runaway, "web_search", Map.of("query", "after"), null);
        call("bystander", bystander, "web_search", Map.of("query", "unaffected"), null);

        System.out.println("RAN " + RAN);
        asynchronous(mapper);
        CLIENTS.forEach(McpSyncClient::closeGracefully);
        server.closeGracefully();
    }

    /** An asynchronous server: handlers return a {@code Mono}; decided when called, recorded when it ends. */
    private static void asynchronous(McpJsonMapper mapper) {
        List<String> ran = new CopyOnWriteArrayList<>();
        InProcessServerTransport transport = new InProcessServerTransport(mapper);
        McpAsyncServer server = McpServer.async(transport)
                .serverInfo("agentmesh-it-async", "1")
                .capabilities(ServerCapabilities.builder().tools(true).build())
                .tools(McpServerFeatures.AsyncToolSpecification.builder().tool(tool("as_builder"))
                        .callHandler((exchange, request) -> Mono.fromCallable(() -> {
                            ran.add(request.name());
                            return CallToolResult.builder().addTextContent("as_builder ran").build();
                        })).build())
                .toolCall(tool("as_failing"), (exchange, request) -> Mono.defer(() -> {
                    ran.add(request.name());
                    return Mono.error(new IllegalStateException("async backend down"));
                }))
                .build();
        McpSyncClient analyst = connect(transport, "async analyst", "analyst", authenticatedAs("analyst"));
        McpSyncClient admin = connect(transport, "async admin", "admin", authenticatedAs("admin"));
        call("async analyst", analyst, "as_builder", Map.of(), null);
        call("async admin", admin, "as_builder", Map.of(), null);
        call("async admin", admin, "as_failing", Map.of(), null);
        System.out.println("ASYNC RAN " + ran);
        server.closeGracefully().block(Duration.ofSeconds(10));
    }

    /** A stateless server: the agent is the transport context's, else the policy's default agent. */
    private static void stateless(McpJsonMapper mapper) {
        InProcessStatelessTransport transport = new InProcessStatelessTransport(mapper);
        McpStatelessSyncServer server = McpServer.sync(transport)
                .serverInfo("agentmesh-it-stateless", "1")
                .capabilities(ServerCapabilities.builder().tools(true).build())
                .tools(McpStatelessServerFeatures.SyncToolSpecification.builder().tool(tool("sl_builder"))
                        .callHandler(McpApp::ran).build())
                .tools(List.of(new McpStatelessServerFeatures.SyncToolSpecification(tool("sl_record"), McpApp::ran)))
                .toolCall(tool("sl_tool_call"), McpApp::ran)
                .build();
        server.addTool(new McpStatelessServerFeatures.SyncToolSpecification(tool("sl_add_tool"), McpApp::ran));
        for (String tool : STATELESS_FORMS) {
            for (String agent : List.of("analyst", "admin")) {
                McpTransportContext context = McpTransportContext.create(Map.of("agentmesh.agentId", agent));
                print(mapper, "stateless " + agent, tool, transport.request(context, "tools/call",
                        new CallToolRequest(tool, Map.of(), Map.of("progressToken", "sl-" + agent))));
            }
        }
        print(mapper, "stateless nobody", "sl_builder", transport.request(McpTransportContext.EMPTY, "tools/call",
                new CallToolRequest("sl_builder", Map.of(), null)));
        server.closeGracefully();
    }

    /** What a server's authentication puts in the transport context: the agent it authenticated. */
    private static McpTransportContext authenticatedAs(String agent) {
        return McpTransportContext.create(Map.of("agentmesh.agentId", agent));
    }

    private static McpSyncClient connect(InProcessServerTransport transport, String label, String clientName,
            McpTransportContext context) {
        InProcessServerTransport.Connection connection = transport.connect(context);
        McpSyncClient client = McpClient.sync(connection)
                .clientInfo(new Implementation(clientName, "1"))
                .requestTimeout(Duration.ofSeconds(30))
                .build();
        client.initialize();
        CLIENTS.add(client);
        System.out.println("session " + label + " " + connection.sessionId());
        return client;
    }

    private static void call(String label, McpSyncClient client, String tool, Map<String, Object> arguments,
            Map<String, Object> meta) {
        String outcome;
        try {
            outcome = "ok:" + text(client.callTool(new CallToolRequest(tool, arguments, meta)));
        } catch (McpError e) {
            outcome = "error " + e.getJsonRpcError().code() + " " + e.getJsonRpcError().message();
        }
        System.out.println(label + " -> " + tool + "=" + outcome);
    }

    private static void print(McpJsonMapper mapper, String label, String tool, JSONRPCResponse response) {
        String outcome = response.error() != null
                ? "error " + response.error().code() + " " + response.error().message()
                : "ok:" + text(mapper.convertValue(response.result(), CallToolResult.class));
        System.out.println(label + " -> " + tool + "=" + outcome);
    }

    private static String text(CallToolResult result) {
        return result.content().stream().filter(TextContent.class::isInstance).map(c -> ((TextContent) c).text())
                .collect(Collectors.joining(" "));
    }

    private static Tool tool(String name) {
        return Tool.builder(name, Map.of("type", "object")).build();
    }

    private static CallToolResult ran(Object context, CallToolRequest request) {
        RAN.add(request.name());
        return CallToolResult.builder().addTextContent(request.name() + " ran").build();
    }

    private static CallToolResult flaky(Object context, CallToolRequest request) {
        RAN.add("flaky");
        if ("mcp".equals(request.arguments().get("mode"))) {
            throw McpError.builder(-32001).message("quota exceeded").build();
        }
        throw new IllegalStateException("backend down");
    }
}
