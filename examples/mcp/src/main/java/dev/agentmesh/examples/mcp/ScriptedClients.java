package dev.agentmesh.examples.mcp;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Implementation;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Three MCP clients, each calling the server's tools as a scripted model would. Each connects over its own pair of
 * in-process pipes to its own stdio server, as each MCP host launches its own server process; the servers share one
 * {@link CrmServer}, so its record of the tool bodies that ran covers them all.
 */
final class ScriptedClients {

    private record Call(String tool, String parameter, String value) {
    }

    private static final Call SEARCH = new Call("web_search", "query", "refund policy");
    private static final Call LOOKUP = new Call("lookup_customer", "customerId", "42");
    private static final Call DELETE = new Call("delete_records", "table", "test_orders");

    private ScriptedClients() {
    }

    static void run(CrmServer crm) throws IOException {
        McpJsonMapper mapper = McpJsonDefaults.getMapper();
        connect(crm, mapper, "ops-admin", List.of(SEARCH, LOOKUP, DELETE));
        connect(crm, mapper, "support-bot", List.of(SEARCH, LOOKUP, DELETE));
        connect(crm, mapper, "guest-7", List.of(SEARCH, LOOKUP));
        System.out.println("Tool bodies that ran: " + crm.ran());
    }

    private static void connect(CrmServer crm, McpJsonMapper mapper, String clientName, List<Call> script)
            throws IOException {
        Pipe toServer = Pipe.open();
        Pipe toClient = Pipe.open();
        McpSyncServer server = crm.serve(new StdioServerTransportProvider(mapper,
                Channels.newInputStream(toServer.source()), Channels.newOutputStream(toClient.sink())));
        McpSyncClient client = McpClient.sync(new PipedClientTransport(mapper,
                        Channels.newInputStream(toClient.source()), Channels.newOutputStream(toServer.sink())))
                .clientInfo(new Implementation(clientName, "1.0"))
                .requestTimeout(Duration.ofSeconds(30))
                .build();
        try {
            client.initialize();
            System.out.println(clientName + " connects and calls " + script.stream().map(Call::tool).toList());
            for (Call call : script) {
                System.out.println("  " + call.tool() + " " + outcome(client, call));
            }
        } finally {
            client.closeGracefully();
            server.closeGracefully();
        }
    }

    private static String outcome(McpSyncClient client, Call call) {
        try {
            CallToolResult result = client.callTool(
                    new CallToolRequest(call.tool(), Map.of(call.parameter(), call.value()), null));
            String text = result.content().stream().filter(TextContent.class::isInstance)
                    .map(c -> ((TextContent) c).text()).collect(Collectors.joining(" "));
            return (Boolean.TRUE.equals(result.isError()) ? "failed: " : "ok: ") + text;
        } catch (McpError refused) {
            return "REFUSED: " + refused.getMessage();
        }
    }
}
