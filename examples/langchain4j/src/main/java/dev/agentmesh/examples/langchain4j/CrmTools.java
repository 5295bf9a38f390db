package dev.agentmesh.examples.langchain4j;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import java.util.ArrayList;
import java.util.List;

/** Plain LangChain4j tools: nothing here knows about AgentMesh. The policy file rings them. */
public final class CrmTools {

    private final List<String> ran = new ArrayList<>();

    @Tool(name = "web_search", value = "Searches the public web")
    public String webSearch(@P("query") String query) {
        ran.add("web_search");
        return "3 results for '" + query + "'";
    }

    @Tool(name = "lookup_customer", value = "Reads a customer's record from the CRM")
    public String lookupCustomer(@P("customerId") String customerId) {
        ran.add("lookup_customer");
        return "customer " + customerId + ": Ada Lovelace, gold tier";
    }

    @Tool(name = "delete_records", value = "Deletes every record of a CRM table")
    public String deleteRecords(@P("table") String table) {
        ran.add("delete_records");
        return "deleted all records of " + table;
    }

    /** @return the tools whose bodies ran, in order */
    public List<String> ran() {
        return List.copyOf(ran);
    }
}
