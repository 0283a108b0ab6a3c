package io.quarkiverse.handoff;

import io.smallrye.mutiny.Multi;

/**
 * A wire protocol for the extension's cloud continuator: streams one chat completion from a model as text deltas.
 * <p>
 * An application bean of this type takes the place of the quarkus-langchain4j model's own stream, so that a provider
 * quarkus-langchain4j does not cover, or a raw HTTP API, continues replies without a continuator of its own: the
 * extension still builds each request (the strategy's prompts, the conversation, the plan's token limit, temperature
 * and stop sequences, a correction's guidance, the prefill fields), and the handoff still guards it (first-token
 * deadline, idle timeout, retries before the first token, circuit breaker), joins its text to the opener through the
 * seam, recovers a wrong opener and finishes the reply on the device when the stream fails or stalls. With such a bean
 * the application needs no quarkus-langchain4j provider; {@code quarkus.handoff.continuator.provider=embedded} still
 * turns the cloud off. One unqualified bean of this type is used; a {@link Continuator} bean of the application
 * replaces the whole cloud continuator instead.
 * <p>
 * Cancelling the returned stream must cancel the request (close its connection), also before the first delta: the
 * handoff cancels it when the client goes away, at a deadline and at shutdown. A failure the stream reports is
 * treated like any cloud failure: retried while no text has arrived, counted by the circuit breaker.
 */
public interface ChatStream {

    /**
     * Streams the model's answer to this request as raw text deltas, exactly as the model wrote them (the seam
     * repairs the join, cuts restatements and strips the pivot marker).
     */
    Multi<String> stream(ChatStreamRequest request);

    /**
     * The continuator's name in the {@code handoff} and {@code done} events, the metrics and the traces, e.g. the
     * provider and model ({@code acme:model-7}).
     */
    String name();

    /**
     * Whether the server continues a final assistant message as its own text (a prefill): then
     * {@code quarkus.handoff.continuator.strategy=auto} sends the opener as the start of the assistant's message
     * ({@code prefill}); otherwise the model is told the words already said ({@code instruction}). A configured
     * strategy wins.
     */
    default boolean continuesAssistantMessage() {
        return false;
    }

    /**
     * Called when a handoff starts whose plan will need the cloud, before the opener speaks: a chance to open the
     * connection so that the request leaves on a warm one. Must not block; the default does nothing.
     */
    default void prewarm() {
    }
}
