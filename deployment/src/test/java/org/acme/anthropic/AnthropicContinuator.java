package org.acme.anthropic;

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
import io.quarkiverse.handoff.ContinuationRequest;
import io.quarkiverse.handoff.Continuator;
import io.quarkiverse.handoff.policy.CloudRequest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * Continues replies with Anthropic's Messages API, which continues a final assistant message (prefill): the opener's
 * words go out as the start of the assistant's reply and the model writes what follows. Written against the public
 * API only ({@code quarkus-handoff-api}), with the JDK's HTTP client.
 */
@ApplicationScoped
public class AnthropicContinuator implements Continuator {

    @ConfigProperty(name = "acme.anthropic.base-url", defaultValue = "https://api.anthropic.com")
    URI baseUrl;

    @ConfigProperty(name = "acme.anthropic.api-key")
    String apiKey;

    @ConfigProperty(name = "acme.anthropic.model", defaultValue = "claude-haiku-4-5")
    String model;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public String strategy() {
        return "prefill"; // so kind() is ContinuationKind.PREFILL: the text continues the opener literally
    }

    @Override
    public String name() {
        return "anthropic:" + model;
    }

    @Override
    public Multi<String> continueReply(ContinuationRequest request) {
        HttpRequest post = HttpRequest.newBuilder(baseUrl.resolve("/v1/messages"))
                .header("x-api-key", apiKey)
                .header("anthropic-version", "2023-06-01")
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

    /** The conversation, then the opener as the start of the assistant's message; the plan's limits. */
    private ObjectNode body(ContinuationRequest request) {
        CloudRequest shape = request.plan().cloud();
        ObjectNode body = json.createObjectNode().put("model", model).put("stream", true)
                .put("max_tokens", shape.maxTokens() != null ? shape.maxTokens() : 1024); // the API requires one
        if (shape.temperature() != null) {
            body.put("temperature", shape.temperature());
        }
        if (!shape.stop().isEmpty()) {
            shape.stop().forEach(body.putArray("stop_sequences")::add);
        }
        StringBuilder system = new StringBuilder();
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage message : request.conversation().messages()) {
            if (message.role() == ChatMessage.Role.SYSTEM) {
                system.append(message.content()).append('\n');
            } else {
                messages.addObject().put("role", message.role().wireName()).put("content", message.content());
            }
        }
        if (!system.isEmpty()) {
            body.put("system", system.toString().strip());
        }
        // the API refuses a final assistant message that ends in white space; the seam restores the space
        String opener = request.committedOpener().stripTrailing();
        if (!opener.isEmpty()) {
            messages.addObject().put("role", "assistant").put("content", opener);
        }
        return body;
    }

    /** The stream's Server-Sent Events, line by line: text deltas go out, an error event fails the stream. */
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
            if (!line.startsWith("data:")) {
                return; // event names, comments and the blank lines between events
            }
            try {
                JsonNode event = json.readTree(line.substring("data:".length()));
                switch (event.path("type").asText()) {
                    case "content_block_delta" -> {
                        String text = event.path("delta").path("text").asText("");
                        if (!text.isEmpty()) {
                            emitter.emit(text);
                        }
                    }
                    case "message_stop" -> emitter.complete();
                    case "error" -> emitter.fail(new IOException("Anthropic error: "
                            + event.path("error").path("type").asText() + ": "
                            + event.path("error").path("message").asText()));
                    default -> {
                        // message_start, content_block_start/stop, message_delta, ping: nothing to show
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
            // a stream that ends without message_stop was cut: the handoff names it and finishes on the device
            emitter.fail(new IOException("the stream ended before message_stop"));
        }
    }
}
