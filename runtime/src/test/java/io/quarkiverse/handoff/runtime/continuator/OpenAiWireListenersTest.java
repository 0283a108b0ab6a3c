package io.quarkiverse.handoff.runtime.continuator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.ChatStream;
import io.quarkiverse.handoff.ChatStreamRequest;
import io.quarkiverse.handoff.policy.CloudRequest;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.http.HttpServerRequest;

/**
 * The extension sends OpenAI-protocol continuation requests with its own client, and still tells the model's
 * {@link ChatModelListener}s of each one, as the model's own client would (quarkus-langchain4j's metrics and tracing
 * are such listeners, and so are the application's): when it leaves, then its answer, its failure, or its cancellation.
 * Against a real HTTP server on 127.0.0.1.
 */
class OpenAiWireListenersTest {

    private OpenAiTestServer server;
    private volatile String script;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<Object> contexts = new CopyOnWriteArrayList<>();

    /** Records each call, and breaks on requests to show that a failing listener changes nothing. */
    private final ChatModelListener recorder = new ChatModelListener() {
        @Override
        public void onRequest(ChatModelRequestContext context) {
            calls.add("request");
            contexts.add(context);
            context.attributes().put("started", true);
        }

        @Override
        public void onResponse(ChatModelResponseContext context) {
            calls.add("response");
            contexts.add(context);
        }

        @Override
        public void onError(ChatModelErrorContext context) {
            calls.add("error");
            contexts.add(context);
        }
    };
    private final ChatModelListener broken = new ChatModelListener() {
        @Override
        public void onRequest(ChatModelRequestContext context) {
            throw new IllegalStateException("a listener bug");
        }
    };

    @BeforeEach
    void start() throws Exception {
        server = new OpenAiTestServer(this::answer);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void answer(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            if (script == null) {
                // a first chunk, then nothing: the client cancels
                request.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                        .write("data: {\"model\":\"gpt-test\",\"choices\":[{\"delta\":{\"content\":\" Ada\"}}]}\n\n");
            } else if (script.startsWith("HTTP ")) {
                request.response().setStatusCode(Integer.parseInt(script.substring(5))).end("{\"error\":\"busy\"}");
            } else {
                request.response().putHeader("Content-Type", "text/event-stream").end(script);
            }
        });
    }

    private ChatStream stream() {
        OpenAiStreamingChatModel model = OpenAiTestServer.model().apiKey("test")
                .baseUrl("http://127.0.0.1:9/v1").modelName("gpt-test").listeners(List.of(broken, recorder)).build();
        return server.stream(model, OpenAiWireStreamTest.CONFIG);
    }

    private AssertSubscriber<String> ask(ChatStream stream) {
        return stream.stream(new ChatStreamRequest(List.of(ChatMessage.user("What is my name?")),
                new CloudRequest(50, null, List.of()))).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    }

    @Test
    void theListenersSeeTheRequestThenItsWholeAnswer() {
        script = "data: {\"model\":\"gpt-test\",\"choices\":[{\"delta\":{\"content\":\" Ada\"}}]}\n\n"
                + "data: {\"model\":\"gpt-test\",\"choices\":[{\"delta\":{\"content\":\".\"},"
                + "\"finish_reason\":\"stop\"}]}\n\n"
                // the usage report the request asks for (stream_options.include_usage): a chunk with no choices
                + "data: {\"model\":\"gpt-test\",\"choices\":[],\"usage\":{\"prompt_tokens\":31,"
                + "\"completion_tokens\":2,\"total_tokens\":33}}\n\n"
                + "data: [DONE]\n\n";

        AssertSubscriber<String> answer = ask(stream()).awaitCompletion(Duration.ofSeconds(10));

        assertThat(answer.getItems()).containsExactly(" Ada", ".");
        assertThat(calls).containsExactly("request", "response");
        ChatModelRequestContext request = (ChatModelRequestContext) contexts.get(0);
        assertThat(((UserMessage) request.chatRequest().messages().get(0)).singleText()).isEqualTo("What is my name?");
        assertThat(request.chatRequest().parameters().maxOutputTokens()).isEqualTo(50);
        ChatModelResponseContext response = (ChatModelResponseContext) contexts.get(1);
        assertThat(response.chatResponse().aiMessage().text()).isEqualTo(" Ada.");
        assertThat(response.chatResponse().finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(response.chatResponse().modelName()).isEqualTo("gpt-test");
        assertThat(response.chatResponse().tokenUsage()).isEqualTo(new TokenUsage(31, 2, 33));
        assertThat(response.chatRequest()).isSameAs(request.chatRequest());
        assertThat(response.attributes()).as("shared by the calls of one request").containsEntry("started", true);
    }

    @Test
    void theListenersSeeAFailure() {
        script = "HTTP 503";

        ask(stream()).awaitFailure(Duration.ofSeconds(10));

        assertThat(calls).containsExactly("request", "error");
        ChatModelErrorContext error = (ChatModelErrorContext) contexts.get(1);
        assertThat(error.error()).isInstanceOf(CloudContinuationException.class);
        assertThat(((CloudContinuationException) error.error()).code()).isEqualTo("http-error");
    }

    @Test
    void theListenersSeeACancellation() {
        script = null;
        AssertSubscriber<String> answer = ask(stream());
        answer.awaitItems(1, Duration.ofSeconds(10));

        answer.cancel();

        await().atMost(Duration.ofSeconds(10)).until(() -> calls.size() == 2);
        assertThat(calls).containsExactly("request", "error");
        assertThat(((ChatModelErrorContext) contexts.get(1)).error()).isInstanceOf(CancellationException.class);
    }
}
