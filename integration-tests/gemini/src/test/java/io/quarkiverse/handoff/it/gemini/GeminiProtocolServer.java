package io.quarkiverse.handoff.it.gemini;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A real HTTP server on 127.0.0.1 speaking the Gemini API's streaming protocol, as langchain4j's Gemini client (under
 * quarkus-langchain4j-ai-gemini) uses it: {@code POST {base-url}/models/{model}:streamGenerateContent?alt=sse} with the
 * api key in {@code x-goog-api-key} and a {@code GenerateContentRequest} body ({@code systemInstruction},
 * {@code contents} of {@code user} and {@code model} turns, {@code generationConfig}), answered with Server-Sent Events
 * whose data are {@code GenerateContentResponse} chunks: each a candidate with the next text part, the last one with
 * {@code finishReason: STOP} and the usage. Gemini ends the stream by ending the response; it sends no {@code [DONE]}.
 * <p>
 * It records every request (path, query, api key, body) and every client that went away while its response was still
 * streaming.
 */
final class GeminiProtocolServer implements AutoCloseable {

    /** One request as the server received it. */
    record Request(String path, String query, String apiKey, JsonObject body) {
    }

    /** A client that went away while its response was still streaming. */
    record Disconnect(String path) {
    }

    private static final Pattern MODEL_PATH = Pattern.compile("/v1beta/models/([^/:]+):streamGenerateContent");

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final int port;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Disconnect> disconnects = new CopyOnWriteArrayList<>();
    private final Queue<Script> next = new ConcurrentLinkedQueue<>();

    /** The text parts to stream, one chunk each, {@code delayMs} apart; or held open after them until released. */
    private record Script(List<String> parts, long delayMs, boolean hold) {
    }

    /** The response held open by {@link #thenHold(List)}, if any. */
    private volatile HttpServerResponse held;

    GeminiProtocolServer() {
        server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                    .actualPort();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Gemini test server", e);
        }
    }

    /** What to configure as {@code quarkus.langchain4j.ai.gemini.base-url}: the API root, its version included. */
    String baseUrl() {
        return "http://127.0.0.1:" + port + "/v1beta";
    }

    /** The next request is answered with these text parts, one chunk each, {@code delayMs} apart. */
    void then(List<String> parts, long delayMs) {
        next.add(new Script(List.copyOf(parts), delayMs, false));
    }

    /**
     * The next request gets these text parts at once and then nothing, its response left open (as a model that is
     * still writing) until {@link #release()} ends it or the client goes away.
     */
    void thenHold(List<String> parts) {
        next.add(new Script(List.copyOf(parts), 0, true));
    }

    /** Whether a response is held open and its client still connected. */
    boolean holding() {
        HttpServerResponse response = held;
        return response != null && !response.closed() && !response.ended();
    }

    /** Ends the held response, as the model finishing, if its client is still there. */
    void release() {
        HttpServerResponse response = held;
        if (response != null) {
            vertx.runOnContext(ignored -> {
                if (!response.closed() && !response.ended()) {
                    response.end();
                }
            });
        }
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Disconnect> disconnects() {
        return List.copyOf(disconnects);
    }

    /** Waits until a client went away mid-response, up to the timeout (a guard against hanging, not a measure). */
    boolean awaitDisconnect(long timeoutMs) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (disconnects.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        return !disconnects.isEmpty();
    }

    void reset() {
        release();
        held = null;
        requests.clear();
        disconnects.clear();
        next.clear();
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            Matcher model = MODEL_PATH.matcher(request.path());
            if (request.method() != HttpMethod.POST || !model.matches()) {
                request.response().setStatusCode(404).putHeader("content-type", "application/json")
                        .end(error(404, "Not found: " + request.method() + " " + request.path()).encode());
                return;
            }
            requests.add(new Request(request.path(), request.query(), request.getHeader("x-goog-api-key"),
                    body.toJsonObject()));
            Script script = next.poll();
            if (script == null) {
                script = new Script(List.of(" default continuation."), 0, false);
            }
            stream(request, model.group(1), script);
        });
    }

    private void stream(HttpServerRequest request, String model, Script script) {
        HttpServerResponse response = request.response();
        List<Long> timers = new ArrayList<>();
        response.closeHandler(ignored -> {
            timers.forEach(vertx::cancelTimer);
            if (!response.ended()) {
                disconnects.add(new Disconnect(request.path()));
            }
        });
        response.setChunked(true).putHeader("content-type", "text/event-stream");
        List<String> parts = script.parts();
        for (int i = 0; i < parts.size(); i++) {
            JsonObject chunk = chunk(model, parts.get(i), i == parts.size() - 1);
            if (script.delayMs() == 0) {
                response.write(event(chunk));
            } else {
                timers.add(vertx.setTimer(script.delayMs() * (i + 1), t -> {
                    if (!response.closed()) {
                        response.write(event(chunk));
                    }
                }));
            }
        }
        if (script.hold()) {
            held = response;
        } else if (script.delayMs() == 0) {
            response.end();
        } else {
            timers.add(vertx.setTimer(script.delayMs() * (parts.size() + 1), t -> {
                if (!response.closed()) {
                    response.end();
                }
            }));
        }
    }

    /** One {@code GenerateContentResponse} of the stream; the last one says why the model stopped and what it used. */
    private static JsonObject chunk(String model, String text, boolean last) {
        JsonObject candidate = new JsonObject()
                .put("content", new JsonObject().put("role", "model")
                        .put("parts", new JsonArray().add(new JsonObject().put("text", text))))
                .put("index", 0);
        JsonObject chunk = new JsonObject().put("candidates", new JsonArray().add(candidate))
                .put("modelVersion", model).put("responseId", "test-response");
        if (last) {
            candidate.put("finishReason", "STOP");
            chunk.put("usageMetadata", new JsonObject().put("promptTokenCount", 42)
                    .put("candidatesTokenCount", 7).put("totalTokenCount", 49));
        }
        return chunk;
    }

    private static String event(JsonObject data) {
        return "data: " + data.encode() + "\r\n\r\n";
    }

    private static JsonObject error(int code, String message) {
        return new JsonObject().put("error",
                new JsonObject().put("code", code).put("message", message).put("status", "NOT_FOUND"));
    }

    @Override
    public void close() {
        server.close();
        vertx.close();
    }
}
