package dev.agentmesh.it.apps.langchain4j;

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

/**
 * A scripted model: the user message is the script, one tool call per {@code ;}-separated {@code name args} entry
 * ({@code web_search {"query":"x"}}). Once the results are in, it answers {@code name=ok:<text>} or
 * {@code name=error:<text>} per call, as LangChain4j reported them.
 */
public final class ScriptModel implements ChatModel {

    @Override
    public ChatResponse doChat(ChatRequest request) {
        List<ChatMessage> messages = request.messages();
        ChatMessage last = messages.get(messages.size() - 1);
        if (last instanceof UserMessage user) {
            List<ToolExecutionRequest> calls = new ArrayList<>();
            for (String entry : user.singleText().split(";")) {
                String[] parts = entry.trim().split(" ", 2);
                calls.add(ToolExecutionRequest.builder().id("call_" + (calls.size() + 1)).name(parts[0])
                        .arguments(parts.length > 1 ? parts[1] : "{}").build());
            }
            return ChatResponse.builder().aiMessage(AiMessage.from(calls)).build();
        }
        List<String> results = new ArrayList<>();
        for (int i = messages.size() - 1; i >= 0 && messages.get(i) instanceof ToolExecutionResultMessage; i--) {
            ToolExecutionResultMessage r = (ToolExecutionResultMessage) messages.get(i);
            results.add(0, r.toolName() + "=" + (Boolean.TRUE.equals(r.isError()) ? "error:" : "ok:") + r.text());
        }
        return ChatResponse.builder().aiMessage(AiMessage.from(String.join(" | ", results))).build();
    }
}
