package io.quarkiverse.handoff.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkiverse.handoff.it.OpenAiStreamingServer.Behaviour;
import io.quarkiverse.handoff.it.ServerSentEvents.Event;
import io.quarkiverse.handoff.runtime.continuator.ContinuationGuard;
import io.quarkiverse.handoff.runtime.policy.CloudConditions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The cloud continuation end to end, over HTTP, against a real OpenAI-protocol server that misbehaves on demand: the
 * seam, the three recovery methods, cancellation reaching the server, the local finish when the cloud fails at each
 * stage, retry before the first token, the circuit breaker, connection pre-warming and the timings.
 */
@QuarkusTest
@QuarkusTestResource(value = MisbehavingCloudResource.class, restrictToAnnotatedClass = true)
class CloudContinuationTest {

    static final String TIMER = "Set a timer for 10 minutes";
    /** How long to wait for what must happen, at most: a guard against hanging, never a measure of speed. */
    static final long LIVENESS_MS = 30_000;

    @Inject
    ContinuationGuard guard;

    @Inject
    CloudConditions conditions;

    @Inject
    HandoffEventTimes eventTimes;

    OpenAiStreamingServer server = MisbehavingCloudResource.server;

    @BeforeEach
    void reset() throws InterruptedException {
        // a retry or a stalled stream of the previous test may still reach the server: let it settle first, so it
        // cannot take this test's scripted behaviours
        long deadline = System.currentTimeMillis() + 2000;
        int seen = -1;
        while (seen != server.requests().size() && System.currentTimeMillis() < deadline) {
            seen = server.requests().size();
            Thread.sleep(250);
        }
        server.reset();
        conditions.reset();
        guard.reset();
    }

    static String body(String profile, String question) {
        return new JsonObject().put("profile", profile)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", question)))
                .encode();
    }

    static List<Event> handoff(String body) {
        String sse = given().contentType(ContentType.JSON).accept("text/event-stream").body(body)
                .when().post("/v1/handoff")
                .then().statusCode(200).extract().asString();
        List<Event> events = ServerSentEvents.parse(sse);
        assertThat(ServerSentEvents.names(events)).as("a complete handoff").endsWith("done").doesNotContain("error");
        return events;
    }

    static JsonObject done(List<Event> events) {
        return events.get(events.size() - 1).data();
    }

    static JsonObject first(List<Event> events, String name) {
        return events.stream().filter(e -> name.equals(e.name())).findFirst().orElseThrow().data();
    }

    static String lastMessage(JsonObject request) {
        JsonArray messages = request.getJsonArray("messages");
        return messages.getJsonObject(messages.size() - 1).getString("content");
    }

    // ---- the seam ----

    @Test
    void theOpenersWordsThatTheCloudEchoesAreRemovedAtTheSeam() {
        server.then(Behaviour.echoOpener(3, List.of(" zebra", " crossings are striped.")));
        List<Event> events = handoff(body("phone", TIMER));
        JsonObject done = done(events);
        String opener = done.getString("opener");
        assertThat(server.echoed()).containsExactly(opener.strip());
        String continuation = done.getString("continuation");
        assertThat(continuation.strip().toLowerCase(Locale.ROOT)).isEqualTo("zebra crossings are striped.");
        assertThat(done.getString("text")).isEqualTo(opener + continuation);
        assertThat(done.getString("strategy")).isEqualTo("instruction");
        assertThat(done.getBoolean("degraded")).isFalse();
    }

    // ---- the three recovery methods ----

    @ParameterizedTest(name = "{0} recovers by {1}")
    @CsvSource({
            "phone, explicit, acknowledge the slip",
            "watch, natural, no negation",
            "earbuds, humorous, playful line",
    })
    void eachRecoveryMethodFiresWhenTheCloudPivots(String profile, String method, String instructionPhrase) {
        server.then(Behaviour.stream(List.of("[PIV", "OT] Zebra", " time: ten minutes, starting now."), 0));
        List<Event> events = handoff(body(profile, TIMER));
        List<String> names = ServerSentEvents.names(events);

        assertThat(first(events, "handoff").getJsonObject("plan").getString("recoveryMethod")).isEqualTo(method);
        int correction = names.indexOf("correction");
        assertThat(correction).as("a correction event in %s", names).isPositive();
        assertThat(correction).as("before any continuation").isLessThan(names.indexOf("continuation"));
        JsonObject event = events.get(correction).data();
        assertThat(event.getString("method")).isEqualTo(method);
        assertThat(event.getString("reason")).contains("pivoted");

        JsonObject done = done(events);
        assertThat(done.getString("correction")).isEqualTo(method);
        assertThat(done.getString("continuation")).doesNotContain("PIV").doesNotContain("[")
                .contains("Zebra time: ten minutes, starting now.");
        assertThat(lastMessage(server.requests().get(0))).as("the method's instruction reached the cloud")
                .contains(instructionPhrase).contains("[PIVOT]");
    }

