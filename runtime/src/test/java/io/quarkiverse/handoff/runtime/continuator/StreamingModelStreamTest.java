package io.quarkiverse.handoff.runtime.continuator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.ChatStreamRequest;
import io.quarkiverse.handoff.ContinuationKind;
import io.quarkiverse.handoff.ContinuationRequest;
import io.quarkiverse.handoff.policy.CloudRequest;
import io.quarkiverse.handoff.policy.HandoffMode;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPoint;
import io.quarkiverse.handoff.policy.Sampling;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * The path of every provider that is not reached over the OpenAI protocol: langchain4j's portable streaming API, here
 * through a real provider client (Ollama's, over the JDK HTTP client) against a server on 127.0.0.1 that speaks
 * Ollama's streaming chat protocol (one JSON object per line). The continuation's deltas arrive in order, the plan's
 * shape reaches the provider's request, an HTTP error fails the stream, and cancelling after the first token ends the
 * stream with nothing more delivered.
 */
class StreamingModelStreamTest {

    static final HandoffPlan PLAN = new HandoffPlan("phone", HandoffMode.HYBRID, 6, HandoffPoint.AFTER_WORDS, 0.2,
            "explicit", Sampling.PAPER_DEFAULT, 4000, false, List.of());
    static final ContinuationRequest REQUEST = new ContinuationRequest(LangChain4jContinuatorTest.HISTORY,
            " Your name is", PLAN, Optional.empty());

    HttpServer server;
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final AtomicBoolean clientWentAway = new AtomicBoolean();
    final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    /** A server that streams these deltas, then ends the reply; or, with {@code stallAfter}, stops writing text. */
    OllamaStreamingChatModel model(int status, List<String> deltas, boolean stallAfterFirst) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/chat", exchange -> answer(exchange, status, deltas, stallAfterFirst));
        server.start();
        return OllamaStreamingChatModel.builder().baseUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .modelName("llama3.2").timeout(Duration.ofSeconds(30)).build();
    }

    private void answer(HttpExchange exchange, int status, List<String> deltas, boolean stallAfterFirst)
            throws IOException {
        bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        if (status != 200) {
            byte[] error = "{\"error\":\"model is overloaded\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, error.length);
            exchange.getResponseBody().write(error);
            exchange.close();
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            for (int i = 0; i < deltas.size(); i++) {
                line(out, "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\""
                        + deltas.get(i) + "\"},\"done\":false}");
                if (stallAfterFirst) {
                    // whitespace between the lines, which the protocol allows, until the client closes the connection
                    while (!release.await(50, TimeUnit.MILLISECONDS)) {
                        out.write('\n');
                        out.flush();
                    }
                    return;
                }
            }
            line(out, "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,"
                    + "\"done_reason\":\"stop\",\"prompt_eval_count\":12,\"eval_count\":2}");
        } catch (IOException closed) {
            clientWentAway.set(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private static void line(OutputStream out, String json) throws IOException {
        out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void theDeltasArriveInOrderAndThePlansShapeReachesTheProvider() throws IOException {
        ProviderStream stream = new StreamingModelStream(model(200, List.of(" Ada", ", as you", " said."), false));

        List<String> deltas = stream.stream(new ChatStreamRequest(List.of(ChatMessage.user("What is my name?")),
                new CloudRequest(42, 0.25, List.of("\n\n")))).collect().asList()
                .await().atMost(Duration.ofSeconds(30));

        assertThat(deltas).containsExactly(" Ada", ", as you", " said.");
        assertThat(bodies).hasSize(1);
        JsonNode sent = new ObjectMapper().readTree(bodies.get(0));
        assertThat(sent.at("/options/num_predict").asInt()).isEqualTo(42);
        assertThat(sent.at("/options/temperature").asDouble()).isEqualTo(0.25);
        assertThat(sent.at("/options/stop/0").asText()).isEqualTo("\n\n");
        assertThat(sent.at("/stream").asBoolean()).isTrue();
        assertThat(sent.at("/messages/0/content").asText()).isEqualTo("What is my name?");
    }

    @Test
    void aContinuationOverThePortableApiJoinsTheOpenerAsAnInstruction() throws IOException {
        LangChain4jContinuator continuator = new LangChain4jContinuator(model(200, List.of(" Ada."), false), "ollama",
                ContinuationPrompts.load());

        assertThat(continuator.kind()).isEqualTo(ContinuationKind.INSTRUCTION);
        assertThat(continuator.continueReply(REQUEST).collect().asList().await().atMost(Duration.ofSeconds(30)))
                .containsExactly(" Ada.");
        // the whole conversation, then the words already said, in the instruction
        assertThat(bodies).singleElement().satisfies(body -> assertThat(body)
                .contains("My name is Ada.", "Nice to meet you, Ada.", "What is my name?", "Your name is"));
    }

    @Test
    void anHttpErrorFailsTheStream() throws IOException {
        ProviderStream stream = new StreamingModelStream(model(503, List.of(), false));

        AssertSubscriber<String> subscriber = stream.stream(
                new ChatStreamRequest(List.of(ChatMessage.user("hi")), new CloudRequest(null, null, List.of())))
                .subscribe().withSubscriber(AssertSubscriber.create(10));

        subscriber.awaitFailure(Duration.ofSeconds(30));
        assertThat(subscriber.getItems()).isEmpty();
        // named as every continuation failure is: the status and the cloud's own words
        CloudContinuationException named = CloudContinuationException.of(subscriber.getFailure(), false);
        assertThat(named.code()).isEqualTo("http-error");
        assertThat(named.detail()).isEqualTo("HTTP 503: {\"error\":\"model is overloaded\"}");
    }

    @Test
    void cancellingAfterTheFirstTokenEndsTheStreamAndReleasesTheConnection() throws IOException {
        ProviderStream stream = new StreamingModelStream(model(200, List.of(" Ada", " never"), true));

        AssertSubscriber<String> subscriber = stream.stream(
                new ChatStreamRequest(List.of(ChatMessage.user("hi")), new CloudRequest(null, null, List.of())))
                .subscribe().withSubscriber(AssertSubscriber.create(10));
        subscriber.awaitItems(1, Duration.ofSeconds(30));
        subscriber.cancel();

        // the provider's handle closes the response: the server's next write fails
        await().atMost(Duration.ofSeconds(30)).untilTrue(clientWentAway);
        assertThat(subscriber.getItems()).containsExactly(" Ada");
        assertThat(subscriber.isCancelled()).isTrue();
    }

    @Test
    void aStreamCancelledBeforeItsRequestLeftSendsNothing() {
        AtomicInteger requests = new AtomicInteger();
        StreamingChatModel counting = new StreamingChatModel() {
            @Override
            public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
                requests.incrementAndGet();
            }
        };
        // the request waits for a worker (this test's queue) while the handoff gives up
        List<Runnable> queued = new ArrayList<>();
        ProviderStream stream = new StreamingModelStream(counting, queued::add);

        Cancellable subscription = stream.stream(
                new ChatStreamRequest(List.of(ChatMessage.user("hi")), new CloudRequest(null, null, List.of())))
                .subscribe().with(delta -> {
                });
        subscription.cancel();
        assertThat(queued).hasSize(1);
        queued.get(0).run();

        assertThat(requests).as("no request was made").hasValue(0);
    }

    @Test
    void itSaysItCannotCancelBeforeTheFirstTokenNorPrewarm() throws IOException {
        ProviderStream stream = new StreamingModelStream(model(200, List.of(), false));

        assertThat(stream.cancelsBeforeFirstToken()).isFalse();
        assertThat(stream.describe()).isEqualTo("OllamaStreamingChatModel (portable streaming API)");
        stream.prewarm();
        assertThat(bodies).as("no request to warm up").isEmpty();
    }
}
