package io.quarkiverse.handoff.deployment.continuation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.acme.anthropic.AnthropicContinuator;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.event.ContinuationEvent;
import io.quarkiverse.handoff.event.DoneEvent;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.runtime.Handoff;
import io.quarkiverse.handoff.runtime.continuator.ContinuationGuard;
import io.quarkiverse.handoff.runtime.policy.CloudConditions;
import io.quarkus.test.QuarkusUnitTest;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

/**
 * docs/continuator.md's worked example: a continuator for a provider that quarkus-langchain4j does not cover, written
 * against the public API alone ({@link AnthropicContinuator}, Anthropic's Messages API over the JDK's HTTP client),
 * replaces the default one as a bean and continues replies end to end against a server on 127.0.0.1 that speaks that
 * protocol: the opener goes out as the assistant's prefill, the deltas join it literally, an error event inside the
 * stream ends the reply on the device, and cancelling the handoff closes the request.
 */
class AnthropicContinuatorTest {

    /**
     * The server's port, the same in both class loaders that initialize this class (JUnit's, which writes the
     * configuration, and the application's, which runs the tests); the server itself is started by the first test, in
     * the application's.
     */
    static final int PORT = Integer.parseInt(System.getProperties()
            .computeIfAbsent("acme.anthropic.test-port", key -> String.valueOf(freePort())).toString());

