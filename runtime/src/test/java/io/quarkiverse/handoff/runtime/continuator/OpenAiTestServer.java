package io.quarkiverse.handoff.runtime.continuator;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * An OpenAI-protocol server on 127.0.0.1 that answers with the test's own handler, and the extension's OpenAI wire
 * stream pointed at it: what the wire-stream tests share.
 */
final class OpenAiTestServer implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    OpenAiTestServer(Handler<HttpServerRequest> handler) throws Exception {
        server = vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** The wire stream of this model, with this configuration, to this server (api key {@code sk-test}). */
    OpenAiWireStream stream(OpenAiStreamingChatModel model, CloudContinuationConfig config) {
        String baseUrl = "http://127.0.0.1:" + server.actualPort() + "/v1";
        return (OpenAiWireStream) OpenAiWireStream.of(model,
                OpenAiWireStreamTest.resolved(Map.of("quarkus.langchain4j.openai.base-url", baseUrl,
                        "quarkus.langchain4j.openai.api-key", "sk-test")),
                vertx, config).orElseThrow();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
