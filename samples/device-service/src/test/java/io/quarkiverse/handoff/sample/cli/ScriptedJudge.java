package io.quarkiverse.handoff.sample.cli;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A judge model for tests: a real HTTP server on 127.0.0.1 answering OpenAI chat completions (not streamed) with
 * scripted answers, one per request in order, and recording every request it answered with its authorization header.
 */
final class ScriptedJudge implements AutoCloseable {

    /**
     * One scripted answer: the completion's message content with HTTP 200, an HTTP error, or no answer at all (the
     * connection closed, as a server closes a kept-alive connection).
     */
    record Answer(int status, String text) {
        static final int DROP = 0;

        static Answer dropConnection() {
            return new Answer(DROP, "");
        }

        static Answer content(String content) {
            return new Answer(200, content);
        }

        static Answer httpError(int status, String message) {
            return new Answer(status, message);
        }
    }

    /** A request as the judge received it. */
    record Received(JsonObject body, String authorization, String path) {
        String system() {
            return message("system");
        }

        String user() {
            return message("user");
        }

        private String message(String role) {
            for (Object m : body.getJsonArray("messages")) {
                JsonObject message = (JsonObject) m;
                if (role.equals(message.getString("role"))) {
                    return message.getString("content");
                }
            }
            return null;
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final Queue<Answer> script;
    private final Answer otherwise;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    /**
     * @param script the answers to the first requests, in order
     * @param otherwise the answer to every request after them
     */
    ScriptedJudge(List<Answer> script, Answer otherwise) throws Exception {
        this.script = new ConcurrentLinkedQueue<>(script);
        this.otherwise = otherwise;
        server = vertx.createHttpServer().requestHandler(this::handle);
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            Answer answer = script.isEmpty() ? otherwise : script.poll();
            if (answer.status() == Answer.DROP) {
                request.connection().close();
                return;
            }
            received.add(new Received(body.toJsonObject(), request.getHeader("Authorization"), request.path()));
            if (answer.status() != 200) {
                request.response().setStatusCode(answer.status()).putHeader("content-type", "application/json")
                        .end(new JsonObject().put("error", new JsonObject().put("message", answer.text())
                                .put("type", "server_error")).encode());
                return;
            }
            JsonObject completion = new JsonObject().put("id", "chatcmpl-judge").put("object", "chat.completion")
                    .put("model", "scripted-judge").put("choices", new JsonArray().add(new JsonObject()
                            .put("index", 0).put("finish_reason", "stop")
                            .put("message", new JsonObject().put("role", "assistant").put("content", answer.text()))));
            request.response().putHeader("content-type", "application/json").end(completion.encode());
        });
    }

    /** The base URL to pass as --judge-url, as OpenAI base URLs are written. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1";
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
