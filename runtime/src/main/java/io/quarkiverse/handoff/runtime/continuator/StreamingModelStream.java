package io.quarkiverse.handoff.runtime.continuator;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.quarkiverse.handoff.ChatStreamRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Streams through the portable {@link StreamingChatModel} API, for any quarkus-langchain4j provider. Cancellation goes
 * through the {@link StreamingHandle} the provider hands out with each partial response: it can only reach the server
 * once the first partial response arrived (a cancel before that is applied on the first partial response), and only
 * where the provider's handle really cancels. The request is made on a worker thread: some providers' HTTP clients
 * read the whole response on the calling thread when it may block (quarkus-langchain4j's REST client does), which
 * would hold the subscriber past every deadline.
 */
final class StreamingModelStream implements ProviderStream {

    private static final Logger LOG = Logger.getLogger(StreamingModelStream.class);

    private final StreamingChatModel model;
    /** Where the request is made: the worker pool, a test's own executor. */
    private final Executor requests;
    private final AtomicBoolean prefillWarned = new AtomicBoolean();

    StreamingModelStream(StreamingChatModel model) {
        this(model, Infrastructure.getDefaultWorkerPool());
    }

    StreamingModelStream(StreamingChatModel model, Executor requests) {
        this.model = model;
        this.requests = requests;
    }

    @Override
    public Multi<String> stream(ChatStreamRequest request) {
        boolean prefillFields = !request.prefillParameters().isEmpty() || !request.prefillMessageFields().isEmpty();
        if (prefillFields && prefillWarned.compareAndSet(false, true)) {
            LOG.warnf("quarkus.handoff.continuator.prefill-parameters %s and prefill-message-fields %s are ignored: "
                    + "the model %s is not reached over the OpenAI protocol, whose requests they extend; configure "
                    + "the prefill behaviour on the provider instead (for Mistral, use its OpenAI-compatible "
                    + "endpoint, see docs/continuator.md)",
                    request.prefillParameters().keySet(), request.prefillMessageFields().keySet(),
                    model.getClass().getName());
        }
        ChatRequest chatRequest = ChatRequest.builder().messages(ProviderStream.langchain4j(request.messages()))
                .parameters(ProviderStream.parameters(request.shape())).build();
        return Multi.createFrom().<String> emitter(emitter -> {
            AtomicReference<StreamingHandle> handle = new AtomicReference<>();
            AtomicBoolean cancelled = new AtomicBoolean();
            emitter.onTermination(() -> {
                cancelled.set(true);
                StreamingHandle h = handle.get();
                if (h != null && !h.isCancelled()) {
                    h.cancel();
                }
            });
            if (emitter.isCancelled()) {
                // cancelled while the request waited for a worker: it must not leave at all
                return;
            }
            model.chat(chatRequest, new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                    handle.set(context.streamingHandle());
                    if (cancelled.get()) {
                        context.streamingHandle().cancel();
                        return;
                    }
                    if (partial.text() != null && !partial.text().isEmpty()) {
                        emitter.emit(partial.text());
                    }
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    emitter.complete();
                }

                @Override
                public void onError(Throwable error) {
                    emitter.fail(error);
                }
            });
        }).runSubscriptionOn(requests);
    }

    @Override
    public void prewarm() {
        // the portable API has no way to open a connection without a chat request
    }

    @Override
    public boolean cancelsBeforeFirstToken() {
        return false;
    }

    @Override
    public String describe() {
        return model.getClass().getSimpleName() + " (portable streaming API)";
    }
}
