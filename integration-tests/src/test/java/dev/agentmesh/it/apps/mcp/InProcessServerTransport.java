package dev.agentmesh.it.apps.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpServerSession;
import io.modelcontextprotocol.spec.McpServerTransport;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * An MCP server transport inside the JVM for any number of clients, each on its own session. Like the SDK's HTTP
 * transports (and unlike its stdio transport, which has none to give), it hands every message of a connection that
 * connection's transport context, through the Reactor context where {@link McpServerSession} looks for it: what an
 * HTTP filter would have found out about the caller. Messages cross as JSON text, as on a wire.
 */
final class InProcessServerTransport implements McpServerTransportProvider {

    private final McpJsonMapper mapper;
    private final Map<String, McpServerSession> sessions = new ConcurrentHashMap<>();
    private volatile McpServerSession.Factory sessionFactory;

    InProcessServerTransport(McpJsonMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public void setSessionFactory(McpServerSession.Factory sessionFactory) {
        this.sessionFactory = sessionFactory;
    }

    @Override
    public Mono<Void> notifyClients(String method, Object params) {
        return Flux.fromIterable(sessions.values()).flatMap(s -> s.sendNotification(method, params)).then();
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Flux.fromIterable(sessions.values()).flatMap(McpServerSession::closeGracefully).then();
    }

    /**
     * @param context what the transport knows about the client, {@link McpTransportContext#EMPTY} for nothing
     * @return a client transport that opens a new session of the server when the client connects
     */
    Connection connect(McpTransportContext context) {
        return new Connection(context);
    }

    /** @return the message as the other side reads it off the wire */
    static JSONRPCMessage wire(McpJsonMapper mapper, JSONRPCMessage message) {
        try {
            return McpSchema.deserializeJsonRpcMessage(mapper, mapper.writeValueAsString(message));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client's end of one connection. */
    final class Connection implements McpClientTransport {

        private final McpTransportContext context;
        private volatile McpServerSession session;
        private volatile Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> client;

        private Connection(McpTransportContext context) {
            this.context = context;
        }

        /** @return the id of the server's session for this connection */
        String sessionId() {
            return session.getId();
        }

        @Override
        public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
            return Mono.fromRunnable(() -> {
                client = handler;
                session = sessionFactory.create(new ServerEnd());
                sessions.put(session.getId(), session);
            });
        }

        @Override
        public Mono<Void> sendMessage(JSONRPCMessage message) {
            JSONRPCMessage received = wire(mapper, message);
            return Mono.defer(() -> session.handle(received))
                    .contextWrite(c -> c.put(McpTransportContext.KEY, context));
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return mapper.convertValue(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.defer(() -> {
                sessions.remove(session.getId());
                return session.closeGracefully();
            });
        }

        /** The server's end: what the session sends goes to the client. */
        private final class ServerEnd implements McpServerTransport {

            @Override
            public Mono<Void> sendMessage(JSONRPCMessage message) {
                return Mono.fromRunnable(() -> client.apply(Mono.just(wire(mapper, message))).subscribe());
            }

            @Override
            public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
                return mapper.convertValue(data, typeRef);
            }

            @Override
            public Mono<Void> closeGracefully() {
                return Mono.empty();
            }
        }
    }
}
