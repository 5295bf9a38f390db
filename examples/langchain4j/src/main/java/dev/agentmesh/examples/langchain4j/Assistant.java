package dev.agentmesh.examples.langchain4j;

import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;

/** The AI service. Its {@code @MemoryId} names the conversation, and AgentMesh takes it as the acting agent. */
public interface Assistant {

    /**
     * @param agent who is asking: the conversation's memory id
     * @param message what they ask
     * @return the model's answer
     */
    String chat(@MemoryId String agent, @UserMessage String message);
}
