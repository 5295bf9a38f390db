package dev.agentmesh.it.apps.langchain4j;

import dev.agentmesh.api.Ring;
import dev.agentmesh.api.SagaStep;
import dev.langchain4j.agent.tool.CompensateFor;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** LangChain4j tools for the end-to-end tests; {@link #ran} lists the bodies that ran. */
public final class Lc4jTools {

    public static final List<String> ran = new CopyOnWriteArrayList<>();

    @Tool(name = "web_search", value = "Searches the web")
    public String webSearch(@P("query") String query) {
        ran.add("web_search");
        return "results for " + query;
    }

    @Tool(name = "delete_records", value = "Deletes a table's records")
    public String deleteRecords(@P("table") String table) {
        ran.add("delete_records");
        return "deleted " + table;
    }

    /** Its own {@code @Ring} wins over the policy; the method is woven itself and still recorded once. */
    @Ring(1)
    @Tool(name = "rotate_keys", value = "Rotates the signing keys")
    public String rotateKeys() {
        ran.add("rotate_keys");
        return "rotated";
    }

    /** Calls a governed method of ring 0: as the framework's agent, not as the (absent) AgentContext one. */
    @Tool(name = "export_report", value = "Exports a report")
    public String exportReport() {
        ran.add("export_report");
        return new Vault().open();
    }

    @Tool(name = "flaky", value = "Fails")
    public String flaky() {
        ran.add("flaky");
        throw new IllegalStateException("backend down");
    }

    /** Also a saga step: undone by the saga that opened it, or by LangChain4j's own compensation, never both. */
    @SagaStep(compensation = "cancelFlight")
    @Tool(name = "book_flight", value = "Books a flight")
    public String bookFlight(@P("flight") String flight) {
        ran.add("book_flight");
        return "booked " + flight;
    }

    @CompensateFor("book_flight")
    public void cancelFlight(@P("flight") String flight) {
        ran.add("cancel_flight");
    }

    /** A plain governed class, reached from inside a tool. */
    public static final class Vault {
        @Ring(0)
        public String open() {
            ran.add("vault.open");
            return "vault opened";
        }
    }
}
