package dev.agentmesh.examples.springai;

import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

/**
 * A Spring AI support desk with no AgentMesh code and no Spring Boot: run it with
 * {@code -javaagent:agentmesh-javaagent.jar} and a policy, and every tool call is decided by the caller's ring and
 * recorded on the audit trail. Three agents ask the same chat client, each naming itself in the call's tool context
 * under {@code agentmesh.agentId}: the system agent may do everything, the support bot may search and read customers
 * but not delete, and an unknown guest may only search. A refused tool reaches the model as the tool's result, as
 * Spring AI reports any failed tool.
 *
 * <p>Offline by default, with a scripted model. Set {@code OPENAI_API_KEY} (and optionally
 * {@code OPENAI_MODEL}, default {@code gpt-4o-mini}) to ask a real model instead.
 */
public final class SupportDesk {

    /** The tool-context key that names the acting agent. */
    private static final String AGENT_ID = "agentmesh.agentId";

    private SupportDesk() {
    }

    public static void main(String[] args) {
        CrmTools tools = new CrmTools();
        ChatClient client = ChatClient.builder(model()).defaultTools(tools).build();
        String everything = "Search for our refund policy, look up customer 42, then delete the test records in"
                + " test_orders.";
        ask(client, "ops-admin", everything);
        ask(client, "support-bot", everything);
        ask(client, "guest-7", "Search for our refund policy and look up customer 42.");
        System.out.println("Tool bodies that ran: " + tools.ran());
    }

    private static void ask(ChatClient client, String agent, String question) {
        System.out.println(agent + " asks: " + question);
        System.out.println("  " + client.prompt().user(question).toolContext(Map.of(AGENT_ID, agent)).call()
                .content());
    }

    private static ChatModel model() {
        String key = System.getenv("OPENAI_API_KEY");
        if (key == null || key.isBlank()) {
            return new ScriptedChatModel();
        }
        String name = System.getenv().getOrDefault("OPENAI_MODEL", "gpt-4o-mini");
        System.out.println("(asking " + name + " via the OpenAI API)");
        return OpenAiChatModel.builder()
                .options(OpenAiChatOptions.builder().apiKey(key).model(name).build())
                .build();
    }
}
