package io.quarkiverse.handoff.it;

import static io.quarkiverse.handoff.it.CloudContinuationTest.TIMER;
import static io.quarkiverse.handoff.it.CloudContinuationTest.body;
import static io.quarkiverse.handoff.it.CloudContinuationTest.done;
import static io.quarkiverse.handoff.it.CloudContinuationTest.first;
import static io.quarkiverse.handoff.it.CloudContinuationTest.handoff;
import static io.quarkiverse.handoff.it.HandoffMetricsTest.sample;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkiverse.handoff.it.OpenAiStreamingServer.Behaviour;
import io.quarkiverse.handoff.it.ServerSentEvents.Event;
import io.quarkiverse.handoff.runtime.continuator.ContinuationGuard;
import io.quarkiverse.handoff.runtime.policy.CloudConditions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * Every way the cloud can misbehave, one row each, against a real misbehaving OpenAI-protocol server on 127.0.0.1 that
 * counts its open connections: for each fault, the end event, {@code degraded} and its code, the reply text, and what
 * became of the upstream connection within 1 s of the end (closed, or idle in the pool after a response that ended).
 * Then the cancellation of the cloud request when the client goes away in each state, the circuit breaker counting
 * failures in the middle of the answer, and {@code Retry-After}.
 */
@QuarkusTest
@QuarkusTestResource(value = FaultMatrixCloudResource.class, restrictToAnnotatedClass = true)
class CloudFaultMatrixTest {

    /** What the cloud streams before the fault; the demo model knows no zebras, so no opener says these words. */
    static final List<String> SHOWN = List.of(" zebra", " crossings", " are");
    /** What a misbehaving server sends after the fault, which must never reach the user. */
    static final List<String> AFTER_FAULT = List.of(" never", " shown");
    static final List<String> ALL = Stream.concat(SHOWN.stream(), AFTER_FAULT.stream()).toList();
    static final List<String> WHOLE = List.of(" zebra", " crossings", " are", " striped.");
    /** Characters of 2, 3 and 4 bytes in UTF-8, each of which the server splits across two TCP segments. */
    static final List<String> MULTI_BYTE = List.of(" Zürich", " café", " 🦓", " naïve…");
    /** How soon after the end an upstream connection must be closed (or idle): the bound. */
    static final Duration UPSTREAM_SETTLED = Duration.ofSeconds(1);
    /** A guard against hanging, never a measure of speed. */
    static final Duration LIVENESS = Duration.ofSeconds(30);

    @Inject
    ContinuationGuard guard;

    @Inject
    CloudConditions conditions;

    OpenAiStreamingServer server = FaultMatrixCloudResource.server;

    /** Whether a first handoff loaded the cloud client's classes: cold, it can take longer than a short deadline. */
    static boolean warm;

    @BeforeEach
    void reset() throws InterruptedException {
        if (!warm) {
            server.reset();
            server.then(Behaviour.stream(WHOLE, 0));
            handoff(body("phone", TIMER));
            warm = true;
        }
        server.reset();
        server.closeConnections();
        conditions.reset();
        guard.reset();
    }

    @AfterEach
    void listenAgain() {
        server.acceptConnections();
    }

    /** What becomes of the upstream connection once the handoff ended. */
    enum Upstream {
        /** Every connection is closed: the exchange did not end as HTTP intends, the client cut it. */
        CLOSED,
        /** The response ended as HTTP intends: its connection may stay open, idle, for the next request. */
        IDLE
    }