    @ParameterizedTest(name = "{0}: at most {1} tokens")
    @CsvSource({ "watch, 100", "phone, 300", "desktop, 800" })
    void theCloudRequestIsShapedByThePlan(String profile, int maxTokens) {
        server.then(Behaviour.stream(UNSPOKEN, 0));
        List<Event> events = handoff(body(profile, TIMER));
        JsonObject cloud = first(events, "handoff").getJsonObject("plan").getJsonObject("cloud");
        assertThat(cloud.getInteger("maxTokens")).isEqualTo(maxTokens);
        JsonObject request = server.requests().get(0);
        assertThat(request.getInteger("max_tokens")).as("the plan's token limit on the wire").isEqualTo(maxTokens);
        assertThat(request.getDouble("temperature")).isEqualTo(0.7);
    }

    @Test
    void aMarkerInTheMiddleOfTheContinuationInAnyFormIsNeverShownAndFiresTheCorrection() {
        server.then(Behaviour.stream(List.of(" zebra crossings.", " **[PI", "VOT]** Sorry, correction:",
                " ten minutes, starting now."), 0));
        List<Event> events = handoff(body("phone", TIMER));
        List<String> names = ServerSentEvents.names(events);
        assertThat(names).contains("correction");
        assertThat(names.indexOf("correction")).as("when the marker came, after the first continuation text")
                .isGreaterThan(names.indexOf("continuation"));
        JsonObject done = done(events);
        assertThat(done.getString("correction")).isEqualTo("explicit");
        assertThat(done.getString("continuation")).doesNotContainIgnoringCase("pivot").doesNotContain("*")
                .endsWith("crossings. Sorry, correction: ten minutes, starting now.");
        assertThat(done.getBoolean("degraded")).isFalse();
    }

    @Test
    void aMarkerWithNothingAfterItEndsWithTheMethodsSentenceAndIsDegraded() {
        server.then(Behaviour.stream(List.of(" [PIVOT]", "  "), 0));
        List<Event> events = handoff(body("phone", TIMER));
        JsonObject done = done(events);
        assertThat(done.getString("correction")).isEqualTo("explicit");
        assertThat(done.getString("continuation")).doesNotContainIgnoringCase("pivot")
                .endsWith(" Sorry, that wasn't right, and I can't give you the correct answer just now.");
        assertThat(done.getString("text")).isEqualTo(done.getString("opener") + done.getString("continuation"));
        assertThat(done.getBoolean("degraded")).isTrue();
        assertThat(done.getString("degradedCode")).isEqualTo("pivot-unanswered");
    }

    /**
     * A continuation no sampled opener says (the demo model knows no zebras): the seam never finds an echo in it, so
     * the whole script reaches the user.
     */
    static final List<String> UNSPOKEN = List.of(" zebra", " crossings are striped.");

    static String unspoken(JsonObject done) {
        return done.getString("continuation").strip().toLowerCase(Locale.ROOT);
    }

    @Test
    void noCorrectionFiresWhenTheCloudDoesNotPivot() {
        server.then(Behaviour.stream(UNSPOKEN, 0));
        List<Event> events = handoff(body("phone", TIMER));
        assertThat(ServerSentEvents.names(events)).doesNotContain("correction");
        assertThat(done(events).getString("correction")).isNull();
    }

    // ---- cancellation ----

