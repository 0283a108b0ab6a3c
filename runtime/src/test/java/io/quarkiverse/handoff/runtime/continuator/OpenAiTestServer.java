package io.quarkiverse.handoff.runtime.continuator;

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
        return (OpenAiWireStream) OpenAiWireStream.of(model,
                OpenAiWireStreamTest.resolved("http://127.0.0.1:" + server.actualPort() + "/v1/", "sk-test"), vertx,
                config).orElseThrow();
    }

    /**
     * A builder of langchain4j's own OpenAI model: {@code OpenAiStreamingChatModel.builder()} hands out
     * quarkus-langchain4j's (on the classpath for its configuration), which builds only inside a Quarkus application.
     */
    static OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder model() {
        return new OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
