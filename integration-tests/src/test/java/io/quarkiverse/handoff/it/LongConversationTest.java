package io.quarkiverse.handoff.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkiverse.handoff.it.OpenAiStreamingServer.Behaviour;
import io.quarkiverse.handoff.it.ServerSentEvents.Event;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Conversations far longer than the opener model's 256-token window, over HTTP: each endpoint answers them normally
 * (opener words, handoff, continuation, done), the opener working from its window of the conversation and the cloud
 * receiving all of it. Only a conversation the cloud itself refuses as too long ends with an error, a clear 400.
 */
@QuarkusTest
@QuarkusTestResource(value = OpenAiServerResource.class, restrictToAnnotatedClass = true)
class LongConversationTest {

    static final List<String> SCRIPT = List.of(" starting", " now,", " I'll buzz", " when it's done.");

    /**
     * A single question of 600 words: every word is at least one token of the opener's tokenizer (its pre-tokenizer
     * splits at spaces), so it is over 600 tokens.
     */
    static final String QUESTION = "Here are my notes: "
            + IntStream.rangeClosed(1, 600).mapToObj(i -> "note" + i).collect(Collectors.joining(" "))
            + ". Which note comes last?";

    /** A chat of 20 messages, alternating user and assistant turns of 25 words each, the question last. */
    static final List<JsonObject> CHAT = chat();

