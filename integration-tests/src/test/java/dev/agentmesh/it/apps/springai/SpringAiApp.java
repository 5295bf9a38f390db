package dev.agentmesh.it.apps.springai;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.AgentKilledError;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.KillTarget;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.memory.ChatMemory;
import org.springframework.ai.tool.ToolCallback;

/**
 * Spring AI {@code ChatClient} calls under the agent, with no {@code AgentContext} of their own (but the operator's
 * kill): the acting agent is what each call's tool context names. Every scenario runs in this one JVM, each as an
 * agent of its own so that its records can be told apart. Each line of output is {@code <label> -> <what the model
 * saw>}, or {@code <label> ABORTED <error>} when the chat call itself threw; {@code RAN [...]} lists the tool bodies
 * that ran.
 */
public final class SpringAiApp {

    private static final String AGENT_ID = "agentmesh.agentId";
    private static final ChatClient CLIENT =
            ChatClient.builder(new ScriptModel()).defaultTools(new SaiTools()).build();

    private SpringAiApp() {
    }

    public static void main(String[] args) {
        // Who acts: the agentmesh.agentId entry, else the conversation id, else the policy's default agent.
        ask("analyst", Map.of(AGENT_ID, "analyst"),
                "web_search {\"query\":\"rings\"}; delete_records {\"table\":\"users\"}");
        ask("admin", Map.of(AGENT_ID, "admin"), "delete_records {\"table\":\"users\"}");
        ask("conversation", Map.of(ChatMemory.CONVERSATION_ID, "support-chat"),
                "web_search {\"query\":\"memory\"}; delete_records {\"table\":\"orders\"}");
        ask("both", Map.of(AGENT_ID, "trusted-bot", ChatMemory.CONVERSATION_ID, "support-chat"),
                "web_search {\"query\":\"both\"}");
        ask("neither", null, "web_search {\"query\":\"anyone\"}");
        // A tool's own @Ring(1) wins over the policy's rule for its name.
        ask("woven-analyst", Map.of(AGENT_ID, "analyst"), "rotate_keys");
        ask("woven-trusted", Map.of(AGENT_ID, "trusted-bot"), "rotate_keys");
        // A tool that throws.
        ask("thrower", Map.of(AGENT_ID, "thrower"), "flaky");
        // A FunctionToolCallback, ringed by the policy's rule for its name.
        ask("fn-analyst", Map.of(AGENT_ID, "fn-analyst"), SaiTools.currencyRates(), "currency_rates {\"code\":\"EUR\"}");
        ask("fn-guest", Map.of(AGENT_ID, "fn-guest"), SaiTools.currencyRates(), "currency_rates {\"code\":\"GBP\"}");
        // A killed agent's chat call aborts; other agents carry on.
        ask("runaway", Map.of(AGENT_ID, "runaway"), "web_search {\"query\":\"before\"}");
        try (AgentContext.Scope operator = AgentContext.enter("admin")) {
            Hypervisor.get().kill(KillTarget.agent("runaway"), "runaway", "admin");
        }
        ask("runaway", Map.of(AGENT_ID, "runaway"), "web_search {\"query\":\"after\"}");
        ask("bystander", Map.of(AGENT_ID, "bystander"), "web_search {\"query\":\"unaffected\"}");
        System.out.println("RAN " + SaiTools.ran);
    }

    private static void ask(String label, Map<String, Object> toolContext, String script) {
        ask(label, toolContext, null, script);
    }

    private static void ask(String label, Map<String, Object> toolContext, ToolCallback extra, String script) {
        ChatClient.ChatClientRequestSpec request = CLIENT.prompt().user(script);
        if (toolContext != null) {
            request = request.toolContext(toolContext);
        }
        if (extra != null) {
            // Spring AI 2.0 takes ToolCallbacks through tools(...) too; toolCallbacks(...) is deprecated for removal
            request = request.tools(extra);
        }
        try {
            System.out.println(label + " -> " + request.call().content());
        } catch (AgentKilledError e) {
            System.out.println(label + " ABORTED " + e.getClass().getSimpleName());
        }
    }
}
