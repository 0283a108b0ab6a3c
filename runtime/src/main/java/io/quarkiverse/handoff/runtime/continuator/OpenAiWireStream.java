package io.quarkiverse.handoff.runtime.continuator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.TokenUsage;
import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.ChatStreamRequest;
import io.quarkus.arc.ClientProxy;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Streams chat completions from an OpenAI-protocol server with its own HTTP client and its own reading of the event
 * stream, so that every way the stream ends is seen and named:
 * <ul>
 * <li>{@code data: [DONE]} ends the answer at once, whether or not the server then ends the response (one it leaves
 * open is closed {@value #MAX_OPEN_RESPONSE_GRACE_MS} ms later);</li>
 * <li>an error event inside the 200 stream ({@code data: {"error": ...}}, or an event named {@code error}) fails it as
 * {@link CloudContinuationException.Kind#ERROR_EVENT}, an event that is not a JSON chunk as
 * {@link CloudContinuationException.Kind#MALFORMED_STREAM}, a body that ends before {@code [DONE]} (and without any
 * {@code finish_reason}) as {@link CloudContinuationException.Kind#TRUNCATED};</li>
 * <li>a connection that cannot be opened, or closes, as {@link CloudContinuationException.Kind#CONNECTION_FAILED} or
 * {@link CloudContinuationException.Kind#CONNECTION_LOST}; an HTTP error status as
 * {@link CloudContinuationException.Kind#HTTP_ERROR} with the server's body and its {@code Retry-After}.</li>
 * </ul>
 * Whenever the answer ends before the response did (a failure, a cancelled handoff), the connection is closed, also
 * before the first token, so the cloud stops generating, and a connection opened for a handoff that went away meanwhile
 * is closed unused. Only a connection whose response ended (an answer, an error status) goes back to the pool.
 * <p>
 * Why not the model's own client: quarkus-langchain4j's OpenAI client drops {@code [DONE]}, so a response left open
 * after it never ends; it loses an error event or a malformed chunk in the HTTP client (the rest of the stream goes on
 * as if nothing happened); and through the portable API a cancel cannot reach the server before the first token. The
 * request itself is the one the model would send: its configured parameters (the model's
 * {@link OpenAiStreamingChatModel#defaultRequestParameters()}), written onto OpenAI's chat-completions fields as
 * langchain4j's client writes them ({@link #body}), and the provider's base url, api key, organization, timeout and
 * proxy ({@link OpenAiEndpoint}). The model's
 * {@code ChatModelListener}s are told of every request as its own client tells them ({@link ModelListeners}): when it
 * leaves, then its answer, or its failure (a cancelled continuation as a {@link CancellationException}).
 */
final class OpenAiWireStream implements ProviderStream {

    private static final Logger LOG = Logger.getLogger(OpenAiWireStream.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The most of an error body kept for the failure (and the log). */
    private static final int MAX_ERROR_BODY = 16 * 1024;
    /**
     * How long a response the server leaves open after {@code [DONE]} is kept (at most; the idle timeout if shorter)
     * before its connection is closed: long enough for the end of the body that follows {@code [DONE]}, so the
     * connection can be used again, short enough that no connection outlives its answer by more than a moment.
     */
    static final long MAX_OPEN_RESPONSE_GRACE_MS = 500;
    /** As many concurrent requests as quarkus-langchain4j's REST client allows by default. */
    private static final int MAX_CONNECTIONS = 50;

    private final OpenAiStreamingChatModel model;
    private final OpenAiEndpoint endpoint;
    private final Vertx vertx;
    private final HttpClient client;
    private final boolean prewarmEnabled;
    private final HttpMethod prewarmMethod;
    private final long prewarmAfterIdleNanos;
    private final Duration openResponseGrace;
    private final AtomicLong lastUseNanos = new AtomicLong(Long.MIN_VALUE);

    private OpenAiWireStream(OpenAiStreamingChatModel model, OpenAiEndpoint endpoint, Vertx vertx,
            CloudContinuationConfig config) {
        this.model = model;
        this.endpoint = endpoint;
        this.vertx = vertx;
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, endpoint.connectTimeout().toMillis()))
                .setMaxPoolSize(MAX_CONNECTIONS);
        endpoint.proxy().ifPresent(options::setProxyOptions);
        this.client = vertx.createHttpClient(options);
        this.prewarmEnabled = config.prewarm();
        this.prewarmMethod = HttpMethod.valueOf(config.prewarmRequest().name());
        this.prewarmAfterIdleNanos = config.prewarmAfterIdle().toNanos();
        this.openResponseGrace = config.idleTimeout();
    }

    /**
     * The wire stream of an OpenAI-protocol model bean; empty when the bean is another kind of model, or when its
     * provider is configured with something only the provider's own client applies (then the portable API is used).
     */
    static Optional<ProviderStream> of(StreamingChatModel bean, OpenAiEndpoint.Resolved endpoint, Vertx vertx,
            CloudContinuationConfig config) {
        Object target = bean instanceof ClientProxy proxy ? proxy.arc_contextualInstance() : bean;
        if (!(target instanceof OpenAiStreamingChatModel openAi)) {
            return Optional.empty();
        }
        String unsupported = endpoint.endpoint() == null ? endpoint.unsupported()
                : unwritten(openAi.defaultRequestParameters());
        if (unsupported != null) {
            LOG.warnf("The OpenAI model is reached through the portable streaming API because %s: there, a cancelled "
                    + "handoff cannot cancel the cloud request before its first token, and an error event or a "
                    + "malformed chunk inside the stream cannot be told from a normal end", unsupported);
            return Optional.empty();
        }
        return Optional.of(new OpenAiWireStream(openAi, endpoint.endpoint(), vertx, config));
    }

    @Override
    public Multi<String> stream(ChatStreamRequest request) {
        return Multi.createFrom().emitter(emitter -> {
            lastUseNanos.set(System.nanoTime());
            OpenAiChatRequestParameters parameters = parameters(request);
            Buffer body;
            try {
                body = Buffer.buffer(JSON.writeValueAsBytes(body(request.messages(), parameters,
                        request.prefillMessageFields())));
            } catch (JsonProcessingException e) {
                emitter.fail(new CloudContinuationException(CloudContinuationException.Kind.FAILED,
                        "the continuation request could not be written", e.getOriginalMessage(), e));
                return;
            }
            ModelListeners listeners = ModelListeners.of(model, ChatRequest.builder()
                    .messages(ProviderStream.langchain4j(request.messages())).parameters(parameters).build());
            listeners.requested();
            new Exchange(emitter, listeners).send(body);
        });
    }

    private RequestOptions post(String path, String accept) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(endpoint.url(path))
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", accept)
                .putHeader("User-Agent", "quarkus-handoff")
                .putHeader("Authorization", "Bearer " + endpoint.apiKey());
        endpoint.organization().ifPresent(organization -> options.putHeader("OpenAI-Organization", organization));
        return options;
    }

    /**
     * The parameters as the model would send them: its configured ones, the plan's shape over them, and a prefill's
     * body fields added to the model's own custom parameters.
     */
    private OpenAiChatRequestParameters parameters(ChatStreamRequest request) {
        OpenAiChatRequestParameters configured = model.defaultRequestParameters();
        ChatRequestParameters parameters = configured.overrideWith(ProviderStream.parameters(request.shape()));
        if (!request.prefillParameters().isEmpty()) {
            Map<String, Object> custom = new LinkedHashMap<>();
            if (configured.customParameters() != null) {
                custom.putAll(configured.customParameters());
            }
            custom.putAll(request.prefillParameters());
            parameters = parameters.overrideWith(OpenAiChatRequestParameters.builder().customParameters(custom).build());
        }
        return parameters instanceof OpenAiChatRequestParameters p ? p
                : OpenAiChatRequestParameters.builder().overrideWith(parameters).build();
    }

    /**
     * What of the model's configured parameters {@link #body} cannot write (tools, a tool choice, a JSON schema
     * response format: nothing a continuation asks for, but the model's own client would send them), or null.
     */
    static String unwritten(OpenAiChatRequestParameters configured) {
        if (configured.toolSpecifications() != null && !configured.toolSpecifications().isEmpty()) {
            return "the model is configured with tools";
        }
        if (configured.toolChoice() != null) {
            return "the model is configured with a tool choice";
        }
        if (configured.responseFormat() != null && configured.responseFormat().jsonSchema() != null) {
            return "the model is configured with a JSON schema response format";
        }
        return null;
    }

    /**
     * The chat-completions request body: the messages (role and text), the parameters as OpenAI names them, in the
     * order and with the omissions of langchain4j's own client (an unset or empty value is left out),
     * {@code "stream": true}, the custom parameters as top-level fields, and the prefill's fields on the final
     * assistant message.
     */
    static ObjectNode body(List<ChatMessage> messages, OpenAiChatRequestParameters parameters,
            Map<String, Object> prefillMessageFields) {
        ObjectNode body = JSON.createObjectNode();
        field(body, "model", parameters.modelName());
        ArrayNode sent = body.putArray("messages");
        for (ChatMessage message : messages) {
            sent.addObject().put("role", message.role().wireName()).put("content", message.content());
        }
        field(body, "temperature", parameters.temperature());
        field(body, "top_p", parameters.topP());
        body.put("stream", true);
        // as langchain4j's streaming client asks: the last chunk reports the token usage, for the model's listeners
        body.putObject("stream_options").put("include_usage", true);
        field(body, "stop", parameters.stopSequences());
        if (parameters.maxCompletionTokens() == null) {
            field(body, "max_tokens", parameters.maxOutputTokens());
        } else {
            // a model configured with max_completion_tokens may refuse max_tokens (OpenAI's reasoning models do): the
            // plan's limit goes there instead
            field(body, "max_completion_tokens", parameters.maxOutputTokens() != null ? parameters.maxOutputTokens()
                    : parameters.maxCompletionTokens());
        }
        field(body, "presence_penalty", parameters.presencePenalty());
        field(body, "frequency_penalty", parameters.frequencyPenalty());
        field(body, "logit_bias", parameters.logitBias());
        field(body, "user", parameters.user());
        ResponseFormat format = parameters.responseFormat();
        if (format != null && format.type() == ResponseFormatType.JSON) {
            body.putObject("response_format").put("type", "json_object"); // a schema is refused by unwritten()
        }
        field(body, "seed", parameters.seed());
        field(body, "parallel_tool_calls", parameters.parallelToolCalls());
        field(body, "store", parameters.store());
        field(body, "metadata", parameters.metadata());
        field(body, "reasoning_effort", parameters.reasoningEffort());
        field(body, "service_tier", parameters.serviceTier());
        field(body, "logprobs", parameters.logprobs());
        field(body, "top_logprobs", parameters.topLogprobs());
        if (parameters.customParameters() != null) {
            parameters.customParameters().forEach((name, value) -> body.set(name, JSON.valueToTree(value)));
        }
        if (!prefillMessageFields.isEmpty() && sent.size() > 0
                && sent.get(sent.size() - 1) instanceof ObjectNode last
                && "assistant".equals(last.path("role").textValue())) {
            prefillMessageFields.forEach((name, value) -> last.set(name, JSON.valueToTree(value)));
        }
        return body;
    }

    /** Sets the field unless the value is unset or empty. */
    private static void field(ObjectNode body, String name, Object value) {
        boolean empty = value == null || value instanceof String text && text.isEmpty()
                || value instanceof Collection<?> collection && collection.isEmpty()
                || value instanceof Map<?, ?> map && map.isEmpty();
        if (!empty) {
            body.set(name, JSON.valueToTree(value));
        }
    }

    /** One streamed request, from sending it to the end of its answer. Vert.x calls it on one event loop. */
    private final class Exchange {
        private final MultiEmitter<? super String> emitter;
        private final ModelListeners listeners;
        private final ServerSentEventReader events = new ServerSentEventReader(this::onEvent);
        /** The answer so far and what the server said of it, for the model's listeners. */
        private final StringBuilder answer = new StringBuilder();
        private String finishReason;
        private String modelName;
        private TokenUsage usage;
        /** Whether the answer ended for the caller (completed, failed or cancelled): later events are ignored. */
        private final AtomicBoolean finished = new AtomicBoolean();
        private volatile HttpClientRequest request;
        private volatile boolean responseEnded;
        private boolean textSeen;
        private boolean finishReasonSeen;

        Exchange(MultiEmitter<? super String> emitter, ModelListeners listeners) {
            this.emitter = emitter;
            this.listeners = listeners;
            // the caller went away (or this exchange ended it): close what is still open
            emitter.onTermination(() -> {
                if (finished.compareAndSet(false, true)) {
                    closeConnection();
                    listeners.failed(new CancellationException("the handoff no longer needs this continuation"));
                }
            });
        }

        void send(Buffer body) {
            client.request(post("chat/completions", "text/event-stream")).onComplete(opened -> {
                if (opened.failed()) {
                    fail(CloudContinuationException.connectionFailed(opened.cause()));
                    return;
                }
                request = opened.result();
                if (finished.get()) {
                    // cancelled while the connection was being opened: nothing was sent on it, and a connection
                    // opened for a handoff that went away is not kept
                    request.connection().close();
                    return;
                }
                request.send(body).onComplete(answered -> {
                    if (answered.failed()) {
                        fail(CloudContinuationException.connectionFailed(answered.cause()));
                    } else {
                        read(answered.result());
                    }
                });
            });
        }

        private void read(HttpClientResponse response) {
            response.exceptionHandler(failure -> fail(textSeen ? CloudContinuationException.connectionLost(failure)
                    : CloudContinuationException.connectionFailed(failure)));
            if (response.statusCode() != 200) {
                Buffer error = Buffer.buffer();
                response.handler(chunk -> {
                    if (error.length() < MAX_ERROR_BODY) {
                        error.appendBuffer(chunk);
                    }
                });
                response.endHandler(ignored -> {
                    responseEnded = true;
                    fail(CloudContinuationException.httpError(response.statusCode(),
                            error.toString(StandardCharsets.UTF_8), null, RetryAfter.of(response.headers())));
                });
                return;
            }
            String type = response.getHeader("Content-Type");
            if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
                fail(new CloudContinuationException(CloudContinuationException.Kind.MALFORMED_STREAM,
                        "the cloud did not answer with an event stream", "Content-Type: " + type, null));
                return;
            }
            response.handler(chunk -> events.feed(chunk.getBytes()));
            response.endHandler(ignored -> {
                responseEnded = true;
                if (finishReasonSeen) {
                    complete(); // the answer was whole; only the end marker is missing
                } else {
                    fail(new CloudContinuationException(CloudContinuationException.Kind.TRUNCATED,
                            "the cloud's answer ended before its end marker: it was cut short",
                            "the body ended without data: [DONE]", null));
                }
            });
        }

        private void onEvent(String name, String data) {
            if (finished.get()) {
                return;
            }
            if ("[DONE]".equals(data.strip())) {
                complete();
                return;
            }
            if ("error".equals(name)) {
                fail(errorEvent(data));
                return;
            }
            JsonNode chunk;
            try {
                chunk = JSON.readTree(data);
            } catch (JsonProcessingException e) {
                chunk = null;
            }
            if (chunk == null || !chunk.isObject()) {
                fail(new CloudContinuationException(CloudContinuationException.Kind.MALFORMED_STREAM,
                        "the cloud's answer stream had an event that is not a chat completion chunk",
                        "event data: " + CloudContinuationException.oneLine(data), null));
                return;
            }
            if (chunk.hasNonNull("error")) {
                fail(errorEvent(data));
                return;
            }
            // a chunk with no choices (a usage report) carries no text
            JsonNode choice = chunk.path("choices").path(0);
            String text = choice.path("delta").path("content").textValue();
            if (chunk.hasNonNull("model")) {
                modelName = chunk.get("model").asText();
            }
            JsonNode reported = chunk.path("usage");
            if (reported.isObject()) {
                usage = new TokenUsage(count(reported, "prompt_tokens"), count(reported, "completion_tokens"),
                        count(reported, "total_tokens"));
            }
            if (text != null && !text.isEmpty()) {
                textSeen = true;
                answer.append(text);
                emitter.emit(text);
            }
            if (choice.hasNonNull("finish_reason")) {
                finishReasonSeen = true;
                finishReason = choice.get("finish_reason").asText();
            }
        }

        private static Integer count(JsonNode usage, String field) {
            return usage.path(field).isInt() ? usage.get(field).asInt() : null;
        }

        private CloudContinuationException errorEvent(String data) {
            return new CloudContinuationException(CloudContinuationException.Kind.ERROR_EVENT,
                    "the cloud reported an error in the middle of its answer",
                    "error event: " + CloudContinuationException.oneLine(data), null);
        }

        private void complete() {
            if (finished.compareAndSet(false, true)) {
                lastUseNanos.set(System.nanoTime());
                listeners.answered(answer.toString(), finishReason, modelName, usage);
                emitter.complete();
                if (!responseEnded) {
                    // the answer is whole: give the server a moment to end the response, so the connection can be
                    // used again, and close it if the server keeps it open
                    vertx.setTimer(Math.max(1, Math.min(openResponseGrace.toMillis(), MAX_OPEN_RESPONSE_GRACE_MS)),
                            ignored -> {
                                if (!responseEnded) {
                                    closeConnection();
                                }
                            });
                }
            }
        }

        /** Closes the connection unless the response ended (then it is back in the pool, in good order). */
        private void closeConnection() {
            HttpClientRequest sent = request;
            if (sent != null && !responseEnded) {
                sent.reset();
            }
        }

        /**
         * Fails the answer and closes its connection unless its response ended: a response that ended (an error status
         * with its body) leaves the connection in good order, idle in the pool for the next request (a retry). Vert.x
         * puts a connection back in the pool before it calls the response's end handler, so it cannot be closed there
         * without risking another request's.
         */
        private void fail(Throwable failure) {
            if (finished.compareAndSet(false, true)) {
                closeConnection();
                listeners.failed(failure);
                emitter.fail(failure);
            }
        }
    }

    /**
     * Sends a {@code HEAD} (or {@code OPTIONS}) request to the base url on this client: it reaches no model endpoint
     * (nothing a provider bills or logs as model use) and carries no api key, and the connection it opens (TCP and
     * TLS) stays in the pool for the continuation request, whatever the status. Skipped while the connection is known
     * to be in use or recently used.
     */
    @Override
    public void prewarm() {
        warm();
    }

    /** The pre-warm, done once its connection is back in the pool; null when skipped. */
    Future<Void> warm() {
        if (!prewarmEnabled) {
            return null;
        }
        long now = System.nanoTime();
        long last = lastUseNanos.get();
        if (last != Long.MIN_VALUE && now - last < prewarmAfterIdleNanos) {
            return null;
        }
        if (!lastUseNanos.compareAndSet(last, now)) {
            return null; // another handoff is warming it
        }
        RequestOptions options = new RequestOptions().setMethod(prewarmMethod).setAbsoluteURI(endpoint.url(""))
                .putHeader("User-Agent", "quarkus-handoff");
        return client.request(options)
                .compose(HttpClientRequest::send)
                .compose(HttpClientResponse::body)
                // the client returns the connection to the pool right after the response ended, on this event loop:
                // one turn later it is there
                .compose(ignored -> {
                    Promise<Void> pooled = Promise.promise();
                    vertx.getOrCreateContext().runOnContext(turn -> pooled.complete());
                    return pooled.future();
                })
                .onFailure(error -> LOG.debugf("connection pre-warm failed: %s", error.toString()));
    }

    @Override
    public boolean cancelsBeforeFirstToken() {
        return true;
    }

    @Override
    public String describe() {
        return "OpenAI protocol (own event-stream client, cancellable)";
    }

    @Override
    public void close() {
        client.close();
    }
}
