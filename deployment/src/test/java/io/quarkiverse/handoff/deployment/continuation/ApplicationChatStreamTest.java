package io.quarkiverse.handoff.deployment.continuation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.acme.lines.LineChatStream;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * docs/continuator.md's wire protocol: an application's {@link io.quarkiverse.handoff.ChatStream} bean
 * ({@link LineChatStream}, a line-per-delta JSON API over the JDK's HTTP client) takes the place of a
 * quarkus-langchain4j model in the extension's cloud continuator, with no provider in the application. Against a
 * Vert.x server on 127.0.0.1 that speaks the protocol: the continuator's instruction request goes out through the bean
 * with the plan's token limit, the text reaches the handoff's events through the seam (the restated opener words cut),
 * and cancelling the handoff closes the bean's connection.
 */
class ApplicationChatStreamTest {

    /** The server's port, the same in JUnit's class loader (the configuration) and the application's (the server). */
    static final int PORT = Integer.parseInt(System.getProperties()
            .computeIfAbsent("acme.lines.test-port", key -> String.valueOf(AnthropicContinuatorTest.freePort()))
            .toString());

    static LineServer SERVER;

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar
                    .addClasses(ScriptedOpener.class, LineChatStream.class)
                    .addAsResource(new StringAsset(String.join("\n",
                            "quarkus.handoff.opener.warm-up=false",
                            // only the client's cancellation can end a stalled stream within the test
                            "quarkus.handoff.continuator.idle-timeout=10m",
                            "acme.lines.base-url=http://127.0.0.1:" + PORT,
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
    void reset() throws Exception {
        if (SERVER == null) {
            SERVER = new LineServer(PORT);
        }
        SERVER.reset();
        guard.reset();
        conditions.reset();
        opener.say(List.of("Sure,", " I'll", " set", " a", " timer"));
    }

    private static HandoffRequest question() {
        return new HandoffRequest(Conversation.of("Set a timer for ten minutes."), "phone", null);
    }

    @Test
    void theBeanStreamsTheContinuationAndTheSeamJoinsIt() throws IOException {
        SERVER.lines = List.of("{\"delta\":\" set\"}", "{\"delta\":\" a timer\"}", "{\"delta\":\" for ten\"}",
                "{\"delta\":\" minutes.\"}", "{\"done\":true}");

        List<HandoffEvent> events = handoff.run(question()).collect().asList().await().atMost(Duration.ofSeconds(30));

        DoneEvent done = (DoneEvent) events.get(events.size() - 1);
        assertThat(done.text()).as(done.degradedCode() + ": " + done.degradedReason())
                .isEqualTo("Sure, I'll set a timer for ten minutes.");
        assertThat(done.degraded()).isFalse();
        assertThat(done.continuator()).as("the bean names the continuator").isEqualTo("acme-lines:lines-1");
        assertThat(done.strategy()).as("auto, for a stream that does not continue assistant messages")
                .isEqualTo("instruction");
        assertThat(events.stream().filter(ContinuationEvent.class::isInstance)
                .map(event -> ((ContinuationEvent) event).delta()).collect(Collectors.joining()))
                .as("the continuation events: the restated \"set a timer\" cut by the seam")
                .isEqualTo(" for ten minutes.");

        assertThat(SERVER.requests).hasSize(1);
        JsonNode body = new ObjectMapper().readTree(SERVER.requests.get(0));
        assertThat(body.path("max_tokens").asInt()).as("the phone plan's cloud token limit").isEqualTo(300);
        JsonNode messages = body.path("messages");
        assertThat(messages.get(0).path("role").asText()).isEqualTo("system");
        JsonNode last = messages.get(messages.size() - 1);
        assertThat(last.path("role").asText()).isEqualTo("user");
        assertThat(last.path("content").asText()).as("the instruction: the question and the words already said")
                .contains("Set a timer for ten minutes.").contains("Sure, I'll set a timer");
    }

    @Test
    void cancellingTheHandoffClosesTheBeansConnection() {
        SERVER.lines = List.of("{\"delta\":\" for\"}", "{\"delta\":\" ten\"}", "{\"delta\":\" minutes,\"}");
        SERVER.stallAfterLines = true;

        AssertSubscriber<HandoffEvent> client = handoff.run(question()).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> client.getItems().stream().anyMatch(ContinuationEvent.class::isInstance));
        assertThat(SERVER.closedByClient).as("the answer is still open").isFalse();
        client.cancel();

        await("the server saw the connection closed").atMost(Duration.ofSeconds(30))
                .untilTrue(SERVER.closedByClient);
    }

    /** The line protocol's server, scripted: the lines, then the end of the answer or a stall. */
    static final class LineServer {
        final Vertx vertx = Vertx.vertx();
        final HttpServer server;
        final List<String> requests = new CopyOnWriteArrayList<>();
        final AtomicBoolean closedByClient = new AtomicBoolean();
        volatile List<String> lines = List.of();
        volatile boolean stallAfterLines;

        LineServer(int port) throws Exception {
            server = vertx.createHttpServer().requestHandler(this::answer).listen(port, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        void reset() {
            requests.clear();
            closedByClient.set(false);
            lines = List.of();
            stallAfterLines = false;
        }

        void stop() {
            vertx.close();
        }

        private void answer(HttpServerRequest request) {
            if (!"/api/generate".equals(request.path())) {
                request.response().setStatusCode(404).end();
                return;
            }
            request.body().onSuccess(body -> {
                requests.add(body.toString());
                HttpServerResponse response = request.response();
                response.setChunked(true).putHeader("Content-Type", "application/x-ndjson");
                lines.forEach(line -> response.write(line + "\n"));
                if (!stallAfterLines) {
                    response.end();
                    return;
                }
                // a model still writing: a blank line now and then, until the client closes the request (over
                // HTTP/1.1 its connection, over HTTP/2 its stream: either way the response is closed)
                long keepAlive = vertx.setPeriodic(50, tick -> response.write("\n"));
                response.closeHandler(closed -> {
                    vertx.cancelTimer(keepAlive);
                    closedByClient.set(true);
                });
            });
        }
    }
}
