package io.quarkiverse.handoff.runtime.continuator;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.openai.internal.OpenAiClient;
import dev.langchain4j.model.openai.internal.OpenAiUtils;
import dev.langchain4j.model.openai.internal.ResponseHandle;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionChoice;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionRequest;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionResponse;
import dev.langchain4j.model.openai.internal.embedding.EmbeddingRequest;
import io.quarkus.arc.ClientProxy;
import io.smallrye.mutiny.Multi;

/**
 * Streams from a quarkus-langchain4j OpenAI-protocol model through the model's own HTTP client, keeping the request's
 * handle so that cancelling closes the HTTP connection, also before the first token.
 * <p>
 * Why not the portable API: {@link OpenAiStreamingChatModel#doChat} discards the request's handle, and the Quarkus
 * OpenAI client gives each partial response a handle whose {@code cancel()} does nothing, so through the portable API
 * a cancelled handoff would leave the cloud generating. This class builds the same request the model builds (the
 * model's configured parameters, langchain4j's own request mapping) and sends it with the same client, read from the
 * model. The model's {@code ChatModelListener}s are not notified of these requests.
 */
final class OpenAiWireStream implements ChatStream {

    private static final Logger LOG = Logger.getLogger(OpenAiWireStream.class);
    /** An embedding model name no server has: the pre-warm request is rejected without any work. */
    static final String PREWARM_MODEL = "handoff-connection-prewarm";

    private final OpenAiStreamingChatModel model;
    private final OpenAiClient client;
    private final boolean prewarmEnabled;
    private final long prewarmAfterIdleNanos;
    private final AtomicLong lastUseNanos = new AtomicLong(Long.MIN_VALUE);

    private OpenAiWireStream(OpenAiStreamingChatModel model, OpenAiClient client, boolean prewarm,
            Duration prewarmAfterIdle) {
        this.model = model;
        this.client = client;
        this.prewarmEnabled = prewarm;
        this.prewarmAfterIdleNanos = prewarmAfterIdle.toNanos();
    }

    /** The wire stream of an OpenAI-protocol model bean, or empty when the bean is another kind of model. */
    static Optional<ChatStream> of(StreamingChatModel bean, boolean prewarm, Duration prewarmAfterIdle) {
        Object target = bean instanceof ClientProxy proxy ? proxy.arc_contextualInstance() : bean;
        if (!(target instanceof OpenAiStreamingChatModel openAi)) {
            return Optional.empty();
        }
        try {
            Field field = OpenAiStreamingChatModel.class.getDeclaredField("client");
            field.setAccessible(true);
            OpenAiClient client = (OpenAiClient) field.get(openAi);
            if (client == null) {
                throw new IllegalStateException("the model has no client");
            }
            return Optional.of(new OpenAiWireStream(openAi, client, prewarm, prewarmAfterIdle));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("Cannot reach the HTTP client of the OpenAI model (%s): continuing through the portable "
                    + "streaming API, where cancelling a handoff cannot cancel the cloud request before its first "
                    + "token. Is the langchain4j-open-ai version the one quarkus-langchain4j was built with?", e);
            return Optional.empty();
        }
    }

    @Override
    public Multi<String> stream(List<ChatMessage> messages, Map<String, Object> extraBody) {
        return Multi.createFrom().emitter(emitter -> {
            lastUseNanos.set(System.nanoTime());
            ChatCompletionRequest request = request(messages, extraBody);
            AtomicReference<ResponseHandle> handle = new AtomicReference<>();
            AtomicBoolean finished = new AtomicBoolean();
            AtomicBoolean cancelled = new AtomicBoolean();
            emitter.onTermination(() -> {
                if (finished.compareAndSet(false, true)) {
                    cancelled.set(true);
                    ResponseHandle h = handle.get();
                    if (h != null) {
                        h.cancel();
                    }
                }
            });
            ResponseHandle h = client.chatCompletion(request)
                    .onPartialResponse(chunk -> {
                        String text = text(chunk);
                        if (text != null && !text.isEmpty()) {
                            emitter.emit(text);
                        }
                    })
                    .onComplete(() -> {
                        lastUseNanos.set(System.nanoTime());
                        if (finished.compareAndSet(false, true)) {
                            emitter.complete();
                        }
                    })
                    .onError(error -> {
                        if (finished.compareAndSet(false, true)) {
                            emitter.fail(error);
                        }
                    })
                    .execute();
            handle.set(h);
            if (cancelled.get()) {
                h.cancel();
            }
        });
    }

    private ChatCompletionRequest request(List<ChatMessage> messages, Map<String, Object> extraBody) {
        ChatRequestParameters parameters = model.defaultRequestParameters();
        if (!extraBody.isEmpty()) {
            parameters = parameters.overrideWith(OpenAiChatRequestParameters.builder()
                    .customParameters(extraBody).build());
        }
        OpenAiChatRequestParameters openAiParameters = parameters instanceof OpenAiChatRequestParameters p ? p
                : OpenAiChatRequestParameters.builder().overrideWith(parameters).build();
        ChatRequest chatRequest = ChatRequest.builder().messages(messages).parameters(openAiParameters).build();
        return OpenAiUtils.toOpenAiChatRequest(chatRequest, openAiParameters, false, null, false, false)
                .stream(true)
                .build();
    }

    private static String text(ChatCompletionResponse chunk) {
        if (chunk == null || chunk.choices() == null || chunk.choices().isEmpty()) {
            return null;
        }
        ChatCompletionChoice choice = chunk.choices().get(0);
        return choice.delta() == null ? null : choice.delta().content();
    }

    /**
     * Sends a request that every OpenAI-protocol server rejects at once (an embedding with no input for a model that
     * does not exist) through the model's own client: the connection it opens (TCP and TLS) stays in the client's
     * pool for the continuation request. Skipped while the connection is known to be in use or recently used.
     */
    @Override
    public void prewarm() {
        if (!prewarmEnabled) {
            return;
        }
        long now = System.nanoTime();
        long last = lastUseNanos.get();
        if (last != Long.MIN_VALUE && now - last < prewarmAfterIdleNanos) {
            return;
        }
        if (!lastUseNanos.compareAndSet(last, now)) {
            return; // another handoff is warming it
        }
        try {
            client.embedding(EmbeddingRequest.builder().model(PREWARM_MODEL).input(List.of()).build())
                    .onResponse(response -> {
                    })
                    .onError(error -> LOG.debugf("connection pre-warm answered: %s", error.toString()))
                    .execute();
        } catch (RuntimeException e) {
            LOG.debugf("connection pre-warm failed: %s", e.toString());
        }
    }

    @Override
    public boolean cancelsBeforeFirstToken() {
        return true;
    }

    @Override
    public String describe() {
        return "OpenAI protocol (model client, cancellable)";
    }
}