    @Test
    void cancellingAfterTheFirstTokenClosesTheCloudRequest() throws Exception {
        // a stream far longer than the cancel takes to reach the server (40 chunks, 10 s): it cannot end first
        List<String> chunks = new ArrayList<>(List.of(" zebra"));
        for (int i = 1; i < 40; i++) {
            chunks.add(" " + i);
        }
        server.then(Behaviour.stream(chunks, 250));
        try (HandoffSocket handoff = new HandoffSocket(body("phone", TIMER))) {
            handoff.next("continuation");
        }
        assertThat(server.awaitDisconnect(LIVENESS_MS)).as("the cloud server saw the client go away").isTrue();
        assertThat(server.disconnects().get(0).path()).endsWith("/chat/completions");
    }

    @Test
    void cancellingBeforeTheFirstTokenClosesTheCloudRequest() throws Exception {
        server.then(Behaviour.stallBeforeFirstChunk());
        try (HandoffSocket handoff = new HandoffSocket(body("desktop", TIMER))) {
            handoff.next("handoff");
            long end = System.currentTimeMillis() + LIVENESS_MS;
            while (server.requests().isEmpty() && System.currentTimeMillis() < end) {
                Thread.sleep(10);
            }
            assertThat(server.requests()).hasSize(1);
            Thread.sleep(100); // the request is in flight, its headers received, no token yet
        }
        assertThat(server.awaitDisconnect(LIVENESS_MS)).as("the cloud server saw the client go away").isTrue();
    }

    // ---- the cloud fails at each stage: the reply is finished on the device ----

    private static JsonObject degraded(List<Event> events) {
        JsonObject done = done(events);
        assertThat(done.getBoolean("degraded")).isTrue();
        assertThat(done.getString("strategy")).isEqualTo("local");
        assertThat(done.getString("text")).startsWith(done.getString("opener"))
                .isEqualTo(done.getString("opener") + done.getString("continuation"));
        assertThat(done.getString("continuation")).as("the device finished the reply").isNotBlank();
        return done;
    }

    @Test
    void http500BeforeTheHeadersIsRetriedThenFinishedLocally() {
        server.then(Behaviour.status(500), Behaviour.status(500));
        JsonObject done = degraded(handoff(body("phone", TIMER)));
        assertThat(done.getInteger("cloudAttempts")).isEqualTo(2);
        assertThat(server.requests()).hasSize(2);
        assertThat(done.getString("degradedCode")).isEqualTo("http-error");
        assertThat(done.getString("degradedReason")).isEqualTo("the cloud answered HTTP 500");
    }

    @Test
    void aConnectionClosedBeforeTheHeadersIsRetriedThenFinishedLocally() {
        server.then(Behaviour.closeBeforeHeaders(), Behaviour.closeBeforeHeaders());
        JsonObject done = degraded(handoff(body("phone", TIMER)));
        assertThat(done.getInteger("cloudAttempts")).isEqualTo(2);
        assertThat(done.getString("degradedCode")).isEqualTo("connection-failed");
        assertThat(done.getString("degradedReason")).startsWith("the cloud could not be reached");
    }

    @Test
    void aConnectionDroppedMidStreamIsFinishedLocallyAfterWhatWasShown() {
        server.then(Behaviour.dropAfter(List.of(" zebra", " crossings", " never shown"), 2));
        List<Event> events = handoff(body("phone", TIMER));
        JsonObject done = degraded(events);
        assertThat(done.getInteger("cloudAttempts")).as("no retry once text was shown").isEqualTo(1);
        assertThat(done.getString("degradedCode")).isEqualTo("connection-lost");
        assertThat(done.getString("continuation").toLowerCase(Locale.ROOT)).startsWith(" zebra crossings")
                .doesNotContain("never shown");
        assertThat(done.getJsonObject("timings").getDouble("cloudFirstTokenMs")).isNotNull();
    }

    @Test
    void aCloudStalledBeforeItsFirstTokenIsAbandonedAtTheDeadline() throws Exception {
        server.then(Behaviour.stallBeforeFirstChunk());
        List<Event> events = handoff(body("watch", TIMER));
        JsonObject done = degraded(events);
        long deadline = first(events, "handoff").getJsonObject("plan").getLong("cloudFirstTokenDeadlineMs");
        assertThat(done.getString("degradedCode")).isEqualTo("first-token-timeout");
        assertThat(done.getString("degradedReason")).contains("no first token within " + deadline + " ms");
        assertThat(done.getInteger("cloudAttempts")).as("a timeout is not retried").isEqualTo(1);
        assertThat(done.getJsonObject("timings").getDouble("cloudFirstTokenMs")).isNull();
        assertThat(server.awaitDisconnect(LIVENESS_MS)).as("the abandoned request was closed").isTrue();
        String continuator = first(events, "handoff").getString("continuator");
        assertThat(conditions.expectedCloudFirstTokenMs(continuator)).as("the policy learns the cloud is slow")
                .hasValue(deadline);
    }

