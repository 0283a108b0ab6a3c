package io.quarkiverse.handoff.runtime.continuator;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.ChatStreamRequest;
import io.quarkiverse.handoff.policy.CloudRequest;
import io.quarkiverse.handoff.runtime.continuator.CloudContinuationConfig.PrewarmRequest;
import io.vertx.core.http.HttpServerRequest;

/**
 * The connection pre-warm against a real HTTP server on 127.0.0.1 that records every request it gets: the warm-up
 * reaches no model endpoint and carries no api key, and the continuation request then leaves on the connection it
 * opened.
 */
class OpenAiWireStreamPrewarmTest {

    /** One request as the server saw it. */
    record Seen(String method, String path, int clientPort, String authorization) {
    }

    private OpenAiTestServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new OpenAiTestServer(this::answer);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private void answer(HttpServerRequest request) {
        seen.add(new Seen(request.method().name(), request.path(), request.connection().remoteAddress().port(),
                request.getHeader("Authorization")));
        if (request.path().endsWith("/chat/completions")) {
            request.response().putHeader("Content-Type", "text/event-stream")
                    .end("data: {\"choices\":[{\"delta\":{\"content\":\"warm\"}}]}\n\ndata: [DONE]\n\n");
        } else {
            // what a provider answers on its base url: nothing there
            request.response().setStatusCode(404).end();
        }
    }

    static CloudContinuationConfig config(boolean prewarm, PrewarmRequest request) {
        return (CloudContinuationConfig) Proxy.newProxyInstance(
                OpenAiWireStreamPrewarmTest.class.getClassLoader(), new Class<?>[] { CloudContinuationConfig.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "prewarm" -> prewarm;
                    case "prewarmRequest" -> request;
                    case "prewarmAfterIdle" -> Duration.ofSeconds(20);
                    case "idleTimeout" -> Duration.ofSeconds(10);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private OpenAiWireStream stream(CloudContinuationConfig config) {
        return server.stream(OpenAiWireStreamTest.OPENAI, config);
    }

    private static List<String> continueWith(OpenAiWireStream stream) {
        return stream.stream(new ChatStreamRequest(List.of(ChatMessage.user("hello")), CloudRequest.PROVIDER_DEFAULTS))
                .collect().asList().await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void theWarmUpIsAHeadOnTheBaseUrlAndTheContinuationReusesItsConnection() throws Exception {
        OpenAiWireStream stream = stream(config(true, PrewarmRequest.HEAD));
        stream.warm().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(continueWith(stream)).containsExactly("warm");
        stream.close();

        assertThat(seen).extracting(Seen::method, Seen::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("HEAD", "/v1/"),
                        org.assertj.core.groups.Tuple.tuple("POST", "/v1/chat/completions"));
        assertThat(seen.get(0).authorization()).as("the warm-up carries no api key").isNull();
        assertThat(seen.get(1).authorization()).isEqualTo("Bearer sk-test");
        assertThat(seen.get(1).clientPort()).as("the continuation left on the warmed connection")
                .isEqualTo(seen.get(0).clientPort());
    }

    @Test
    void optionsIsTheOtherWarmUp() throws Exception {
        OpenAiWireStream stream = stream(config(true, PrewarmRequest.OPTIONS));
        stream.warm().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        stream.close();
        assertThat(seen).extracting(Seen::method, Seen::path)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("OPTIONS", "/v1/"));
    }

    @Test
    void turnedOffNothingIsSentBeforeTheContinuation() {
        OpenAiWireStream stream = stream(config(false, PrewarmRequest.HEAD));
        assertThat(stream.warm()).isNull();
        stream.prewarm();
        assertThat(continueWith(stream)).containsExactly("warm");
        stream.close();
        assertThat(seen).extracting(Seen::method).containsExactly("POST");
    }

    @Test
    void aRecentlyUsedConnectionIsNotWarmedAgain() throws Exception {
        OpenAiWireStream stream = stream(config(true, PrewarmRequest.HEAD));
        assertThat(continueWith(stream)).containsExactly("warm");
        assertThat(stream.warm()).as("used less than prewarm-after-idle ago").isNull();
        stream.close();
        assertThat(seen).extracting(Seen::method).containsExactly("POST");
    }
}