    /**
     * One fault.
     *
     * @param code the done event's {@code degradedCode}, null when the reply is not degraded
     * @param cloudText what the cloud said that the user gets (lower case), before any local finish; when not degraded,
     *        the whole continuation
     * @param attempts how many cloud requests the handoff makes
     */
    record Fault(String name, Consumer<OpenAiStreamingServer> fault, String code, String cloudText, int attempts,
            Upstream upstream) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                new Fault("connection refused", OpenAiStreamingServer::refuseConnections,
                        "connection-failed", "", 2, Upstream.CLOSED),
                new Fault("hang before the headers", s -> s.then(Behaviour.noAnswer()),
                        "first-token-timeout", "", 1, Upstream.CLOSED),
                new Fault("429 with a Retry-After beyond the deadline",
                        s -> s.then(Behaviour.status(429, Map.of("Retry-After", "1"))),
                        "http-error", "", 1, Upstream.IDLE),
                new Fault("429 with a retry-after-ms within the deadline, then an answer",
                        s -> s.then(Behaviour.status(429, Map.of("retry-after-ms", "100")),
                                Behaviour.stream(WHOLE, 0)),
                        null, " zebra crossings are striped.", 2, Upstream.IDLE),
                new Fault("429 without Retry-After, twice",
                        s -> s.then(Behaviour.status(429), Behaviour.status(429)),
                        "http-error", "", 2, Upstream.IDLE),
                new Fault("503, twice", s -> s.then(Behaviour.status(503), Behaviour.status(503)),
                        "http-error", "", 2, Upstream.IDLE),
                new Fault("401", s -> s.then(Behaviour.status(401)), "http-error", "", 1, Upstream.IDLE),
                new Fault("headers, then nothing", s -> s.then(Behaviour.stallBeforeFirstChunk()),
                        "first-token-timeout", "", 1, Upstream.CLOSED),
                new Fault("a stall after 3 chunks", s -> s.then(Behaviour.stallAfter(ALL, 3)),
                        "stalled", " zebra crossings are", 1, Upstream.CLOSED),
                new Fault("keepalive comments only", s -> s.then(Behaviour.keepaliveOnly(100)),
                        "first-token-timeout", "", 1, Upstream.CLOSED),
                new Fault("a slow trickle (a chunk every 100 ms)", s -> s.then(Behaviour.stream(WHOLE, 100)),
                        null, " zebra crossings are striped.", 1, Upstream.IDLE),
                new Fault("a TCP reset after 2 chunks", s -> s.then(Behaviour.resetAfter(ALL, 2)),
                        "connection-lost", " zebra crossings", 1, Upstream.CLOSED),
                new Fault("a clean close without [DONE] after 2 chunks", s -> s.then(Behaviour.endWithoutDone(ALL, 2)),
                        "truncated", " zebra crossings", 1, Upstream.CLOSED),
                new Fault("[DONE] with the response left open", s -> s.then(Behaviour.doneWithoutEnd(SHOWN)),
                        null, " zebra crossings are", 1, Upstream.CLOSED),
                new Fault("an error event after 3 chunks", s -> s.then(Behaviour.errorEventAfter(ALL, 3)),
                        "error-event", " zebra crossings are", 1, Upstream.CLOSED),
                new Fault("an error event before any text, twice (retried once)",
                        s -> s.then(Behaviour.errorEventAfter(ALL, 0), Behaviour.errorEventAfter(ALL, 0)),
                        "error-event", "", 2, Upstream.CLOSED),
                new Fault("a malformed chunk after 2 chunks", s -> s.then(Behaviour.malformedAfter(ALL, 2)),
                        "malformed-stream", " zebra crossings", 1, Upstream.CLOSED),
                new Fault("a JSON completion instead of an event stream", s -> s.then(Behaviour.notAStream(SHOWN)),
                        "malformed-stream", "", 1, Upstream.CLOSED),
                new Fault("an answer without any text", s -> s.then(Behaviour.stream(List.of(), 0)),
                        "empty-answer", "", 1, Upstream.IDLE),
                new Fault("UTF-8 characters split across chunks", s -> s.then(Behaviour.splitUtf8(MULTI_BYTE, 20)),
                        null, " zürich café 🦓 naïve…", 1, Upstream.IDLE),
                new Fault("an echo of the opener",
                        s -> s.then(Behaviour.echoOpener(3, List.of(" zebra", " crossings are striped."))),
                        null, " zebra crossings are striped.", 1, Upstream.IDLE))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void eachFaultEndsTheHandoffByNameAndLeavesNoConnectionBehind(Fault fault) {
        fault.fault().accept(server);
        JsonObject done = done(handoff(body(TestDeviceProfiles.FAULTS, TIMER)));

        String opener = done.getString("opener");
        String continuation = done.getString("continuation");
        assertThat(done.getString("text")).isEqualTo(opener + continuation);
        assertThat(done.getInteger("cloudAttempts")).as("cloud requests").isEqualTo(fault.attempts());
        assertThat(server.requests()).hasSize(fault.name().equals("connection refused") ? 0 : fault.attempts());
        String said = continuation.toLowerCase(Locale.ROOT);
        assertThat(said).as("what the cloud said reaches the user, what came after the fault does not")
                .startsWith(fault.cloudText()).doesNotContain("never").doesNotContain("shown")
                .doesNotContain("\uFFFD");
        if (fault.code() == null) {
            assertThat(done.getBoolean("degraded")).isFalse();
            assertThat(done.getString("degradedCode")).isNull();
            assertThat(done.getString("degradedReason")).isNull();
            assertThat(said).isEqualTo(fault.cloudText());
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
        if (fault.upstream() == Upstream.CLOSED) {
            await("every upstream connection closed within 1 s of the end").atMost(UPSTREAM_SETTLED)
                    .pollInterval(Duration.ofMillis(10)).until(() -> server.openConnections() == 0);
        } else {
            await("every upstream response ended within 1 s of the end, its connection at most idle")
                    .atMost(UPSTREAM_SETTLED).pollInterval(Duration.ofMillis(10))
                    .until(() -> server.awaitResponsesSettled(0) && server.openConnections() <= 1);
        }
    }

    // ---- the client goes away: the cloud request is cancelled in every state ----

    static Stream<Arguments> statesOfTheCloudRequest() {
        List<String> long40 = new ArrayList<>(List.of(" zebra"));
        for (int i = 1; i < 40; i++) {
            long40.add(" " + i);
        }
        return Stream.of(
                Arguments.of("before the response headers", Behaviour.noAnswer(), "handoff"),
                Arguments.of("after the headers, before the first token", Behaviour.stallBeforeFirstChunk(),
                        "handoff"),
                Arguments.of("in the middle of the answer", Behaviour.stream(long40, 250), "continuation"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statesOfTheCloudRequest")
    void aClientThatGoesAwayClosesTheCloudRequest(String state, Behaviour behaviour, String lastEventSeen)
            throws Exception {
        server.then(behaviour);
        // the desktop's 5 s deadline: the client going away, not the deadline, ends the request
        try (HandoffSocket handoff = new HandoffSocket(body("desktop", TIMER))) {
            handoff.next(lastEventSeen);
            await().atMost(LIVENESS).until(() -> server.requests().size() == 1 && server.openConnections() == 1);
        }
        await("the upstream connection closed within 1 s of the client going away").atMost(UPSTREAM_SETTLED)
                .pollInterval(Duration.ofMillis(10)).until(() -> server.openConnections() == 0);
        assertThat(server.disconnects()).hasSize(1);
    }

    @Test
    void aClientThatGoesAwayBeforeItsWholeChatCompletionClosesTheCloudRequest() throws Exception {
        server.then(Behaviour.noAnswer());
        byte[] body = ("{\"messages\":[{\"role\":\"user\",\"content\":\"" + TIMER + "\"}],\"stream\":false}")
                .getBytes(StandardCharsets.UTF_8);
        // a non-streamed completion answers once, at the end: the client leaves while the cloud is still silent
        try (Socket client = new Socket("127.0.0.1", io.restassured.RestAssured.port)) {
            client.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nX-Device-Profile: desktop\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().write(body);
            client.getOutputStream().flush();
            await().atMost(LIVENESS).until(() -> server.requests().size() == 1 && server.openConnections() == 1);
        }
        await("the upstream connection closed within 1 s of the client going away").atMost(UPSTREAM_SETTLED)
                .pollInterval(Duration.ofMillis(10)).until(() -> server.openConnections() == 0);
        assertThat(server.disconnects()).hasSize(1);
    }

    // ---- the circuit breaker sees failures in the middle of the answer ----

    static Stream<Arguments> failuresInTheMiddleOfTheAnswer() {
        return Stream.of(
                Arguments.of("stalled", Behaviour.stallAfter(ALL, 3)),
                Arguments.of("error-event", Behaviour.errorEventAfter(ALL, 3)),
                Arguments.of("connection-lost", Behaviour.resetAfter(ALL, 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failuresInTheMiddleOfTheAnswer")
    void failuresAfterTheFirstTokenOpenTheBreakerAndTheLocalRepliesSaySo(String code, Behaviour behaviour) {
        double degradedBefore = Math.max(0, sample(metrics(), "handoff_degraded_total",
                "profile=\"" + TestDeviceProfiles.FAULTS + "\""));
        server.then(behaviour, behaviour);
        for (int i = 0; i < 2; i++) {
            JsonObject done = done(handoff(body(TestDeviceProfiles.FAULTS, TIMER)));
            assertThat(done.getString("degradedCode")).isEqualTo(code);
            // after an opener, the continuation's own space; after none (the profile opens with no words), none
            assertThat(done.getString("continuation").toLowerCase(Locale.ROOT)).as("after the opener '%s'",
                    done.getString("opener")).startsWith(
                            done.getString("opener").isEmpty() ? "zebra crossings are"
                                    : " zebra crossings are");
        }
        assertThat(conditions.isCloudReachable()).as("two failed answers in a row opened the breaker").isFalse();

        List<Event> local = handoff(body(TestDeviceProfiles.FAULTS, TIMER));
        JsonObject done = done(local);
        assertThat(first(local, "handoff").getJsonObject("plan").getString("mode")).isEqualTo("LOCAL_ONLY");
        assertThat(done.getBoolean("degraded")).as("a reply written while the breaker is open says so").isTrue();
        assertThat(done.getString("degradedCode")).isEqualTo("cloud-unavailable");
        assertThat(done.getString("strategy")).isEqualTo("local");
        assertThat(server.requests()).as("no request while the breaker is open").hasSize(2);
        assertThat(sample(metrics(), "handoff_degraded_total", "profile=\"" + TestDeviceProfiles.FAULTS + "\""))
                .as("all three counted in handoff.degraded").isEqualTo(degradedBefore + 3);
    }

    private static String metrics() {
        return given().accept("text/plain").when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    // ---- Retry-After ----

    @Test
    void retryAfterInSecondsIsWaitedBeforeTheRetry() {
        server.then(Behaviour.status(429, Map.of("Retry-After", "1")), Behaviour.stream(WHOLE, 0));
        // the phone's 4 s deadline leaves room for the wait
        JsonObject done = done(handoff(body("phone", TIMER)));
        assertThat(done.getBoolean("degraded")).isFalse();
        assertThat(done.getInteger("cloudAttempts")).isEqualTo(2);
        assertThat(done.getString("continuation").toLowerCase(Locale.ROOT)).isEqualTo(" zebra crossings are striped.");
        List<Long> arrived = server.requestNanos();
        assertThat(Duration.ofNanos(arrived.get(1) - arrived.get(0))).as("the retry waited what the cloud asked")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aRetryAfterBeyondTheDeadlineIsNotWaitedFor() {
        server.then(Behaviour.status(503, Map.of("Retry-After", "30")), Behaviour.stream(WHOLE, 0));
        JsonObject done = done(handoff(body("phone", TIMER)));
        assertThat(done.getString("degradedCode")).isEqualTo("http-error");
        assertThat(done.getInteger("cloudAttempts")).as("no retry the deadline cannot wait for").isEqualTo(1);
        assertThat(done.getJsonObject("timings").getDouble("totalMs")).as("the handoff did not wait 30 s")
                .isLessThan(30_000);
    }
}
