package dev.agentmesh.examples.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * A CRM's MCP server, written with the MCP Java SDK and no AgentMesh code: run it with
 * {@code -javaagent:agentmesh-javaagent.jar} and a policy, and every call of its tools is decided by the calling
 * client's ring and recorded on the audit trail. The acting agent is the name the MCP client gives in its
 * {@code initialize} request. A refused call never runs the tool: the client gets a JSON-RPC error carrying the
 * reason.
 *
 * <p>Offline by default: the server talks over in-process pipes to three scripted clients, {@code ops-admin} (may do
 * everything), {@code support-bot} (may search and read customers, not delete) and {@code guest-7} (may only search).
 * From the repository root:
 *
 * <pre>
 * java -javaagent:javaagent/target/agentmesh-javaagent.jar=policy=examples/mcp/policy.yaml,audit.dir=target/mcp-audit \
 *     -jar examples/mcp/target/agentmesh-example-mcp.jar
 * java -jar audit-reader/target/agentmesh-audit-reader.jar export target/mcp-audit --format jsonl
 * </pre>
 *
 * <p>With {@code --stdio} it is a real MCP stdio server that any MCP host (Claude Desktop, an IDE, or an LLM
 * application with an API key) launches as a subprocess; it writes nothing but JSON-RPC to standard output and exits
 * when the host closes its standard input. Use absolute paths, since the host picks the working directory:
 *
 * <pre>
 * java -javaagent:/abs/agentmesh-javaagent.jar=policy=/abs/examples/mcp/policy.yaml,audit.dir=/abs/mcp-audit \
 *     -jar /abs/examples/mcp/target/agentmesh-example-mcp.jar --stdio
 * </pre>
 *
 * <p>In Claude Desktop's {@code claude_desktop_config.json}, for instance:
 *
 * <pre>
 * {"mcpServers": {"crm": {"command": "java", "args": [
 *     "-javaagent:/abs/agentmesh-javaagent.jar=policy=/abs/policy.yaml,audit.dir=/abs/mcp-audit",
 *     "-jar", "/abs/agentmesh-example-mcp.jar", "--stdio"]}}}
 * </pre>
 *
 * <p>The host is the agent, under the name it sends in {@code initialize}; a host the policy does not list is
 * sandboxed (ring 3), so it may search but not read customers. The trail's {@code agentId} shows the name: add it
 * to the policy's {@code agents:} to give it a ring.
 */
public final class CrmServer {

    private final List<String> ran = new CopyOnWriteArrayList<>();

    /** @return the server's tools, as synchronous tool specifications */
    public List<SyncToolSpecification> tools() {
        return List.of(
                tool("web_search", "Searches the public web", "query", q -> "3 results for '" + q + "'"),
                tool("lookup_customer", "Reads a customer's record from the CRM", "customerId",
                        id -> "customer " + id + ": Ada Lovelace, gold tier"),
                tool("delete_records", "Deletes every record of a CRM table", "table",
                        table -> "deleted all records of " + table));
    }

    /**
     * @param transport how the server talks to its client
     * @return the running server
     */
    public McpSyncServer serve(McpServerTransportProvider transport) {
        return McpServer.sync(transport)
                .serverInfo("agentmesh-example-crm", "1.0")
                .capabilities(ServerCapabilities.builder().tools(true).build())
                .tools(tools())
                .build();
    }

    /** @return the tools whose bodies ran, in order */
    public List<String> ran() {
        return List.copyOf(ran);
    }

    private SyncToolSpecification tool(String name, String description, String parameter, UnaryOperator<String> body) {
        Map<String, Object> schema = Map.of("type", "object",
                "properties", Map.of(parameter, Map.of("type", "string")),
                "required", List.of(parameter));
        return SyncToolSpecification.builder()
                .tool(Tool.builder(name, schema).description(description).build())
                .callHandler((exchange, request) -> {
                    ran.add(name);
                    String answer = body.apply(String.valueOf(request.arguments().get(parameter)));
                    return CallToolResult.builder().addTextContent(answer).build();
                })
                .build();
    }

    /**
     * @param args {@code --stdio} to serve an MCP host on standard input and output; none to run offline
     * @throws Exception if the server fails
     */
    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--stdio")) {
            serveStdio();
        } else {
            ScriptedClients.run(new CrmServer());
        }
    }

    private static void serveStdio() throws InterruptedException {
        // Standard output is the protocol's: anything else that prints goes to standard error.
        PrintStream protocol = System.out;
        System.setOut(System.err);
        CountDownLatch hostLeft = new CountDownLatch(1);
        InputStream in = new FilterInputStream(System.in) {
            @Override
            public int read() throws IOException {
                return ended(super.read());
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return ended(super.read(b, off, len));
            }

            private int ended(int n) {
                if (n < 0) {
                    hostLeft.countDown();
                }
                return n;
            }
        };
        CrmServer crm = new CrmServer();
        McpSyncServer server = crm.serve(new StdioServerTransportProvider(McpJsonDefaults.getMapper(), in, protocol));
        hostLeft.await();
        server.closeGracefully();
        System.err.println("Tool bodies that ran: " + crm.ran());
    }
}
