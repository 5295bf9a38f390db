package dev.agentmesh.agent.frameworks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The agent a LangChain4j {@code InvocationContext} names, read through its public API shape. */
class LangChain4jContextsTest {

    /** An AI service without {@code @Agent}. */
    public interface Assistant {
        String chat(String memoryId, String message);
    }

    /** Shaped like LangChain4j's {@code InvocationContext}. */
    public record Context(String interfaceName, String methodName, Object chatMemoryId) {
    }

    @Test
    void theMemoryIdNamesTheAgentUnlessItIsLangChain4jsDefault() {
        assertThat(LangChain4jContexts.agentKey(new Context(Assistant.class.getName(), "chat", "alice"), null))
                .isEqualTo("alice");
        assertThat(LangChain4jContexts.agentKey(new Context(Assistant.class.getName(), "chat", 42L), null))
                .isEqualTo(42L);
        assertThat(LangChain4jContexts.agentKey(new Context(Assistant.class.getName(), "chat", "default"), null))
                .isNull();
        assertThat(LangChain4jContexts.agentKey(new Context(null, null, null), null)).isNull();
        assertThat(LangChain4jContexts.agentKey(new Context("no.such.Service", "chat", "bob"), null))
                .isEqualTo("bob");
        assertThat(LangChain4jContexts.agentKey(null, null)).isNull();
    }
}
