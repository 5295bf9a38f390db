package dev.agentmesh.it.apps.langchain4j;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.AgentKilledError;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.KillTarget;
import dev.agentmesh.api.OpensSaga;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;

/**
 * A LangChain4j AI service under the agent, with no {@code AgentContext} of its own: the acting agent is the
 * {@code @MemoryId}. Each line of output is {@code <agent> -> <what the model saw>}, or {@code ABORTED <error>} when
 * the AI-service call itself threw; {@code RAN [...]} lists the tool bodies that ran.
 */
public final class Lc4jApp {

    public interface Assistant {
        String chat(@MemoryId String agent, @UserMessage String script);
    }

    private Lc4jApp() {
    }

    public static void main(String[] args) {
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(new ScriptModel())
                .tools(new Lc4jTools())
                .chatMemoryProvider(id -> MessageWindowChatMemory.withMaxMessages(50))
                .compensateOnToolErrors(true)
                .build();
        String scenario = args[0];
        switch (scenario) {
            case "basic" -> {
                ask(assistant, "analyst", "web_search {\"query\":\"rings\"}; delete_records {\"table\":\"users\"}");
                ask(assistant, "admin", "delete_records {\"table\":\"users\"}");
            }
            case "woven" -> {
                ask(assistant, "analyst", "rotate_keys");
                ask(assistant, "trusted-bot", "rotate_keys");
            }
            case "nested" -> ask(assistant, "analyst", "export_report");
            case "throws" -> ask(assistant, "analyst", "flaky");
            case "compensate" -> ask(assistant, "analyst",
                    "book_flight {\"flight\":\"LH400\"}; delete_records {\"table\":\"users\"}");
            case "saga" -> {
                // LangChain4j undoes book_flight when delete_records is refused; the saga then fails and must not
                // undo it again.
                trip(assistant, "book_flight {\"flight\":\"LH400\"}; delete_records {\"table\":\"users\"}");
                // Here only the saga undoes it.
                trip(assistant, "book_flight {\"flight\":\"LH401\"}");
            }
            case "kill" -> {
                ask(assistant, "analyst", "web_search {\"query\":\"before\"}");
                try (AgentContext.Scope operator = AgentContext.enter("admin")) {
                    Hypervisor.get().kill(KillTarget.agent("analyst"), "runaway", "admin");
                }
                ask(assistant, "analyst", "web_search {\"query\":\"after\"}");
                ask(assistant, "other", "web_search {\"query\":\"unaffected\"}");
            }
            default -> throw new IllegalArgumentException(scenario);
        }
        System.out.println("RAN " + Lc4jTools.ran);
    }

    private static void trip(Assistant assistant, String script) {
        try {
            new Trip().book(assistant, script);
        } catch (IllegalStateException e) {
            System.out.println("SAGA FAILED " + e.getMessage());
        }
    }

    /** Opens a saga around an AI-service call, then fails it. */
    public static final class Trip {
        @OpensSaga("trip")
        public void book(Assistant assistant, String script) {
            ask(assistant, "analyst", script);
            throw new IllegalStateException("trip abandoned");
        }
    }

    private static void ask(Assistant assistant, String agent, String script) {
        try {
            System.out.println(agent + " -> " + assistant.chat(agent, script));
        } catch (AgentKilledError e) {
            System.out.println(agent + " ABORTED " + e.getClass().getSimpleName());
        }
    }
}
