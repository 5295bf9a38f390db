package dev.agentmesh.examples.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * An MCP client transport over a pair of streams, speaking what a stdio server speaks: one JSON-RPC message a line.
 * The SDK's stdio client transport always launches the server as a process; this one talks to a server in the same
 * JVM, over pipes.
 */
public final class PipedClientTransport implements McpClientTransport {

    private final McpJsonMapper mapper;
    private final InputStream fromServer;
    private final OutputStream toServer;

    /**
     * @param mapper the JSON mapper
     * @param fromServer the server's output
     * @param toServer the server's input
     */
    public PipedClientTransport(McpJsonMapper mapper, InputStream fromServer, OutputStream toServer) {
        this.mapper = mapper;
        this.fromServer = fromServer;
        this.toServer = toServer;
    }

    @Override
    public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
        return Mono.fromRunnable(() -> {
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(
                        new InputStreamReader(fromServer, StandardCharsets.UTF_8))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        handler.apply(Mono.just(McpSchema.deserializeJsonRpcMessage(mapper, line))).subscribe();
                    }
                } catch (IOException e) {
                    // the pipe closed: the connection is over
                }
            }, "mcp-client-reader");
            reader.setDaemon(true);
            reader.start();
        });
    }

    @Override
    public Mono<Void> sendMessage(JSONRPCMessage message) {
        return Mono.fromRunnable(() -> {
            try {
                byte[] line = (mapper.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
                synchronized (toServer) {
                    toServer.write(line);
                    toServer.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return mapper.convertValue(data, typeRef);
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> {
            try {
                toServer.close();
            } catch (IOException ignored) {
                // closed already
            }
        });
    }
}