    private static List<JsonObject> chat() {
        List<JsonObject> messages = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            String words = IntStream.rangeClosed(1, 25).mapToObj(w -> "m" + w).collect(Collectors.joining(" "));
            messages.add(new JsonObject().put("role", i % 2 == 0 ? "user" : "assistant")
                    .put("content", "Message " + i + ": " + words + "."));
        }
        messages.add(new JsonObject().put("role", "user").put("content", "What was message zero about?"));
        return messages;
    }

    static List<JsonObject> question() {
        return List.of(new JsonObject().put("role", "user").put("content", QUESTION));
    }

    static Stream<Arguments> conversations() {
        return Stream.of(Arguments.of("a 600-token question", question()), Arguments.of("a 20-message chat", CHAT));
    }

    OpenAiStreamingServer server = OpenAiServerResource.server;

    @BeforeEach
    void reset() {
        server.reset();
        server.script(SCRIPT);
    }

    static String handoffBody(List<JsonObject> messages) {
        return new JsonObject().put("profile", "phone").put("messages", new JsonArray(new ArrayList<>(messages)))
                .encode();
    }

    static String completionBody(List<JsonObject> messages, boolean stream) {
        return new JsonObject().put("model", "handoff").put("stream", stream).put("metadata",
                new JsonObject().put("profile", "phone")).put("messages", new JsonArray(new ArrayList<>(messages)))
                .encode();
    }

    static List<Event> handoff(List<JsonObject> messages) {
        return ServerSentEvents.parse(given().contentType(ContentType.JSON).accept("text/event-stream")
                .body(handoffBody(messages)).when().post("/v1/handoff").then().statusCode(200).extract().asString());
    }

    /** The data of each {@code data:} line of a raw chat-completion stream, {@code [DONE]} included. */
    static List<String> streamedData(List<JsonObject> messages) {
        String body = given().contentType(ContentType.JSON).body(completionBody(messages, true))
                .when().post("/v1/chat/completions").then().statusCode(200).extract().asString();
        return body.lines().filter(line -> line.startsWith("data: ")).map(line -> line.substring(6)).toList();
    }

    /** The conversation reached the cloud whole: every earlier turn as it was, the question in the last message. */
    void assertTheCloudGotAllOf(List<JsonObject> conversation) {
        assertThat(server.requests()).hasSize(1);
        JsonArray sent = server.requests().get(0).getJsonArray("messages");
        assertThat(sent.size()).as("the system prompt and every message").isEqualTo(conversation.size() + 1);
        for (int i = 0; i < conversation.size() - 1; i++) {
            assertThat(sent.getJsonObject(i + 1).getString("role")).isEqualTo(conversation.get(i).getString("role"));
            assertThat(sent.getJsonObject(i + 1).getString("content"))
                    .isEqualTo(conversation.get(i).getString("content"));
        }
        assertThat(sent.getJsonObject(sent.size() - 1).getString("content"))
                .contains(conversation.get(conversation.size() - 1).getString("content"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conversations")
    void theHandoffEndpointAnswersNormally(String name, List<JsonObject> conversation) {
        List<Event> events = handoff(conversation);
        List<String> names = ServerSentEvents.names(events);

        // opener words (none when the grounding guard stops before the first: the cloud then answers), the handoff,
        // the continuation
        assertThat(String.join(",", names)).matches("(opener,)*handoff,(continuation,)+done");
        JsonObject done = events.get(events.size() - 1).data();
        assertThat(done.getBoolean("degraded")).isFalse();
        assertThat(done.getString("strategy")).isEqualTo(done.getString("opener").isEmpty() ? "answer" : "instruction");
        assertThat(done.getString("continuation")).contains("I'll buzz when it's done.");
        assertTheCloudGotAllOf(conversation);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conversations")
    void theStreamedChatCompletionAnswersNormally(String name, List<JsonObject> conversation) {
        List<String> data = streamedData(conversation);

        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        List<JsonObject> chunks = data.subList(0, data.size() - 1).stream().map(JsonObject::new).toList();
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.containsKey("error")).isFalse());
        String text = chunks.stream().map(chunk -> chunk.getJsonArray("choices").getJsonObject(0)
                .getJsonObject("delta").getString("content", "")).collect(Collectors.joining());
        JsonObject handoff = chunks.get(chunks.size() - 1).getJsonObject("handoff");
        assertThat(handoff.getBoolean("degraded")).isFalse();
        assertThat(text).startsWith(handoff.getString("opener")).endsWith("I'll buzz when it's done.");
        assertTheCloudGotAllOf(conversation);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conversations")
    void theChatCompletionAnswersNormally(String name, List<JsonObject> conversation) {
        JsonObject completion = new JsonObject(given().contentType(ContentType.JSON)
                .body(completionBody(conversation, false)).when().post("/v1/chat/completions")
                .then().statusCode(200).extract().asString());

        String text = completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                .getString("content");
        JsonObject handoff = completion.getJsonObject("handoff");
        assertThat(handoff.getBoolean("degraded")).isFalse();
        assertThat(text).startsWith(handoff.getString("opener")).endsWith("I'll buzz when it's done.");
        assertTheCloudGotAllOf(conversation);
    }

    // ---- a conversation the cloud itself cannot take ----

    @Test
    void aConversationTheCloudRefusesAsTooLongEndsTheHandoffWithAnError() {
        server.then(Behaviour.tooLong());
        List<Event> events = handoff(CHAT);
        List<String> names = ServerSentEvents.names(events);

        // opener words (none when the grounding guard stops before the first), the handoff, then the error
        assertThat(String.join(",", names)).matches("(opener,)*handoff,error");
        JsonObject error = events.get(events.size() - 1).data();
        assertThat(error.getString("code")).isEqualTo("conversation-too-long");
        assertThat(error.getString("message")).contains("longer than the cloud model accepts")
                .contains("drop the earliest turns");
        assertThat(server.requests()).as("no retry: another try cannot fit it").hasSize(1);
    }

    @Test
    void aChatCompletionTheCloudRefusesAsTooLongIsABadRequest() {
        server.then(Behaviour.tooLong());
        Response response = given().contentType(ContentType.JSON).body(completionBody(CHAT, false))
                .when().post("/v1/chat/completions");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonObject error = new JsonObject(response.asString()).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("invalid_request_error");
        assertThat(error.getString("code")).isEqualTo("conversation-too-long");
        assertThat(error.getString("param")).isEqualTo("messages");
        assertThat(error.getString("message")).contains("drop the earliest turns");
    }

    @Test
    void aChatCompletionBodyOverTheLimitIsRefusedWithAClearError() {
        String body = completionBody(List.of(new JsonObject().put("role", "user")
                .put("content", "word ".repeat(220_000))), false); // over 1 MiB
        Response response = given().contentType(ContentType.JSON).body(body).when().post("/v1/chat/completions");

        assertThat(response.statusCode()).isEqualTo(413);
        JsonObject error = new JsonObject(response.asString()).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("request-too-large");
        assertThat(error.getString("message")).contains("1 MiB").contains("send fewer or shorter messages");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void aStreamedChatCompletionTheCloudRefusesAsTooLongEndsWithTheError() {
        server.then(Behaviour.tooLong());
        List<String> data = streamedData(CHAT);

        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        JsonObject error = new JsonObject(data.get(data.size() - 2)).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("invalid_request_error");
        assertThat(error.getString("code")).isEqualTo("conversation-too-long");
    }
}
