package io.quarkiverse.handoff.it;

import static io.quarkiverse.handoff.it.CloudContinuationTest.LIVENESS_MS;
import static io.quarkiverse.handoff.it.CloudContinuationTest.TIMER;
import static io.quarkiverse.handoff.it.CloudContinuationTest.body;
import static io.quarkiverse.handoff.it.CloudContinuationTest.done;
import static io.quarkiverse.handoff.it.CloudContinuationTest.handoff;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkiverse.handoff.it.OpenAiStreamingServer.Behaviour;
import io.quarkiverse.handoff.runtime.continuator.ContinuationGuard;
import io.quarkiverse.handoff.runtime.policy.CloudConditions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * How a cloud stream that goes wrong after HTTP 200 (or never connects) ends a handoff, against the real misbehaving
 * OpenAI-protocol server: for each fault, the end event, {@code degraded} and its reason code, the reply text, and that
 * no response is left open: the connection the request came on is closed (a response the server left open must be
 * closed by the client), unless the server ended the response normally.
 */
@QuarkusTest
@QuarkusTestResource(value = MisbehavingCloudResource.class, restrictToAnnotatedClass = true)
class CloudStreamFaultsTest {

    /** What the cloud streams before the fault; the demo model knows no zebras, so no opener says these words. */
    static final List<String> SHOWN = List.of(" zebra", " crossings", " are");
    /** What a misbehaving server sends after the fault, which must never reach the user. */
    static final List<String> AFTER_FAULT = List.of(" never", " shown");

    @Inject
    ContinuationGuard guard;

    @Inject
    CloudConditions conditions;

    OpenAiStreamingServer server = MisbehavingCloudResource.server;

    @BeforeEach
    void reset() {
        server.reset();
        conditions.reset();
        guard.reset();
    }

    @AfterEach
    void listenAgain() {
        server.acceptConnections();
    }

    /**
     * One fault.
     *
     * @param fault how the server misbehaves
     * @param code the done event's {@code degradedCode}, null when the reply is not degraded
     * @param cloudText what the cloud said that the user gets, before any local finish
     * @param attempts how many cloud requests the handoff makes
     * @param closed whether the connection of each request ends closed (else the server ended the response, and the
     *        connection may stay open for reuse)
     */
    record Fault(String name, Consumer<OpenAiStreamingServer> fault, String code, String cloudText, int attempts,
            boolean closed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> faults() {
        List<String> all = Stream.concat(SHOWN.stream(), AFTER_FAULT.stream()).toList();
        return Stream.of(
                new Fault("an error event after 3 chunks",
                        s -> s.then(Behaviour.errorEventAfter(all, 3)), "error-event", " zebra crossings are", 1, true),
                new Fault("an error event before any text, twice (retried once)",
                        s -> s.then(Behaviour.errorEventAfter(all, 0), Behaviour.errorEventAfter(all, 0)),
                        "error-event", "", 2, true),
                new Fault("an answer without any text",
                        s -> s.then(Behaviour.stream(List.of(), 0)), "empty-answer", "", 1, false),
                new Fault("a JSON completion instead of an event stream",
                        s -> s.then(Behaviour.notAStream(SHOWN)), "malformed-stream", "", 1, true),
                new Fault("[DONE] with the response left open",
                        s -> s.then(Behaviour.doneWithoutEnd(SHOWN)), null, " zebra crossings are", 1, true),
                new Fault("a malformed chunk after 2 chunks",
                        s -> s.then(Behaviour.malformedAfter(all, 2)), "malformed-stream", " zebra crossings", 1, true),
                new Fault("a clean end without [DONE] after 2 chunks",
                        s -> s.then(Behaviour.endWithoutDone(all, 2)), "truncated", " zebra crossings", 1, true),
                new Fault("connection refused",
                        OpenAiStreamingServer::refuseConnections, "connection-failed", "", 2, true))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void eachFaultEndsTheHandoffByName(Fault fault) throws InterruptedException {
        fault.fault().accept(server);
        JsonObject done = done(handoff(body("phone", TIMER)));

        assertThat(done.getInteger("cloudAttempts")).as("cloud requests").isEqualTo(fault.attempts());
        String opener = done.getString("opener");
        String continuation = done.getString("continuation");
        assertThat(done.getString("text")).isEqualTo(opener + continuation);
        assertThat(continuation.toLowerCase(Locale.ROOT)).as("what the cloud said reaches the user")
                .startsWith(fault.cloudText()).doesNotContain("never").doesNotContain("shown");
        if (fault.code() == null) {
            assertThat(done.getBoolean("degraded")).isFalse();
            assertThat(done.getString("degradedCode")).isNull();
            assertThat(done.getString("degradedReason")).isNull();
            assertThat(continuation.toLowerCase(Locale.ROOT)).isEqualTo(fault.cloudText());
            assertThat(done.getString("strategy")).isEqualTo("instruction");
        } else {
            assertThat(done.getBoolean("degraded")).isTrue();
            assertThat(done.getString("degradedCode")).isEqualTo(fault.code());
            assertThat(done.getString("strategy")).isEqualTo("local");
            assertThat(continuation.length()).as("the device finished the reply after what the cloud said")
                    .isGreaterThan(fault.cloudText().length());
            assertThat(done.getString("degradedReason")).as("a short human message")
                    .isNotBlank()
                    .doesNotContain("127.0.0.1").doesNotContain(String.valueOf(server.port()))
                    .doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Z]\\w*")
                    .doesNotContain("Exception");
        }
        assertThat(server.awaitResponsesSettled(LIVENESS_MS)).as("no cloud response is left open").isTrue();
        if (fault.closed()) {
            assertThat(server.awaitRequestConnectionsClosed(LIVENESS_MS))
                    .as("the connection of every cloud request is closed").isTrue();
        }
    }
}
