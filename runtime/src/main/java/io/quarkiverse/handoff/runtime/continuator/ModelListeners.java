package io.quarkiverse.handoff.runtime.continuator;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;

/**
 * A model's {@link ChatModelListener}s (the application's, and those quarkus-langchain4j registers for metrics and
 * tracing), told of one continuation request that the extension sends itself, as the model's own client tells them of
 * its requests: once when it leaves, then once when it is answered or fails. A listener that throws is logged and
 * does not affect the continuation.
 */
final class ModelListeners {

    private static final Logger LOG = Logger.getLogger(ModelListeners.class);

    private final List<ChatModelListener> listeners;
    private final ChatRequest request;
    private final ModelProvider provider;
    /** Shared by the calls of one request, as langchain4j shares them: a listener may keep its own state there. */
    private final Map<Object, Object> attributes = new ConcurrentHashMap<>();

    private ModelListeners(List<ChatModelListener> listeners, ChatRequest request, ModelProvider provider) {
        this.listeners = listeners;
        this.request = request;
        this.provider = provider;
    }

    /** The listeners of this model for this request; none when the model has none. */
    static ModelListeners of(StreamingChatModel model, ChatRequest request) {
        List<ChatModelListener> listeners = model.listeners();
        return new ModelListeners(listeners == null ? List.of() : List.copyOf(listeners), request, model.provider());
    }

    void requested() {
        ChatModelRequestContext context = new ChatModelRequestContext(request, provider, attributes);
        notify(listener -> listener.onRequest(context));
    }

    /**
     * The whole answer: its text, the server's finish reason ({@code stop}, {@code length}, ...), model and token usage
     * (null when the server reported none).
     */
    void answered(String text, String finishReason, String modelName, TokenUsage usage) {
        ChatResponse response = ChatResponse.builder().aiMessage(AiMessage.from(text))
                .finishReason(finishReason(finishReason)).modelName(modelName).tokenUsage(usage).build();
        ChatModelResponseContext context = new ChatModelResponseContext(response, request, provider, attributes);
        notify(listener -> listener.onResponse(context));
    }

    void failed(Throwable failure) {
        ChatModelErrorContext context = new ChatModelErrorContext(failure, request, provider, attributes);
        notify(listener -> listener.onError(context));
    }

    private void notify(Consumer<ChatModelListener> call) {
        for (ChatModelListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warnf("The ChatModelListener %s failed on a continuation request: %s", listener.getClass().getName(),
                        e.toString());
            }
        }
    }

    private static FinishReason finishReason(String reason) {
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case "stop" -> FinishReason.STOP;
            case "length" -> FinishReason.LENGTH;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            case "tool_calls", "function_call" -> FinishReason.TOOL_EXECUTION;
            default -> FinishReason.OTHER;
        };
    }
}
