package io.quarkiverse.handoff.runtime.continuator;

import java.util.List;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.ChatStream;
import io.quarkiverse.handoff.policy.CloudRequest;

/**
 * A {@link ChatStream} the extension makes for a quarkus-langchain4j model: it holds connections of its own, which the
 * extension closes at shutdown (an application's stream bean is the container's to close).
 */
interface ProviderStream extends ChatStream {

    /** Whether cancelling reaches the server even before the first token arrived. */
    boolean cancelsBeforeFirstToken();

    /** A description for logs. */
    String describe();

    @Override
    default String name() {
        return describe();
    }

    /** Releases what the stream holds (its connections), at shutdown. */
    default void close() {
    }

    /** The plan's shape of the request as langchain4j parameters: only what the plan sets. */
    static ChatRequestParameters parameters(CloudRequest shape) {
        DefaultChatRequestParameters.Builder<?> parameters = ChatRequestParameters.builder();
        if (shape.maxTokens() != null) {
            parameters.maxOutputTokens(shape.maxTokens());
        }
        if (shape.temperature() != null) {
            parameters.temperature(shape.temperature());
        }
        if (!shape.stop().isEmpty()) {
            parameters.stopSequences(shape.stop());
        }
        return parameters.build();
    }

    /** The messages as langchain4j's, for its portable API and the model's listeners. */
    static List<dev.langchain4j.data.message.ChatMessage> langchain4j(List<ChatMessage> messages) {
        return messages.stream().<dev.langchain4j.data.message.ChatMessage> map(message -> switch (message.role()) {
            case SYSTEM -> SystemMessage.from(message.content());
            case USER -> UserMessage.from(message.content());
            case ASSISTANT -> AiMessage.from(message.content());
        }).toList();
    }
}
