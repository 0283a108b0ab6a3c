package io.quarkiverse.handoff;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.quarkiverse.handoff.policy.CloudRequest;

/**
 * One request the cloud continuator sends through a {@link ChatStream}: the messages as the continuation strategy
 * wrote them, and how the plan shapes the answer.
 *
 * @param messages the messages to send, in order: one system message (the strategy's instructions, then the
 *        application's own system messages), the earlier turns, then the question; in a prefill request a final
 *        assistant message holds the opener's words, which the server is to continue ({@link #prefill()})
 * @param shape the plan's token limit, temperature and stop sequences; a null value leaves the server's or the
 *        protocol's own setting
 * @param prefillParameters fields a prefill request adds to the request body
 *        ({@code quarkus.handoff.continuator.prefill-parameters.*}, typed as JSON literals), empty in other requests
 * @param prefillMessageFields fields a prefill request adds to the final assistant message
 *        ({@code quarkus.handoff.continuator.prefill-message-fields.*}), empty in other requests
 */
public record ChatStreamRequest(List<ChatMessage> messages, CloudRequest shape, Map<String, Object> prefillParameters,
        Map<String, Object> prefillMessageFields) {

    public ChatStreamRequest {
        messages = List.copyOf(messages);
        Objects.requireNonNull(shape, "shape");
        prefillParameters = Map.copyOf(prefillParameters);
        prefillMessageFields = Map.copyOf(prefillMessageFields);
    }

    /** A request without prefill fields. */
    public ChatStreamRequest(List<ChatMessage> messages, CloudRequest shape) {
        this(messages, shape, Map.of(), Map.of());
    }

    /** Whether the last message is the assistant's, to be continued rather than answered. */
    public boolean prefill() {
        return !messages.isEmpty() && messages.get(messages.size() - 1).role() == ChatMessage.Role.ASSISTANT;
    }
}
