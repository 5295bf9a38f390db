package dev.agentmesh.examples.springai;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;

/**
 * An offline stand-in for an LLM, so the example runs with no network and no API key. To a user message it answers
 * with the tool calls the message asks for (searching, looking up a customer, deleting records); once the tools'
 * results are in, it answers in text, reporting each result as Spring AI gave it. Spring AI hands the model a failed
 * tool's message as the tool's result, with no error flag, so this model tells a refusal by its wording.
 */
final class ScriptedChatModel implements ChatModel {

    /** Tool-calling options: with plain {@code ChatOptions}, a {@code ChatClient} would offer the model no tools. */
    @Override
    public ChatOptions getOptions() {
        return ToolCallingChatOptions.builder().build();
    }

    @Override
    public ChatResponse call(Prompt prompt) {
        List<Message> messages = prompt.getInstructions();
        Message last = messages.get(messages.size() - 1);
        if (!(last instanceof ToolResponseMessage results)) {
            AssistantMessage calls = AssistantMessage.builder().content("").toolCalls(toolCalls(last.getText()))
                    .build();
            return new ChatResponse(List.of(new Generation(calls)));
        }
        StringBuilder answer = new StringBuilder("Here is what I found:");
        for (ToolResponseMessage.ToolResponse result : results.getResponses()) {
            String text = unquote(result.responseData());
            answer.append(String.format("%n    %s %s: %s", result.name(),
                    text.contains(" may not call ") ? "REFUSED" : "ok", text));
        }
        return new ChatResponse(List.of(new Generation(new AssistantMessage(answer.toString()))));
    }

    private static List<AssistantMessage.ToolCall> toolCalls(String message) {
        String text = message.toLowerCase(Locale.ROOT);
        List<AssistantMessage.ToolCall> calls = new ArrayList<>();
        if (text.contains("search")) {
            calls.add(call(calls.size(), "web_search", "{\"query\":\"refund policy\"}"));
        }
        if (text.contains("customer")) {
            calls.add(call(calls.size(), "lookup_customer", "{\"customerId\":\"42\"}"));
        }
        if (text.contains("delete")) {
            calls.add(call(calls.size(), "delete_records", "{\"table\":\"test_orders\"}"));
        }
        return calls;
    }

    private static AssistantMessage.ToolCall call(int index, String tool, String arguments) {
        return new AssistantMessage.ToolCall("call_" + (index + 1), "function", tool, arguments);
    }

    /** @return a tool's result as text: Spring AI sends a returned {@code String} as a JSON string */
    private static String unquote(String result) {
        return result.length() >= 2 && result.startsWith("\"") && result.endsWith("\"")
                ? result.substring(1, result.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\")
                : result;
    }
}
