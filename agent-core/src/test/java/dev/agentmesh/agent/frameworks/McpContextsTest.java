package dev.agentmesh.agent.frameworks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reading the MCP caller through the SDK's public API shapes, by reflection: the transport context's entry first,
 * then the client's name made into an agent id, and a session id with the progress token.
 */
class McpContextsTest {

    /** Shaped like the SDK's {@code McpTransportContext}: a public interface over a hidden implementation. */
    public interface TransportContext {
        Object get(String key);
    }

    private static final class HiddenContext implements TransportContext {
        private final Map<String, Object> values;

        HiddenContext(Map<String, Object> values) {
            this.values = values;
        }

        @Override
        public Object get(String key) {
            return values.get(key);
        }
    }

    public record Implementation(String name, String version) {
    }

    public record Request(String name, Object progressToken) {
    }

    /** Shaped like {@code McpSyncServerExchange}. */
    public static final class Exchange {
        private final TransportContext context;
        private final Implementation client;

        Exchange(TransportContext context, Implementation client) {
            this.context = context;
            this.client = client;
        }

        public String sessionId() {
            return "3902e775-f63f-4506-b237-6ed890bdc907";
        }

        public Implementation getClientInfo() {
            return client;
        }

        public TransportContext transportContext() {
            return context;
        }
    }

    @Test
    void theTransportContextsEntryOutranksTheClientsOwnName() {
        Exchange authenticated = new Exchange(new HiddenContext(Map.of(FrameworkCalls.AGENT_ID_KEY, "billing-bot")),
                new Implementation("ops-admin", "1"));
        Exchange unauthenticated = new Exchange(new HiddenContext(Map.of()), new Implementation("support-bot", "1"));
        assertThat(McpContexts.agentId(authenticated)).isEqualTo("billing-bot");
        assertThat(McpContexts.agentId(unauthenticated)).isEqualTo("mcp-client:support-bot"); // self-named
        assertThat(McpContexts.agentId(new HiddenContext(Map.of(FrameworkCalls.AGENT_ID_KEY, "x")))).isEqualTo("x");
        assertThat(McpContexts.agentId(new Exchange(null, null))).isNull();
        assertThat(McpContexts.agentId(new Exchange(null, new Implementation(" ", "1")))).isNull();
        assertThat(McpContexts.agentId(new Exchange(null, new Implementation("Claude Desktop", "1"))))
                .isEqualTo("mcp-client:Claude_Desktop");
        assertThat(McpContexts.agentId(null)).isNull();
    }

    @Test
    void aClientNameBecomesAnAgentId() {
        assertThat(dev.agentmesh.api.Ids.toId("Claude Desktop")).isEqualTo("Claude_Desktop");
        assertThat(dev.agentmesh.api.Ids.toId("a\nb>c😀")).isEqualTo("a_b_c_");
        assertThat(dev.agentmesh.api.Ids.toId("x".repeat(1000))).hasSize(256);
    }

    @Test
    void theInvocationIsTheSessionAndTheProgressToken() {
        Exchange exchange = new Exchange(null, null);
        assertThat(McpContexts.invocationId(exchange, new Request("t", "tok-42")))
                .isEqualTo("3902e775-f63f-4506-b237-6ed890bdc907#tok-42");
        assertThat(McpContexts.invocationId(exchange, new Request("t", null)))
                .isEqualTo("3902e775-f63f-4506-b237-6ed890bdc907");
        assertThat(McpContexts.invocationId(new HiddenContext(Map.of()), new Request("t", null))).isNull();
    }
}
