package io.quarkiverse.handoff.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.it.ServerSentEvents.Event;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Drives {@code POST /v1/handoff} of the device service over HTTP against a real OpenAI-protocol streaming server.
 */
@QuarkusTest
@QuarkusTestResource(value = OpenAiServerResource.class, restrictToAnnotatedClass = true)
class HandoffEndpointTest {

    static final String TIMER = "{\"messages\":[{\"role\":\"user\",\"content\":\"Set a timer for 10 minutes\"}],"
            + "\"profile\":\"phone\"}";

    @BeforeEach
    void reset() {
        OpenAiServerResource.server.reset();
        OpenAiServerResource.server.script(List.of(" starting", " now,", " I'll buzz", " when it's done."));
    }

    private static List<Event> handoff(String body) {
        String sse = given().contentType(ContentType.JSON).accept("text/event-stream").body(body)
                .when().post("/v1/handoff")
                .then().statusCode(200).extract().asString();
        return ServerSentEvents.parse(sse);
    }

    @Test
    void streamsOpenerWordsThenHandoffThenContinuationThenDone() {
        List<Event> events = handoff(TIMER);
        List<String> names = ServerSentEvents.names(events);

        int handoff = names.indexOf("handoff");
        assertThat(handoff).as("a handoff event in %s", names).isPositive();
        assertThat(names.subList(0, handoff)).as("opener words come first").isNotEmpty().containsOnly("opener");
        assertThat(names.subList(handoff + 1, names.size() - 1)).as("then the continuation").isNotEmpty()
                .containsOnly("continuation");
        assertThat(names.get(names.size() - 1)).isEqualTo("done");

        StringBuilder opener = new StringBuilder();
        events.subList(0, handoff).forEach(e -> opener.append(e.data().getString("text")));
        StringBuilder continuation = new StringBuilder();
        events.subList(handoff + 1, names.size() - 1).forEach(e -> continuation.append(e.data().getString("delta")));

        JsonObject plan = events.get(handoff).data();
        assertThat(plan.getString("committedOpener")).isEqualTo(opener.toString());
        assertThat(plan.getJsonObject("plan").getJsonArray("firedRules")).isNotEmpty();
        // the same firings with their package and reasons: the latency rule says what it covered
        JsonArray rules = plan.getJsonObject("plan").getJsonArray("rules");
        assertThat(rules.size()).isEqualTo(plan.getJsonObject("plan").getJsonArray("firedRules").size());
        JsonObject latency = rules.stream().map(JsonObject.class::cast)
                .filter(rule -> rule.getString("name").equals("Opener covers the expected cloud latency (4-8 words)"))
                .findFirst().orElseThrow();
        assertThat(latency.getString("package")).isEqualTo("io.quarkiverse.handoff.policies");
        assertThat(latency.getJsonArray("reasons").getString(0)).startsWith("the cloud's first token is expected after");
        // every event names itself in its data, as in its event line
        events.forEach(event -> assertThat(event.data().getString("type")).isEqualTo(event.name()));

        JsonObject done = events.get(events.size() - 1).data();
        assertThat(done.getString("text")).isEqualTo(opener + continuation.toString());
        assertThat(done.getString("opener")).isEqualTo(opener.toString());
        assertThat(done.getString("continuation")).isEqualTo(continuation.toString());
        assertThat(done.getBoolean("degraded")).isFalse();
        assertThat(done.getString("strategy")).isEqualTo("instruction");
        assertThat(continuation.toString()).contains("I'll buzz when it's done.");

        JsonObject timings = done.getJsonObject("timings");
        for (String timing : List.of("openerFirstTokenMs", "openerFirstWordMs", "openerDoneMs", "cloudRequestSentMs",
                "cloudFirstTokenMs", "seamGapMs", "totalMs")) {
            assertThat(timings.getDouble(timing)).as(timing).isNotNull().isGreaterThanOrEqualTo(0.0);
        }
        assertThat(timings.getDouble("openerFirstWordMs")).isLessThanOrEqualTo(timings.getDouble("openerDoneMs"));
        assertThat(timings.getDouble("openerDoneMs")).isLessThanOrEqualTo(timings.getDouble("cloudRequestSentMs"));
        assertThat(timings.getDouble("cloudRequestSentMs")).isLessThanOrEqualTo(timings.getDouble("cloudFirstTokenMs"));
    }

