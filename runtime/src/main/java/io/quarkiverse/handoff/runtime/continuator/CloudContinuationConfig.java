package io.quarkiverse.handoff.runtime.continuator;

import java.time.Duration;
import java.util.Map;

import io.smallrye.config.WithDefault;

/**
 * How the cloud continuator talks to its model: the continuation strategy, connection pre-warming and the fault
 * tolerance around every cloud call. Part of {@code quarkus.handoff.continuator}: {@code ContinuatorRuntimeConfig}
 * extends it.
 */
public interface CloudContinuationConfig {

    /**
     * How the model is made to continue the reply: {@code prefill} sends the opener as the start of the assistant's
     * own message (for servers that continue it: Ollama, llama.cpp, vLLM), {@code instruction} tells the model the
     * words already said, {@code splice} asks for a fresh answer and lets the seam cut its restatement; {@code auto}
     * picks by the configured langchain4j provider: prefill for the Ollama and Anthropic providers, instruction
     * otherwise (an OpenAI-compatible server that continues is told so with {@code prefill}); with the application's
     * own {@code ChatStream} bean, prefill when the bean says its server continues assistant messages.
     */
    @WithDefault("auto")
    ContinuationStrategy strategy();

    /**
     * Extra top-level JSON fields sent with a prefill request to an OpenAI-compatible server, for servers that need
     * to be told to continue the final assistant message, e.g. for vLLM
     * {@code quarkus.handoff.continuator.prefill-parameters.continue_final_message=true} and
     * {@code ...add_generation_prompt=false}. Values {@code true}/{@code false} and numbers are sent as JSON booleans
     * and numbers. They are added to the model's own custom parameters; an application's {@code ChatStream} bean gets
     * them with each prefill request.
     */
    Map<String, String> prefillParameters();

    /**
     * Extra JSON fields of the prefilled assistant message (the opener) in a prefill request to an OpenAI-compatible
     * server, for servers that continue that message only when it is marked, e.g. for Mistral's chat API
     * {@code quarkus.handoff.continuator.prefill-message-fields.prefix=true}, which adds {@code "prefix": true} to the
     * assistant message that carries the opener. Values are typed as in {@code prefill-parameters}; {@code role} and
     * {@code content} cannot be set.
     */
    Map<String, String> prefillMessageFields();

    /**
     * Whether a handoff that will need the cloud warms the connection to it while the opener speaks, so that the
     * continuation request leaves on an open connection (OpenAI-protocol models only: a request to the base url that
     * reaches no model, see {@code prewarm-request}, on the connection pool the continuation requests use). Turn it off
     * where even that request is unwelcome (a gateway that bills or alerts on every request).
     */
    @WithDefault("true")
    boolean prewarm();

    /**
     * The request that warms the connection: {@code head} ({@code HEAD} on the provider's base url) or
     * {@code options} ({@code OPTIONS} on it, for a gateway that refuses {@code HEAD}). Neither reaches a model
     * endpoint nor carries the api key; whatever the server answers, the connection (TCP and TLS) stays in the pool.
     */
    @WithDefault("head")
    PrewarmRequest prewarmRequest();

    /** Warm the connection only when the cloud was not used for this long (a used connection is still open). */
    @WithDefault("20s")
    Duration prewarmAfterIdle();

    /**
     * Once the cloud's continuation started, the longest silence between two chunks before the stream is considered
     * stalled and the reply is finished on the device (a stall counts against the circuit breaker). A response the
     * server leaves open after its {@code [DONE]} is closed 500 ms later, or after this timeout if it is shorter (the
     * reply itself ends at {@code [DONE]}).
     */
    @WithDefault("10s")
    Duration idleTimeout();

    /** Retries of a failed cloud call, only ever before any continuation text reached the user. */
    Retry retry();

    /** The circuit breaker around cloud calls: while open, plans go local-only. */
    CircuitBreaker circuitBreaker();

    /** How the connection to the cloud is warmed. */
    enum PrewarmRequest {
        /** {@code HEAD} on the base url. */
        HEAD,
        /** {@code OPTIONS} on the base url. */
        OPTIONS
    }

    interface Retry {
        /** How many times a cloud call that failed before its first token is tried again (0 disables retries). */
        @WithDefault("1")
        int maxRetries();

        /**
         * The pause before a retry, when the cloud did not say how long to wait: a {@code Retry-After} (seconds or an
         * HTTP date) or {@code retry-after-ms} on its error answer is waited instead, and a wait longer than the plan's
         * first-token deadline leaves is not made (the reply is finished on the device at once).
         */
        @WithDefault("100ms")
        Duration delay();
    }

    interface CircuitBreaker {
        /** Whether cloud calls go through a circuit breaker. */
        @WithDefault("true")
        boolean enabled();

        /**
         * How many recent cloud calls (each attempt counts, retries included) the failure ratio is computed over. A
         * call fails when its answer fails at any point: before its first token, or in the middle (a stall, an error
         * event, a lost connection, a truncated or malformed stream).
         */
        @WithDefault("8")
        int requestVolumeThreshold();

        /** The ratio of failed calls among the recent ones that opens the breaker. */
        @WithDefault("0.75")
        double failureRatio();

        /** How long the breaker stays open (replies are written on the device) before the cloud is tried again. */
        @WithDefault("20s")
        Duration delay();

        /** How many successful trial calls close the breaker again. */
        @WithDefault("1")
        int successThreshold();
    }
}
