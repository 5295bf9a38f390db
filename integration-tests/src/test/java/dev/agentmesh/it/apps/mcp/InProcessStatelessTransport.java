package dev.agentmesh.it.apps.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * A stateless MCP server's transport inside the JVM: each request is handed to the server with a transport context,
 * as the SDK's servlet transport does with what it extracted from the HTTP request. No session, no initialization.
 */
final class InProcessStatelessTransport implements McpStatelessServerTransport {

    private final McpJsonMapper mapper;
    private final AtomicLong ids = new AtomicLong();
    private volatile McpStatelessServerHandler handler;

    InProcessStatelessTransport(McpJsonMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void setMcpHandler(McpStatelessServerHandler handler) {
        this.handler = handler;
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.empty();
    }

    /**
     * @param context what the transport found out about the caller
     * @param method the JSON-RPC method
     * @param params its parameters
     * @return the response, as the client reads it
     */
    JSONRPCResponse request(McpTransportContext context, String method, Object params) {
        JSONRPCRequest request = (JSONRPCRequest) InProcessServerTransport.wire(mapper,
                new JSONRPCRequest("2.0", method, ids.incrementAndGet(), params));
        return (JSONRPCResponse) InProcessServerTransport.wire(mapper, handler.handleRequest(context, request).block());
    }
}