    @Test
    void aCloudStalledMidStreamIsAbandonedAfterTheIdleTimeout() {
        server.then(Behaviour.stallAfter(List.of(" zebra", " crossings", " never shown"), 2));
        JsonObject done = degraded(handoff(body("phone", TIMER)));
        assertThat(done.getString("degradedCode")).isEqualTo("stalled");
        assertThat(done.getString("degradedReason")).contains("stalled").contains("600 ms");
        assertThat(done.getString("continuation").toLowerCase(Locale.ROOT)).startsWith(" zebra crossings");
    }

    @Test
    void aFailureBeforeTheFirstTokenIsRetriedTransparently() {
        server.then(Behaviour.status(503), Behaviour.stream(UNSPOKEN, 0));
        JsonObject done = done(handoff(body("phone", TIMER)));
        assertThat(done.getBoolean("degraded")).isFalse();
        assertThat(done.getInteger("cloudAttempts")).isEqualTo(2);
        assertThat(unspoken(done)).isEqualTo("zebra crossings are striped.");
        assertThat(done.getString("strategy")).isEqualTo("instruction");
    }

    // ---- circuit breaker ----

    @Test
    void anOpenCircuitBreakerSendsPlansLocalOnlyUntilItsDelayPassed() throws Exception {
        server.then(Behaviour.status(500), Behaviour.status(500));
        degraded(handoff(body("phone", TIMER)));
        assertThat(conditions.isCloudReachable()).as("the breaker opened").isFalse();

        List<Event> local = handoff(body("phone", TIMER));
        JsonObject plan = first(local, "handoff").getJsonObject("plan");
        assertThat(plan.getString("mode")).isEqualTo("LOCAL_ONLY");
        assertThat(plan.getJsonArray("firedRules").getList())
                .contains("Cloud unreachable: the micro-model answers alone");
        assertThat(server.requests()).as("no request while the breaker is open").hasSize(2);

        long end = System.currentTimeMillis() + LIVENESS_MS;
        while (!conditions.isCloudReachable() && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        assertThat(conditions.isCloudReachable()).as("tried again after the breaker's delay").isTrue();
        server.then(Behaviour.stream(UNSPOKEN, 0));
        JsonObject done = done(handoff(body("phone", TIMER)));
        assertThat(done.getBoolean("degraded")).isFalse();
        assertThat(unspoken(done)).isEqualTo("zebra crossings are striped.");
        assertThat(server.requests()).hasSize(3);
        assertThat(conditions.isCloudReachable()).isTrue();
    }

    @Test
    void aConversationTheCloudRefusesAsTooLongNeitherRetriesNorOpensTheBreaker() {
        server.then(Behaviour.tooLong(), Behaviour.tooLong());
        for (int i = 0; i < 2; i++) {
            String sse = given().contentType(ContentType.JSON).accept("text/event-stream").body(body("phone", TIMER))
                    .when().post("/v1/handoff").then().statusCode(200).extract().asString();
            List<Event> events = ServerSentEvents.parse(sse);
            assertThat(ServerSentEvents.names(events)).endsWith("error").doesNotContain("done");
            assertThat(events.get(events.size() - 1).data().getString("code")).isEqualTo("conversation-too-long");
        }
        assertThat(server.requests()).as("one request each, no retry").hasSize(2);
        assertThat(conditions.isCloudReachable()).as("two failures in a row would open this breaker").isTrue();
        server.then(Behaviour.stream(UNSPOKEN, 0));
        JsonObject done = done(handoff(body("phone", TIMER)));
        assertThat(done.getBoolean("degraded")).isFalse();
        assertThat(unspoken(done)).isEqualTo("zebra crossings are striped.");
    }

    // ---- early start, timings, multi-turn ----

    @Test
    void theConnectionIsWarmedWhileTheOpenerSpeaksAndTheTimingsAreReported() throws InterruptedException {
        server.then(Behaviour.stream(UNSPOKEN, 0));
        eventTimes.clear();
        List<Event> events = handoff(body("phone", TIMER));
        JsonObject done = done(events);
        assertThat(unspoken(done)).isEqualTo("zebra crossings are striped.");
        // the pre-warm goes out as the handoff starts, alongside the opener: when it arrives depends on the machine,
        // that it arrives does not
        assertThat(server.awaitPrewarms(1, 5000)).as("a pre-warm request went out").isTrue();
        assertThat(server.otherRequests()).as("the pre-warm is a HEAD on the base url, never a model endpoint")
                .isNotEmpty().allMatch("HEAD /v1/"::equals);
        assertThat(first(events, "handoff").getString("continuator")).as("the provider that answered")
                .isEqualTo("langchain4j:openai");
        assertThat(done(events).getString("continuator")).isEqualTo("langchain4j:openai");

        // the continuation request leaves at the commit: after the opener's last word, before any continuation
        long requestArrived = server.requestNanos().get(0);
        assertThat(requestArrived).as("the cloud request arrived after the opener's last word")
                .isGreaterThan(eventTimes.last("opener"));
        assertThat(requestArrived).as("the cloud request arrived before the first continuation text")
                .isLessThan(eventTimes.first("continuation"));

        JsonObject timings = done.getJsonObject("timings");
        for (String timing : List.of("openerFirstTokenMs", "openerFirstWordMs", "openerDoneMs", "cloudRequestSentMs",
                "cloudFirstTokenMs", "seamGapMs", "totalMs", "cloudRequestGapMs", "cloudFirstTokenLatencyMs")) {
            assertThat(timings.getDouble(timing)).as(timing).isNotNull().isGreaterThanOrEqualTo(0.0);
        }
        assertThat(timings.getDouble("cloudRequestGapMs")).as("from the commit to the request leaving").isCloseTo(
                timings.getDouble("cloudRequestSentMs") - timings.getDouble("openerDoneMs"),
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(timings.getDouble("cloudFirstTokenLatencyMs")).isCloseTo(
                timings.getDouble("cloudFirstTokenMs") - timings.getDouble("cloudRequestSentMs"),
                org.assertj.core.data.Offset.offset(0.01));
        assertThat(timings.getDouble("seamGapMs")).isGreaterThanOrEqualTo(timings.getDouble("cloudFirstTokenMs")
                - timings.getDouble("openerDoneMs") - 0.01);
        assertTimingsInOrder(timings);
    }

    /**
     * The timings of a continued handoff happen in order, on one clock: the opener's first token, its first word, its
     * commit, the cloud request, the cloud's first token, the first continuation text (the seam gap after the commit),
     * the end.
     */
    static void assertTimingsInOrder(JsonObject timings) {
        double firstToken = timings.getDouble("openerFirstTokenMs");
        double firstWord = timings.getDouble("openerFirstWordMs");
        double openerDone = timings.getDouble("openerDoneMs");
        double requestSent = timings.getDouble("cloudRequestSentMs");
        double cloudFirstToken = timings.getDouble("cloudFirstTokenMs");
        double total = timings.getDouble("totalMs");
        double firstText = openerDone + timings.getDouble("seamGapMs");
        assertThat(firstToken).as("opener first token").isPositive().isLessThanOrEqualTo(firstWord);
        assertThat(firstWord).as("opener first word").isLessThanOrEqualTo(openerDone);
        assertThat(openerDone).as("opener done").isLessThanOrEqualTo(requestSent);
        assertThat(requestSent).as("cloud request sent").isLessThan(cloudFirstToken);
        assertThat(cloudFirstToken).as("cloud first token").isLessThanOrEqualTo(firstText + 0.01);
        assertThat(firstText).as("first continuation text").isLessThanOrEqualTo(total + 0.01);
    }

    // ---- speculative cloud start, no opener ----

    @Test
    void aSpeculativeAnswerIsCancelledAtTheServerWhenTheOpenerCommits() throws Exception {
        // the speculation (held: no token yet) and the continuation are told apart by content, not arrival order
        server.thenForAnswers(Behaviour.hold());
        server.then(Behaviour.stream(UNSPOKEN, 0));
        List<Event> events = handoff(body(TestDeviceProfiles.SPECULATIVE, TIMER));
        JsonObject done = done(events);

        assertThat(first(events, "handoff").getJsonObject("plan").getBoolean("speculativeCloudStart")).isTrue();
        assertThat(done.getString("speculation")).isEqualTo("unused");
        assertThat(done.getString("strategy")).isEqualTo("instruction");
        assertThat(unspoken(done)).isEqualTo("zebra crossings are striped.");
        List<JsonObject> requests = server.requests();
        assertThat(requests).hasSize(2);
        int speculation = TIMER.equals(lastMessage(requests.get(0))) ? 0 : 1;
        assertThat(lastMessage(requests.get(speculation))).as("the speculation asks the plain question")
                .isEqualTo(TIMER);
        assertThat(lastMessage(requests.get(1 - speculation))).as("the continuation names the committed opener")
                .contains("word for word: \"" + done.getString("opener").strip() + "\"");
        assertThat(server.awaitDisconnect(LIVENESS_MS)).as("the server saw the speculation cancelled").isTrue();
        assertThat(server.disconnects().get(0).clientPort()).isEqualTo(server.requestPorts().get(speculation));
        assertTimingsInOrder(done.getJsonObject("timings"));
    }

    @Test
    void withoutAnOpenerTheCloudAnswersFromScratch() {
        server.then(Behaviour.stream(List.of("A ten minute timer", " is running."), 0));
        List<Event> events = handoff(body(TestDeviceProfiles.CLOUD_ONLY, TIMER));
        JsonObject done = done(events);

        assertThat(ServerSentEvents.names(events)).doesNotContain("opener");
        assertThat(done.getString("opener")).isEmpty();
        assertThat(done.getString("strategy")).isEqualTo("answer");
        assertThat(done.getString("text")).isEqualTo("A ten minute timer is running.");
        assertThat(done.getString("speculation")).isNull();
        JsonArray messages = server.requests().get(0).getJsonArray("messages");
        assertThat(lastMessage(server.requests().get(0))).as("the question, not a continuation of nothing")
                .isEqualTo(TIMER);
        assertThat(messages.getJsonObject(0).getString("content")).contains("Answer the user's last message");
        JsonObject timings = done.getJsonObject("timings");
        assertThat(timings.getDouble("openerFirstTokenMs")).isNull();
        assertThat(timings.getDouble("cloudRequestSentMs")).isLessThan(timings.getDouble("cloudFirstTokenMs"));
        assertThat(timings.getDouble("cloudFirstTokenMs")).isLessThanOrEqualTo(timings.getDouble("totalMs"));
    }

    @Test
    void theRequestCarriesTheProvidersCredentials() {
        server.then(Behaviour.stream(UNSPOKEN, 0));
        handoff(body("phone", TIMER));
        assertThat(server.requestHeaders().get(0))
                .containsEntry("Authorization", "Bearer test-key")
                .containsEntry("OpenAI-Organization", MisbehavingCloudResource.ORGANIZATION)
                .containsEntry("Accept", "text/event-stream");
    }

    @Test
    void theWholeConversationReachesTheCloud() {
        server.then(Behaviour.stream(List.of(" Ada."), 0));
        String body = new JsonObject().put("profile", "phone").put("messages", new JsonArray()
                .add(new JsonObject().put("role", "system").put("content", "Answer in five words at most."))
                .add(new JsonObject().put("role", "user").put("content", "My name is Ada."))
                .add(new JsonObject().put("role", "assistant").put("content", "Nice to meet you, Ada."))
                .add(new JsonObject().put("role", "user").put("content", "What is my name?"))).encode();
        handoff(body);
        JsonArray messages = server.requests().get(0).getJsonArray("messages");
        assertThat(messages.size()).isEqualTo(4);
        assertThat(messages.getJsonObject(0).getString("role")).isEqualTo("system");
        assertThat(messages.getJsonObject(0).getString("content")).contains("Answer in five words at most.");
        assertThat(messages.getJsonObject(1).getString("content")).isEqualTo("My name is Ada.");
        assertThat(messages.getJsonObject(2).getString("role")).isEqualTo("assistant");
        assertThat(messages.getJsonObject(2).getString("content")).isEqualTo("Nice to meet you, Ada.");
        assertThat(messages.getJsonObject(3).getString("content")).contains("What is my name?");
    }
}