    static AnthropicServer SERVER;

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar
                    .addClasses(ScriptedOpener.class, AnthropicContinuator.class)
                    .addAsResource(new StringAsset(String.join("\n",
                            "quarkus.handoff.opener.warm-up=false",
                            // only the client's cancellation can end a stalled stream within the test
                            "quarkus.handoff.continuator.idle-timeout=10m",
                            "acme.anthropic.base-url=http://127.0.0.1:" + PORT,
                            "acme.anthropic.api-key=test-key",
                            "")), "application.properties"));

    @Inject
    Handoff handoff;

    @Inject
    ScriptedOpener opener;

    @Inject
    ContinuationGuard guard;

    @Inject
    CloudConditions conditions;

    @AfterAll
    static void stopServer() {
        if (SERVER != null) {
            SERVER.stop();
        }
    }

    @BeforeEach
    void reset() {
        if (SERVER == null) {
            SERVER = new AnthropicServer(PORT);
        }
        SERVER.reset();
        guard.reset();
        conditions.reset();
        opener.say(List.of("The", " capital", " of", " Peru"));
    }

    private static HandoffRequest question() {
        return new HandoffRequest(Conversation.of("What is the capital of Peru?"), "phone", null);
    }

    @Test
    void theOpenerIsPrefilledAndTheDeltasJoinItLiterally() throws IOException {
        SERVER.script = List.of(delta(" is"), delta(" Li"), delta("ma."), event("message_stop"));

        List<HandoffEvent> events = handoff.run(question()).collect().asList().await().atMost(Duration.ofSeconds(30));

        DoneEvent done = (DoneEvent) events.get(events.size() - 1);
        assertThat(done.text()).as(done.degradedCode() + ": " + done.degradedReason())
                .isEqualTo("The capital of Peru is Lima.");
        assertThat(done.degraded()).isFalse();
        assertThat(done.strategy()).isEqualTo("prefill");
        assertThat(done.continuator()).isEqualTo("anthropic:claude-haiku-4-5");

        assertThat(SERVER.requests).hasSize(1);
        Map<String, String> headers = SERVER.headers.get(0);
        assertThat(headers).containsEntry("x-api-key", "test-key").containsEntry("anthropic-version", "2023-06-01");
        JsonNode body = new ObjectMapper().readTree(SERVER.requests.get(0));
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("max_tokens").asInt()).as("the phone plan's cloud token limit").isEqualTo(300);
        JsonNode messages = body.path("messages");
        assertThat(messages.get(0).path("role").asText()).isEqualTo("user");
        assertThat(messages.get(0).path("content").asText()).isEqualTo("What is the capital of Peru?");
        assertThat(messages.get(messages.size() - 1).path("role").asText()).isEqualTo("assistant");
        assertThat(messages.get(messages.size() - 1).path("content").asText()).isEqualTo("The capital of Peru");
    }

    @Test
    void anErrorEventInsideTheStreamEndsTheReplyOnTheDevice() {
        SERVER.script = List.of(delta(" is"), "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":"
                + "\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");

        List<HandoffEvent> events = handoff.run(question()).collect().asList().await().atMost(Duration.ofSeconds(30));

        DoneEvent done = (DoneEvent) events.get(events.size() - 1);
        assertThat(done.degraded()).isTrue();
        assertThat(done.degradedCode()).isEqualTo("cloud-failed");
        // " is" was still held by the seam (a prefill's first words may turn out to restate the opener): it never
        // reached the user, so the device's finish joins what did
        assertThat(done.text()).isEqualTo("The capital of Peru Sorry, I cannot reach the cloud.");
    }

    @Test
    void anHttpErrorIsRetriedOnceLikeAnyCloudFailureThenTheDeviceFinishes() {
        SERVER.status = 401;

        List<HandoffEvent> events = handoff.run(question()).collect().asList().await().atMost(Duration.ofSeconds(30));

        DoneEvent done = (DoneEvent) events.get(events.size() - 1);
        assertThat(done.degraded()).isTrue();
        assertThat(done.degradedCode()).isEqualTo("cloud-failed");
        assertThat(done.cloudAttempts()).as("the first try and quarkus.handoff.continuator.retry.max-retries=1")
                .isEqualTo(2);
        assertThat(SERVER.requests).hasSize(2);
        assertThat(done.text()).isEqualTo("The capital of Peru Sorry, I cannot reach the cloud.");
    }

    @Test
    void cancellingTheHandoffClosesTheRequest() {
        SERVER.script = List.of(delta(" is"), delta(" Lima,"), delta(" the"), delta(" city"), delta(" of"));
        SERVER.stallAfterScript = true;

        AssertSubscriber<HandoffEvent> client = handoff.run(question()).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.getItems().stream().anyMatch(ContinuationEvent.class::isInstance));
        client.cancel();

        await("the server's next write fails once the client closed the request").atMost(Duration.ofSeconds(30))
                .untilTrue(SERVER.clientWentAway);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String delta(String text) {
        return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                + "{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}\n\n";
    }

    static String event(String type) {
        return "event: " + type + "\ndata: {\"type\":\"" + type + "\"}\n\n";
    }

    /** Anthropic's streaming Messages endpoint, scripted: message_start, the scripted events, or a stall. */
    static final class AnthropicServer {
        final HttpServer server;
        final List<String> requests = new CopyOnWriteArrayList<>();
        final List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
        final AtomicBoolean clientWentAway = new AtomicBoolean();
        volatile List<String> script = List.of();
        volatile boolean stallAfterScript;
        volatile int status = 200;
        private final ExecutorService threads = Executors.newCachedThreadPool();

        AnthropicServer(int port) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/v1/messages", this::answer);
            server.setExecutor(threads);
            server.start();
        }

        void reset() {
            requests.clear();
            headers.clear();
            clientWentAway.set(false);
            script = List.of();
            stallAfterScript = false;
            status = 200;
        }

        void stop() {
            server.stop(0);
            threads.shutdownNow();
        }

        private void answer(HttpExchange exchange) throws IOException {
            requests.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            headers.add(Map.of("x-api-key", String.valueOf(exchange.getRequestHeaders().getFirst("x-api-key")),
                    "anthropic-version", String.valueOf(exchange.getRequestHeaders().getFirst("anthropic-version"))));
            if (status != 200) {
                byte[] error = ("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                        + "\"message\":\"invalid x-api-key\"}}").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, error.length);
                exchange.getResponseBody().write(error);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            try {
                write(out, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"role\":"
                        + "\"assistant\",\"content\":[]}}\n\n");
                write(out, "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
                for (String event : script) {
                    write(out, event);
                }
                while (stallAfterScript) {
                    // Anthropic's keep-alive, until the client closes the connection
                    Thread.sleep(50);
                    write(out, "event: ping\ndata: {\"type\":\"ping\"}\n\n");
                }
            } catch (IOException closed) {
                clientWentAway.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        }

        private static void write(OutputStream out, String event) throws IOException {
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
