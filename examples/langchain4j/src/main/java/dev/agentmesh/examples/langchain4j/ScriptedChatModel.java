package dev.agentmesh.examples.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An offline stand-in for an LLM, so the example runs with no network and no API key. To a user message it answers
 * with the tool calls the message asks for (searching, looking up a customer, deleting records); once the tools'
 * results are in, it answers in text, reporting each result as LangChain4j gave it: a refused tool shows as an
 * error.
 */
final class ScriptedChatModel implements ChatModel {

    @Override
    public ChatResponse doChat(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        ChatMessage last = messages.get(messages.size() - 1);
        if (last instanceof UserMessage user) {
            return ChatResponse.builder().aiMessage(AiMessage.from(toolCalls(user.singleText()))).build();
        }
        StringBuilder answer = new StringBuilder();
        for (int i = messages.size() - 1; i >= 0 && messages.get(i) instanceof ToolExecutionResultMessage; i--) {
            ToolExecutionResultMessage result = (ToolExecutionResultMessage) messages.get(i);
            answer.insert(0, String.format("%n    %s %s: %s", result.toolName(),
                    Boolean.TRUE.equals(result.isError()) ? "REFUSED" : "ok", result.text()));
        }
        return ChatResponse.builder().aiMessage(AiMessage.from("Here is what I found:" + answer)).build();
    }

    private static List<ToolExecutionRequest> toolCalls(String message) {
        String text = message.toLowerCase(Locale.ROOT);
        List<ToolExecutionRequest> calls = new ArrayList<>();
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

    private static ToolExecutionRequest call(int index, String tool, String arguments) {
        return ToolExecutionRequest.builder().id("call_" + (index + 1)).name(tool).arguments(arguments).build();
    }
}
