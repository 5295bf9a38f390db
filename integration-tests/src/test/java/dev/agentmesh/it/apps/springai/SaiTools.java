package dev.agentmesh.it.apps.springai;

import dev.agentmesh.api.Ring;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.function.FunctionToolCallback;

/** Spring AI tools for the end-to-end tests; {@link #ran} lists the bodies that ran. */
public final class SaiTools {

    public static final List<String> ran = new CopyOnWriteArrayList<>();

    @Tool(name = "web_search", description = "Searches the web")
    public String webSearch(String query) {
        ran.add("web_search");
        return "results for " + query;
    }

    @Tool(name = "delete_records", description = "Deletes a table's records")
    public String deleteRecords(String table) {
        ran.add("delete_records");
        return "deleted " + table;
    }

    /** Its own {@code @Ring} wins over the policy; the method is woven itself and still recorded once. */
    @Ring(1)
    @Tool(name = "rotate_keys", description = "Rotates the signing keys")
    public String rotateKeys() {
        ran.add("rotate_keys");
        return "rotated";
    }

    @Tool(name = "flaky", description = "Fails")
    public String flaky() {
        ran.add("flaky");
        throw new IllegalStateException("backend down");
    }

    /** A currency code, the input of {@link #currencyRates()}. */
    public record Currency(String code) {
    }

    /** @return a tool with no method of its own: a function, which only the policy's rule for its name rings */
    public static ToolCallback currencyRates() {
        return FunctionToolCallback.builder("currency_rates", (Currency currency) -> {
            ran.add("currency_rates");
            return "1 " + currency.code() + " = 1.08 USD";
        }).description("Gives a currency's exchange rate").inputType(Currency.class).build();
    }
}
