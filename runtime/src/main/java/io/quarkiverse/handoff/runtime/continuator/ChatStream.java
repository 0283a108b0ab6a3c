package io.quarkiverse.handoff.runtime.continuator;

import java.util.List;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import io.quarkiverse.handoff.policy.CloudRequest;
import io.smallrye.mutiny.Multi;

/**
 * One way to stream a chat completion from a quarkus-langchain4j model as text deltas. Cancelling the returned stream
 * cancels the HTTP request.
 */
interface ChatStream {

    /**
     * Streams the model's answer to these messages.
     *
     * @param shape the plan's token limit, temperature and stop sequences (null values: the model's configuration)
     * @param prefill what a prefill request adds for OpenAI-protocol servers (fields of the body and of the final
     *        assistant message), {@link PrefillFields#NONE} otherwise
     */
    Multi<String> stream(List<ChatMessage> messages, CloudRequest shape, PrefillFields prefill);

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

    /** Opens or refreshes the connection to the model's server without waiting; does nothing when unsupported. */
    void prewarm();

    /** Whether cancelling reaches the server even before the first token arrived. */
    boolean cancelsBeforeFirstToken();

    /** A description for logs. */
    String describe();

    /** Releases what the stream holds (its connections), at shutdown. */
    default void close() {
    }
}
