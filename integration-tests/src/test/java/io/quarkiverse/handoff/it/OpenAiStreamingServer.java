package io.quarkiverse.handoff.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A real HTTP server speaking the OpenAI chat-completions streaming protocol on 127.0.0.1, for tests: it records every
 * request body and streams back the scripted continuation as {@code chat.completion.chunk} Server-Sent Events.
 */
public final class OpenAiStreamingServer implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<JsonObject> requests = new CopyOnWriteArrayList<>();
    private volatile List<String> script = List.of(" default continuation.");
    private volatile int failureStatus;

    public OpenAiStreamingServer() {
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            if (!request.path().endsWith("/chat/completions")) {
                request.response().setStatusCode(404).end();
                return;
            }
            JsonObject json = body.toJsonObject();
            requests.add(json);
            if (failureStatus > 0) {
                request.response().setStatusCode(failureStatus).putHeader("content-type", "application/json")
                        .end("{\"error\":{\"message\":\"scripted failure\",\"type\":\"server_error\"}}");
                return;
            }
            if (json.getBoolean("stream", false)) {
                stream(request.response(), script);
            } else {
                request.response().putHeader("content-type", "application/json").end(completion(String.join("", script))
                        .encode());
            }
        }));
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the OpenAI test server", e);
        }
    }

    /** The base url to configure as {@code quarkus.langchain4j.openai.base-url}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1/";
    }

    /** The deltas the next streamed responses send, in order. */
    public void script(List<String> deltas) {
        this.script = List.copyOf(deltas);
    }

    /** Answers every request with this HTTP status instead of a completion (0 to stop failing). */
    public void failWith(int status) {
        this.failureStatus = status;
    }

    public List<JsonObject> requests() {
        return List.copyOf(requests);
    }

    public void reset() {
        requests.clear();
        failureStatus = 0;
    }

    private static void stream(HttpServerResponse response, List<String> deltas) {
        response.setChunked(true).putHeader("content-type", "text/event-stream");
        response.write(event(chunk(new JsonObject().put("role", "assistant").put("content", ""), null)));
        for (String delta : deltas) {
            response.write(event(chunk(new JsonObject().put("content", delta), null)));
        }
        response.write(event(chunk(new JsonObject(), "stop")));
        response.end("data: [DONE]\n\n");
    }

    private static String event(JsonObject data) {
        return "data: " + data.encode() + "\n\n";
    }

    private static JsonObject chunk(JsonObject delta, String finishReason) {
        return new JsonObject().put("id", "chatcmpl-test").put("object", "chat.completion.chunk")
                .put("created", 1).put("model", "test-model")
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
                        .put("finish_reason", finishReason)));
    }

    private static JsonObject completion(String text) {
        return new JsonObject().put("id", "chatcmpl-test").put("object", "chat.completion").put("created", 1)
                .put("model", "test-model")
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("message", new JsonObject().put("role", "assistant").put("content", text))
                        .put("finish_reason", "stop")))
                .put("usage", new JsonObject().put("prompt_tokens", 1).put("completion_tokens", 1)
                        .put("total_tokens", 2));
    }

    @Override
    public void close() {
        server.close();
        vertx.close();
    }
}
