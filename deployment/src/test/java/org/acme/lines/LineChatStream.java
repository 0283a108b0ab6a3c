package org.acme.lines;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.ChatStream;
import io.quarkiverse.handoff.ChatStreamRequest;
import io.quarkiverse.handoff.policy.CloudRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * The wire protocol of a model server that quarkus-langchain4j does not cover: {@code POST /api/generate} with the
 * messages, answered with one JSON object per line ({@code {"delta": "..."}}, then {@code {"done": true}}, or
 * {@code {"error": "..."}}). Only the wire: the extension's cloud continuator writes the prompts and the seam joins the
 * text to the opener. Written against the public API only ({@code quarkus-handoff-api}), with the JDK's HTTP client.
 */
@ApplicationScoped
public class LineChatStream implements ChatStream {

    @ConfigProperty(name = "acme.lines.base-url")
    URI baseUrl;

    @ConfigProperty(name = "acme.lines.model", defaultValue = "lines-1")
    String model;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public String name() {
        return "acme-lines:" + model;
    }

    @Override
    public Multi<String> stream(ChatStreamRequest request) {
        HttpRequest post = HttpRequest.newBuilder(baseUrl.resolve("/api/generate"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(request).toString())).build();
        return Multi.createFrom().emitter(emitter -> {
            AtomicReference<Flow.Subscription> body = new AtomicReference<>();
            CompletableFuture<?> exchange = http.sendAsync(post, response -> response.statusCode() == 200
                    ? BodySubscribers.fromLineSubscriber(new Lines(emitter, body))
                    : BodySubscribers.mapping(BodySubscribers.ofString(StandardCharsets.UTF_8), error -> {
                        emitter.fail(new IOException("HTTP " + response.statusCode() + ": " + error));
                        return null;
                    }));
            exchange.whenComplete((ignored, failure) -> {
                if (failure != null) {
                    emitter.fail(failure);
                }
            });
            // cancelling the handoff closes the request: before the response (the exchange) and during it (the body)
            emitter.onTermination(() -> {
                exchange.cancel(true);
                Flow.Subscription subscription = body.get();
                if (subscription != null) {
                    subscription.cancel();
                }
            });
        });
    }

    /** The messages as the continuator wrote them, and the plan's limits where it sets them. */
    private ObjectNode body(ChatStreamRequest request) {
        ObjectNode body = json.createObjectNode().put("model", model);
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage message : request.messages()) {
            messages.addObject().put("role", message.role().wireName()).put("content", message.content());
        }
        CloudRequest shape = request.shape();
        if (shape.maxTokens() != null) {
            body.put("max_tokens", shape.maxTokens());
        }
        if (shape.temperature() != null) {
            body.put("temperature", shape.temperature());
        }
        if (!shape.stop().isEmpty()) {
            shape.stop().forEach(body.putArray("stop")::add);
        }
        return body;
    }

    /** The answer, line by line: deltas go out, {@code done} ends it, an error fails it. */
    private final class Lines implements Flow.Subscriber<String> {
        private final MultiEmitter<? super String> emitter;
        private final AtomicReference<Flow.Subscription> subscription;

        Lines(MultiEmitter<? super String> emitter, AtomicReference<Flow.Subscription> subscription) {
            this.emitter = emitter;
            this.subscription = subscription;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription.set(subscription);
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.isBlank()) {
                return;
            }
            try {
                JsonNode event = json.readTree(line);
                if (event.hasNonNull("error")) {
                    emitter.fail(new IOException("model server error: " + event.get("error").asText()));
                } else if (event.path("done").asBoolean()) {
                    emitter.complete();
                } else {
                    String delta = event.path("delta").asText("");
                    if (!delta.isEmpty()) {
                        emitter.emit(delta);
                    }
                }
            } catch (IOException malformed) {
                emitter.fail(malformed);
            }
        }

        @Override
        public void onError(Throwable failure) {
            emitter.fail(failure);
        }

        @Override
        public void onComplete() {
            // a body that ends without "done" was cut: the handoff names it and finishes on the device
            emitter.fail(new IOException("the answer ended before its done line"));
        }
    }
}
