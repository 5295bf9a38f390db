package dev.agentmesh.it.apps.langchain4j;

import dev.agentmesh.api.AgentContext;
import dev.agentmesh.api.AgentKilledError;
import dev.agentmesh.api.Hypervisor;
import dev.agentmesh.api.KillTarget;
import dev.agentmesh.api.OpensSaga;
import dev.langchain4j.agentic.Agent;
import dev.langchain4j.agentic.AgenticServices;
import dev.langchain4j.agentic.UntypedAgent;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.V;
import java.util.Map;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.UserMessage;

/**
 * A LangChain4j AI service under the agent, with no {@code AgentContext} of its own: the acting agent is the
 * {@code @MemoryId}. Each line of output is {@code <agent> -> <what the model saw>}, or {@code ABORTED <error>} when
 * the AI-service call itself threw; {@code RAN <scenario> [...]} lists the tool bodies each scenario ran. The
 * scenarios named by the arguments run in order, in one JVM.
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
        for (String scenario : args) {
            run(assistant, scenario);
            System.out.println("RAN " + scenario + " " + Lc4jTools.ran);
            Lc4jTools.ran.clear();
        }
    }

    /** Each scenario acts as agents of its own, so its records can be told apart on the one trail. */
    private static void run(Assistant assistant, String scenario) {
        switch (scenario) {
            case "basic" -> {
                ask(assistant, "analyst", "web_search {\"query\":\"rings\"}; delete_records {\"table\":\"users\"}");
                ask(assistant, "admin", "delete_records {\"table\":\"users\"}");
            }
            case "woven" -> {
                ask(assistant, "reviewer", "rotate_keys");
                ask(assistant, "trusted-bot", "rotate_keys");
            }
            case "nested" -> ask(assistant, "reporter", "export_report");
            case "throws" -> ask(assistant, "tinkerer", "flaky");
            case "compensate" -> ask(assistant, "planner",
                    "book_flight {\"flight\":\"LH400\"}; delete_records {\"table\":\"users\"}");
            case "saga" -> {
                // LangChain4j undoes book_flight when delete_records is refused; the saga then fails and must not
                // undo it again.
                trip(assistant, "book_flight {\"flight\":\"LH400\"}; delete_records {\"table\":\"users\"}");
                // Here only the saga undoes it.
                trip(assistant, "book_flight {\"flight\":\"LH401\"}");
            }
            case "agentic" -> {
                // Two agents of a langchain4j-agentic sequence: each tool call is made as the agent running it.
                Researcher researcher = AgenticServices.agentBuilder(Researcher.class).chatModel(new ScriptModel())
                        .tools(new Lc4jTools()).outputKey("findings").build();
                Writer editor = AgenticServices.agentBuilder(Writer.class).name("editor")
                        .chatModel(new ScriptModel()).tools(new Lc4jTools()).outputKey("article").build();
                UntypedAgent sequence = AgenticServices.sequenceBuilder().subAgents(researcher, editor)
                        .outputKey("article").build();
                System.out.println("agentic -> " + sequence.invoke(Map.of(
                        "plan", "web_search {\"query\":\"agents\"}; delete_records {\"table\":\"drafts\"}",
                        "draft", "delete_records {\"table\":\"drafts\"}")));
            }
            case "kill" -> {
                ask(assistant, "runaway", "web_search {\"query\":\"before\"}");
                try (AgentContext.Scope operator = AgentContext.enter("admin")) {
                    Hypervisor.get().kill(KillTarget.agent("runaway"), "runaway loop", "admin");
                }
                ask(assistant, "runaway", "web_search {\"query\":\"after\"}");
                ask(assistant, "bystander", "web_search {\"query\":\"unaffected\"}");
            }
            default -> throw new IllegalArgumentException(scenario);
        }
    }

    private static void trip(Assistant assistant, String script) {
        try {
            new Trip().book(assistant, script);
        } catch (IllegalStateException e) {
            System.out.println("SAGA FAILED " + e.getMessage());
        }
    }

    /** An agentic agent named by its annotation. */
    public interface Researcher {
        @Agent(name = "researcher", outputKey = "findings")
        @dev.langchain4j.service.UserMessage("{{plan}}")
        String research(@V("plan") String plan);
    }

    /** An agentic agent whose builder's name ("editor") overrides its annotation's. */
    public interface Writer {
        @Agent(name = "writer", outputKey = "article")
        @dev.langchain4j.service.UserMessage("{{draft}}")
        String write(@V("draft") String draft);
    }

    /** Opens a saga around an AI-service call, then fails it. */
    public static final class Trip {
        @OpensSaga("trip")
        public void book(Assistant assistant, String script) {
            ask(assistant, "traveller", script);
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