    @Test
    void everyEventIsAnEventNameAndOneLineOfJsonData() {
        String sse = given().contentType(ContentType.JSON).accept("text/event-stream").body(TIMER)
                .when().post("/v1/handoff")
                .then().statusCode(200).extract().asString();
        List<String> lines = sse.lines().filter(line -> !line.isEmpty()).toList();
        assertThat(lines).as("the stream as curl shows it").isNotEmpty()
                .allSatisfy(line -> assertThat(line).matches("(event|data):.*"));
        assertThat(lines.stream().filter(line -> line.startsWith("event:")).count())
                .isEqualTo(lines.stream().filter(line -> line.startsWith("data:")).count());
        lines.stream().filter(line -> line.startsWith("data:"))
                .forEach(line -> assertThat(new JsonObject(line.substring("data:".length())).getString("type"))
                        .isNotBlank());
    }

    @Test
    void theCloudReceivesTheCommittedOpenerAndTheQuestion() {
        List<Event> events = handoff(TIMER);
        String committed = events.stream().filter(e -> "handoff".equals(e.name())).findFirst().orElseThrow().data()
                .getString("committedOpener");

        List<JsonObject> requests = OpenAiServerResource.server.requests();
        assertThat(requests).hasSize(1);
        JsonObject request = requests.get(0);
        assertThat(request.getBoolean("stream")).isTrue();
        String lastMessage = request.getJsonArray("messages").getJsonObject(request.getJsonArray("messages").size() - 1)
                .getString("content");
        assertThat(lastMessage).contains("Set a timer for 10 minutes").contains(committed.strip());
        assertThat(request.getJsonArray("messages").getJsonObject(0).getString("role")).isEqualTo("system");
    }

