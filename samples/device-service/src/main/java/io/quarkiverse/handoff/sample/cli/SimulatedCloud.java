package io.quarkiverse.handoff.sample.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A simulated cloud model for {@code bench}: a real HTTP server on 127.0.0.1 speaking the OpenAI chat-completions
 * protocol ({@code POST /v1/chat/completions}, streamed as {@code chat.completion.chunk} Server-Sent Events or not),
 * whose first token comes after a configurable latency and whose reply then streams at a steady rate of words per
 * second, as a hosted model does. Any other path answers 404 with an OpenAI error body (the continuator's connection
 * pre-warm expects exactly that).
 */
final class SimulatedCloud implements AutoCloseable {

    /** The api key the application is configured with: the simulated cloud accepts any. */
    static final String API_KEY = "simulated-cloud";

    /** What the simulated model answers, whatever it was asked: a reply to the bench's default question. */
    static final String REPLY = " sunlight is made of every colour, and the air scatters the short blue waves far "
            + "more than the long red ones. That scattered blue light reaches your eyes from every direction, so the "
            + "whole sky looks blue. At sunset the light crosses much more air, the blue is scattered away, and the "
            + "reds and oranges are left.";

    private static volatile SimulatedCloud running;

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final AtomicInteger chatRequests = new AtomicInteger();
    private volatile long firstTokenLatencyMs;
    private volatile double wordsPerSecond = 30;

    private SimulatedCloud() {
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            if (!request.path().endsWith("/chat/completions")) {
                request.response().setStatusCode(404).putHeader("content-type", "application/json")
                        .end(error("not found on the simulated cloud: " + request.path()).encode());
                return;
            }
            chatRequests.incrementAndGet();
            boolean stream;
            try {
                stream = body.toJsonObject().getBoolean("stream", false);
            } catch (RuntimeException e) {
                request.response().setStatusCode(400).putHeader("content-type", "application/json")
                        .end(error("the body is not a JSON chat request").encode());
                return;
            }
            answer(request, stream);
        }));
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("cannot start the simulated cloud on 127.0.0.1: " + CliErrors.message(e));
        }
    }

    /** Starts the simulated cloud of this process; {@link #running()} returns it until it is closed. */
    static SimulatedCloud start() {
        SimulatedCloud cloud = new SimulatedCloud();
        running = cloud;
        return cloud;
    }

    /** The simulated cloud started by {@link DeviceServiceMain} for {@code bench}, or null. */
    static SimulatedCloud running() {
        return running;
    }

    /** The configuration that points the application's quarkus-langchain4j OpenAI provider at this server. */
    Map<String, String> applicationConfig() {
        return Map.of("quarkus.langchain4j.openai.base-url", baseUrl(),
                "quarkus.langchain4j.openai.api-key", API_KEY);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort() + "/v1/";
    }

    void firstTokenLatency(Duration latency) {
        this.firstTokenLatencyMs = latency.toMillis();
    }

    void wordsPerSecond(double rate) {
        this.wordsPerSecond = rate;
    }

    /** How many chat requests it received. */
    int chatRequests() {
        return chatRequests.get();
    }

    /** The reply cut into the pieces one chunk carries: a word with its leading space. */
    static List<String> pieces(String text) {
        return List.of(text.split("(?=\\s)"));
    }

    private void answer(HttpServerRequest request, boolean stream) {
        HttpServerResponse response = request.response();
        List<String> pieces = pieces(REPLY);
        long latency = firstTokenLatencyMs;
        long interval = Math.max(1, Math.round(1000 / wordsPerSecond));
        List<Long> timers = new ArrayList<>();
        response.closeHandler(ignored -> timers.forEach(vertx::cancelTimer));
        if (!stream) {
            timers.add(vertx.setTimer(Math.max(1, latency + interval * (pieces.size() - 1)),
                    t -> response.putHeader("content-type", "application/json").end(completion(REPLY).encode())));
            return;
        }
        // the headers go at once, as a hosted model sends them; the first token comes after the latency
        response.setChunked(true).putHeader("content-type", "text/event-stream");
        response.write(event(chunk(new JsonObject().put("role", "assistant").put("content", ""), null)));
        for (int i = 0; i < pieces.size(); i++) {
            String piece = pieces.get(i);
            boolean last = i == pieces.size() - 1;
            timers.add(vertx.setTimer(Math.max(1, latency + interval * i), t -> {
                if (response.closed() || response.ended()) {
                    return;
                }
                response.write(event(chunk(new JsonObject().put("content", piece), null)));
                if (last) {
                    response.write(event(chunk(new JsonObject(), "stop")));
                    response.end("data: [DONE]\n\n");
                }
            }));
        }
    }

    private static String event(JsonObject data) {
        return "data: " + data.encode() + "\n\n";
    }

    private static JsonObject chunk(JsonObject delta, String finishReason) {
        return new JsonObject().put("id", "chatcmpl-simulated").put("object", "chat.completion.chunk")
                .put("created", System.currentTimeMillis() / 1000).put("model", "simulated-cloud")
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
                        .put("finish_reason", finishReason)));
    }

    private static JsonObject completion(String text) {
        int words = pieces(text).size();
        return new JsonObject().put("id", "chatcmpl-simulated").put("object", "chat.completion")
                .put("created", System.currentTimeMillis() / 1000).put("model", "simulated-cloud")
                .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                        .put("message", new JsonObject().put("role", "assistant").put("content", text))
                        .put("finish_reason", "stop")))
                .put("usage", new JsonObject().put("prompt_tokens", 0).put("completion_tokens", words)
                        .put("total_tokens", words));
    }

    private static JsonObject error(String message) {
        return new JsonObject().put("error",
                new JsonObject().put("message", message).put("type", "invalid_request_error"));
    }

    @Override
    public void close() {
        if (running == this) {
            running = null;
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // closing on exit: nothing is left to serve
        }
    }
}
