package io.quarkiverse.handoff.runtime.continuator;

import java.util.List;
import java.util.Map;

import dev.langchain4j.data.message.ChatMessage;
import io.smallrye.mutiny.Multi;

/**
 * One way to stream a chat completion from a quarkus-langchain4j model as text deltas. Cancelling the returned stream
 * cancels the HTTP request.
 */
interface ChatStream {

    /**
     * Streams the model's answer to these messages.
     *
     * @param extraBody extra top-level fields of the request body (for OpenAI-protocol servers), may be empty
     */
    Multi<String> stream(List<ChatMessage> messages, Map<String, Object> extraBody);

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