    @Test
    void theProfileCanComeFromTheHeader() {
        String sse = given().contentType(ContentType.JSON).header("X-Device-Profile", "watch")
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of Peru?\"}]}")
                .when().post("/v1/handoff")
                .then().statusCode(200).extract().asString();
        List<Event> events = ServerSentEvents.parse(sse);
        JsonObject plan = events.stream().filter(e -> "handoff".equals(e.name())).findFirst().orElseThrow().data()
                .getJsonObject("plan");
        assertThat(plan.getString("profile")).isEqualTo("watch");
        // the grounding guard and the speech confidence stop are in the plan the client gets
        assertThat(plan.getBoolean("groundedOnly")).isTrue();
        assertThat(plan.getJsonArray("factClasses").getList()).containsExactly("NUMBER", "DATE_TIME", "NAME", "GUESSED_WORD",
                "UNIT", "TOPIC", "DIRECTION", "FEELING", "SAFETY");
        assertThat(plan.getDouble("confidenceThreshold")).isEqualTo(0.15);
    }

    @Test
    void anUnknownProfileIsABadRequestThatListsTheKnownOnes() {
        given().contentType(ContentType.JSON)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"profile\":\"toaster\"}")
                .when().post("/v1/handoff")
                .then().statusCode(400)
                .body("error", equalTo("invalid-request"))
                .body("message", containsString("toaster"))
                .body("message", containsString("watch"))
                .body("message", containsString("quarkus.handoff.policy.profiles"));
        assertThat(OpenAiServerResource.server.requests()).isEmpty();
    }

    @Test
    void malformedJsonIsABadRequestThatSaysWhatIsExpected() {
        given().contentType(ContentType.JSON).body("{\"messages\":[{\"role\":\"user\",")
                .when().post("/v1/handoff")
                .then().statusCode(400)
                .body("error", equalTo("malformed-json"))
                .body("message", containsString("\"messages\""));
    }

    @Test
    void aBadBodyIsDescribedInItsOwnTermsNeverInJavaClasses() {
        assertBadJson("{\"messages\":\"hi\",\"profile\":\"watch\"}", "'messages' must be a list");
        assertBadJson("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"profile\":\"watch\","
                + "\"device\":{\"battery\":\"full\"}}", "'device.battery' must be a number (it is \"full\")");
        assertBadJson("{\"messages\":[{\"role\":\"user\",\"content\":{\"text\":\"hi\"}}],\"profile\":\"watch\"}",
                "'messages[0].content' must be a text");
        assertBadJson("{\"messages\":[{\"role\":\"user\",\"content\":123}],\"profile\":\"watch\"}",
                "'messages[0].content' must be a text (it is ");
        assertBadJson("{\"messages\":[{\"role\":\"user\",", "the JSON is malformed at line 1, column");
    }

    private static void assertBadJson(String body, String expected) {
        String message = given().contentType(ContentType.JSON).body(body)
                .when().post("/v1/handoff")
                .then().statusCode(400)
                .body("error", equalTo("malformed-json"))
                .extract().path("message");
        assertThat(message).contains(expected)
                .doesNotContain("java.").doesNotContain("io.quarkiverse").doesNotContain("HandoffBody")
                .doesNotContain("`").doesNotContain("Source").doesNotContain("StreamReadFeature");
    }

    @Test
    void anUnknownPrivacyLevelIsABadRequestThatNamesTheKnownOnes() {
        given().contentType(ContentType.JSON)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"profile\":\"watch\","
                        + "\"device\":{\"privacy\":\"secret\"}}")
                .when().post("/v1/handoff")
                .then().statusCode(400)
                .body("error", equalTo("invalid-request"))
                .body("message", containsString("device.privacy 'secret' is unknown"))
                .body("message", containsString("normal, sensitive"));
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWithAJsonError() {
        given().contentType(ContentType.TEXT).body("What is 17 times 23?")
                .when().post("/v1/handoff")
                .then().statusCode(415)
                .contentType(ContentType.JSON)
                .body("error", equalTo("unsupported-media-type"))
                .body("message", containsString("Content-Type: application/json"));
    }

    @Test
    void aBodyWithoutMessagesOrWithAWrongRoleIsABadRequest() {
        given().contentType(ContentType.JSON).body("{\"profile\":\"watch\"}")
                .when().post("/v1/handoff")
                .then().statusCode(400)
                .body("message", containsString("'messages'"));
        given().contentType(ContentType.JSON)
                .body("{\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}],\"profile\":\"watch\"}")
                .when().post("/v1/handoff")
                .then().statusCode(400)
                .body("message", containsString("messages[0]"))
                .body("message", containsString("robot"));
    }

    @Test
    void aRequestNamingNoProfileIsServedByTheDefaultProfileAsOnChatCompletions() {
        List<Event> events = handoff("{\"messages\":[{\"role\":\"user\",\"content\":\"Set a timer for 10 minutes\"}]}");
        JsonObject handoff = events.get(ServerSentEvents.names(events).indexOf("handoff")).data();
        assertThat(handoff.getJsonObject("plan").getString("profile")).as("handoff.sample.default-profile")
                .isEqualTo("phone");
        assertThat(ServerSentEvents.names(events)).endsWith("done");
    }

    @Test
    void whenTheCloudFailsTheReplyIsFinishedOnTheDeviceAndMarkedDegraded() {
        OpenAiServerResource.server.failWith(500);
        List<Event> events = handoff(TIMER);
        assertThat(OpenAiServerResource.server.requests()).isNotEmpty();
        List<String> names = ServerSentEvents.names(events);
        assertThat(names).contains("opener", "handoff").endsWith("done").doesNotContain("error");
        JsonObject done = events.get(events.size() - 1).data();
        assertThat(done.getBoolean("degraded")).isTrue();
        assertThat(done.getString("strategy")).isEqualTo("local");
        assertThat(done.getString("text")).startsWith(done.getString("opener"));
    }

    @Test
    void readinessIsUpOnceTheOpenerModelIsLoaded() {
        // the first handoff waits for the model; afterwards readiness must be UP
        handoff(TIMER);
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Handoff opener model' }.status", equalTo("UP"));
    }
}
