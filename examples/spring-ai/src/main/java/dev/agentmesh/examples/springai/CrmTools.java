package dev.agentmesh.examples.springai;

import java.util.ArrayList;
import java.util.List;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/** Plain Spring AI tools: nothing here knows about AgentMesh. The policy file rings them. */
public final class CrmTools {

    private final List<String> ran = new ArrayList<>();

    @Tool(name = "web_search", description = "Searches the public web")
    public String webSearch(@ToolParam(description = "what to search for") String query) {
        ran.add("web_search");
        return "3 results for '" + query + "'";
    }

    @Tool(name = "lookup_customer", description = "Reads a customer's record from the CRM")
    public String lookupCustomer(@ToolParam(description = "the customer's id") String customerId) {
        ran.add("lookup_customer");
        return "customer " + customerId + ": Ada Lovelace, gold tier";
    }

    @Tool(name = "delete_records", description = "Deletes every record of a CRM table")
    public String deleteRecords(@ToolParam(description = "the table to empty") String table) {
        ran.add("delete_records");
        return "deleted all records of " + table;
    }

    /** @return the tools whose bodies ran, in order */
    public List<String> ran() {
        return List.copyOf(ran);
    }
}
