package dev.agentmesh.examples.langchain4j;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;

/**
 * A LangChain4j support desk with no AgentMesh code: run it with {@code -javaagent:agentmesh-javaagent.jar} and a
 * policy, and every tool call is decided by the caller's ring and recorded on the audit trail. Three agents ask the
 * same assistant: the system agent may do everything, the support bot may search and read customers but not delete,
 * and an unknown guest may only search. A refused tool reaches the model as an error, as LangChain4j reports any
 * failed tool.
 *
 * <p>Offline by default, with a scripted model. Set {@code OPENAI_API_KEY} (and optionally
 * {@code OPENAI_MODEL}, default {@code gpt-4o-mini}) to ask a real model instead.
 */
public final class SupportDesk {

    private SupportDesk() {
    }

    public static void main(String[] args) {
        CrmTools tools = new CrmTools();
        Assistant assistant = AiServices.builder(Assistant.class)
                .chatModel(model())
                .tools(tools)
                .chatMemoryProvider(memoryId -> MessageWindowChatMemory.withMaxMessages(20))
                .build();
        ask(assistant, "ops-admin", "Search for our refund policy, look up customer 42, then delete the test"
                + " records in test_orders.");
        ask(assistant, "support-bot", "Search for our refund policy, look up customer 42, then delete the test"
                + " records in test_orders.");
        ask(assistant, "guest-7", "Search for our refund policy and look up customer 42.");
        System.out.println("Tool bodies that ran: " + tools.ran());
    }

    private static void ask(Assistant assistant, String agent, String question) {
        System.out.println(agent + " asks: " + question);
        System.out.println("  " + assistant.chat(agent, question));
    }

    private static ChatModel model() {
        String key = System.getenv("OPENAI_API_KEY");
        if (key == null || key.isBlank()) {
            return new ScriptedChatModel();
        }
        String name = System.getenv().getOrDefault("OPENAI_MODEL", "gpt-4o-mini");
        System.out.println("(asking " + name + " via the OpenAI API)");
        return OpenAiChatModel.builder().apiKey(key).modelName(name).build();
    }
}
