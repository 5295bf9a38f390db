package dev.agentmesh.it.apps.springai;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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
 * A scripted model: the user message is the script, one tool call per {@code ;}-separated {@code name args} entry
 * ({@code web_search {"query":"x"}}), with the ids {@code tc-1}, {@code tc-2}, ... across the whole run. Once the
 * results are in, it answers {@code name=<result>} per call, joined by {@code " | "}, each result exactly as Spring
 * AI gave it (a returned string as JSON, a failed tool's message as it is).
 */
public final class ScriptModel implements ChatModel {

    private final AtomicInteger calls = new AtomicInteger();

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
            List<AssistantMessage.ToolCall> toolCalls = new ArrayList<>();
            for (String entry : last.getText().split(";")) {
                String[] parts = entry.trim().split(" ", 2);
                toolCalls.add(new AssistantMessage.ToolCall("tc-" + calls.incrementAndGet(), "function", parts[0],
                        parts.length > 1 ? parts[1] : "{}"));
            }
            return new ChatResponse(List.of(new Generation(
                    AssistantMessage.builder().content("").toolCalls(toolCalls).build())));
        }
        List<String> answer = new ArrayList<>();
        for (ToolResponseMessage.ToolResponse r : results.getResponses()) {
            answer.add(r.name() + "=" + r.responseData());
        }
        return new ChatResponse(List.of(new Generation(new AssistantMessage(String.join(" | ", answer)))));
    }
}
