package io.quarkiverse.handoff.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonObject;

/**
 * {@code POST /v1/chat/completions} driven by the official OpenAI Java client (com.openai:openai-java), as an
 * application would use the device service as its model; the cloud behind it is the OpenAI-protocol test server.
 */
@QuarkusTest
@QuarkusTestResource(value = OpenAiServerResource.class, restrictToAnnotatedClass = true)
class ChatCompletionsEndpointTest {

    static final List<String> SCRIPT = List.of(" starting", " now,", " I'll buzz", " when it's done.");
    static final String SCRIPTED = String.join("", SCRIPT);

    @TestHTTPResource("/v1")
    URL v1;

    OpenAIClient client;

    @BeforeEach
    void setUp() {
        OpenAiServerResource.server.reset();
        OpenAiServerResource.server.script(SCRIPT);
        client = OpenAIOkHttpClient.builder().baseUrl(v1.toString()).apiKey("unused-by-the-device").maxRetries(0)
                .build();
    }

    @AfterEach
    void tearDown() {
        client.close();
    }

    private static ChatCompletionCreateParams.Builder ask(String question) {
        return ChatCompletionCreateParams.builder().model("handoff").addUserMessage(question);
    }

    @Test
    void theOpenAiClientStreamsOpenerAndContinuationAsOneAssistantMessage() {
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(ask("Set a timer for 10 minutes").putAdditionalHeader("X-Device-Profile", "watch")
                        .build())) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
            });
        }
        assertThat(chunks).hasSizeGreaterThan(3);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.choices()).hasSize(1));
        assertThat(chunks.stream().map(ChatCompletionChunk::id).distinct()).as("one message").hasSize(1);
        assertThat(chunks.get(0).choices().get(0).delta().role()).isPresent();
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices().get(0).finishReason()).map(Object::toString).contains("stop");

        JsonObject handoff = handoff(last._additionalProperties());
        String opener = handoff.getString("opener");
        assertThat(opener).as("the device wrote an opener").isNotBlank();
        assertThat(handoff.getString("profile")).isEqualTo("watch");
        assertThat(handoff.getJsonArray("firedRules")).isNotEmpty();
        assertThat(handoff.getString("strategy")).isNotEqualTo("local");
        assertThat(handoff.getBoolean("degraded")).isFalse();
        assertThat(text.toString()).as("the opener's words come first, then the cloud's continuation")
                .startsWith(opener).endsWith("I'll buzz when it's done.");
        assertThat(text.length()).isGreaterThan(opener.length());

        // the opener reached the client before the cloud was even asked: its words are chunks of their own
        int openerChunks = 0;
        StringBuilder prefix = new StringBuilder();
        for (ChatCompletionChunk chunk : chunks.subList(1, chunks.size())) {
            if (prefix.length() >= opener.length()) {
                break;
            }
            prefix.append(chunk.choices().get(0).delta().content().orElse(""));
            openerChunks++;
        }
        assertThat(prefix.toString()).isEqualTo(opener);
        assertThat(openerChunks).isEqualTo(opener.strip().split("\\s+").length);
        assertThat(OpenAiServerResource.server.requests()).hasSize(1);
    }

    @Test
    void metadataPrivacyMasksPersonalDataBeforeTheCloud() {
        OpenAiServerResource.server.script(List.of(" quokka courier: [EMA", "IL_1] gets the", " minutes."));
        ChatCompletion completion = client.chat().completions()
                .create(ask("Send the minutes to ann.lee@example.org").metadata(ChatCompletionCreateParams.Metadata
                        .builder().putAdditionalProperty("profile", JsonValue.from("phone"))
                        .putAdditionalProperty("privacy", JsonValue.from("sensitive")).build()).build());
        assertThat(OpenAiServerResource.server.requests()).hasSize(1);
        assertThat(OpenAiServerResource.server.requests().get(0).encode()).doesNotContain("ann.lee@example.org")
                .contains("[EMAIL_1]");
        assertThat(completion.choices().get(0).message().content().orElseThrow())
                .contains("quokka courier: ann.lee@example.org gets the minutes.");
    }

    @Test
    void theNonStreamedCompletionHasTheSameShapeAsTheStreamedOne() {
        ChatCompletion completion = client.chat().completions()
                .create(ask("Set a timer for 10 minutes").metadata(ChatCompletionCreateParams.Metadata.builder()
                        .putAdditionalProperty("profile", JsonValue.from("glasses")).build()).build());
        assertThat(completion.choices()).hasSize(1);
        String text = completion.choices().get(0).message().content().orElseThrow();
        JsonObject handoff = handoff(completion._additionalProperties());
        assertThat(handoff.getString("profile")).isEqualTo("glasses");
        String opener = handoff.getString("opener");
        assertThat(opener).isNotBlank();
        assertThat(text).startsWith(opener).endsWith("I'll buzz when it's done.");
        assertThat(text.substring(opener.length()).strip()).isNotEmpty();
        assertThat(completion.choices().get(0).finishReason().toString()).isEqualTo("stop");
        assertThat(completion.model()).isEqualTo("handoff");
        assertThat(handoff.getJsonObject("timings").getDouble("openerFirstWordMs")).isNotNull();
    }

    @Test
    void theProfileComesFromTheUserFieldOrTheConfiguredDefault() {
        ChatCompletion fromUser = client.chat().completions()
                .create(ask("What is the capital of Peru?").user("earbuds").build());
        assertThat(handoff(fromUser._additionalProperties()).getString("profile")).isEqualTo("earbuds");

        // a user field that is no profile is an end-user id as usual: the default profile applies
        ChatCompletion fromDefault = client.chat().completions()
                .create(ask("What is the capital of Peru?").user("user-4711").build());
        assertThat(handoff(fromDefault._additionalProperties()).getString("profile")).isEqualTo("phone");
    }

    @Test
    void theRawStreamIsChatCompletionChunksEndingWithDone() {
        String body = given().contentType(ContentType.JSON).header("X-Device-Profile", "phone")
                .body("{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Set a timer \"},"
                        + "{\"type\":\"text\",\"text\":\"for 10 minutes\"}]}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(200).header("Content-Type", containsString("text/event-stream"))
                .extract().asString();
        List<String> events = List.of(body.strip().split("\n\n"));
        assertThat(events).allSatisfy(event -> assertThat(event).startsWith("data: ").doesNotContain("\n"));
        assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
        StringBuilder text = new StringBuilder();
        for (String event : events.subList(0, events.size() - 1)) {
            JsonObject chunk = new JsonObject(event.substring("data: ".length()));
            assertThat(chunk.getString("object")).isEqualTo("chat.completion.chunk");
            assertThat(chunk.getString("model")).isEqualTo("m");
            String content = chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("content");
            if (content != null) {
                text.append(content);
            }
        }
        assertThat(text.toString()).endsWith(SCRIPTED);
        JsonObject request = OpenAiServerResource.server.requests().get(0);
        String lastMessage = request.getJsonArray("messages").getJsonObject(request.getJsonArray("messages").size() - 1)
                .getString("content");
        assertThat(lastMessage).as("text parts are joined").contains("Set a timer for 10 minutes");
    }

    @Test
    void badRequestsGetOpenAisErrorShapeAndTheClientSurfacesTheMessage() {
        assertThatThrownBy(() -> client.chat().completions()
                .create(ask("hi").putAdditionalHeader("X-Device-Profile", "toaster").build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.type()).contains("invalid_request_error");
                    assertThat(e.getMessage()).contains("toaster").contains("watch");
                });

        rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",").contentType(ContentType.JSON)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", containsString("not valid JSON"))
                .body("error.message", containsString("malformed at line 1, column"))
                .body("error.message", not(containsString("Source")))
                .body("error.message", containsString("\"messages\""));
        rejected("{\"model\":\"m\"}")
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", equalTo("messages"))
                .body("error.message", containsString("'messages'"));
        rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"hello\"}]}")
                .body("error.message", containsString("last message"))
                .body("error.message", containsString("user"));
        rejected("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
                + "\"image_url\":{\"url\":\"x\"}}]}]}")
                .body("error.param", equalTo("messages[0].content"))
                .body("error.message", containsString("only text"));
        rejected("{\"model\":\"m\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .body("error.param", equalTo("n"))
                .body("error.code", nullValue());
        rejected("{\"model\":\"m\",\"metadata\":{\"privacy\":\" \"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .body("error.param", equalTo("metadata.privacy"))
                .body("error.message", containsString("sensitive"));
        rejected("{\"model\":\"m\",\"metadata\":{\"privacy\":\"secret\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .body("error.param", equalTo("metadata.privacy"))
                .body("error.message", containsString("\"secret\" is unknown: use one of normal, sensitive"));
        assertThat(OpenAiServerResource.server.requests()).as("no bad request reached the cloud").isEmpty();
    }

    /** Posts a chat completion request that must be refused with HTTP 400. */
    private static ValidatableResponse rejected(String body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/v1/chat/completions")
                .then().statusCode(400);
    }

    @Test
    void whenTheCloudFailsTheStreamedReplyIsFinishedOnTheDevice() {
        OpenAiServerResource.server.failWith(500);
        StringBuilder text = new StringBuilder();
        ChatCompletionChunk[] last = new ChatCompletionChunk[1];
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(ask("Set a timer for 10 minutes").build())) {
            stream.stream().forEach(chunk -> {
                last[0] = chunk;
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
            });
        }
        JsonObject handoff = handoff(last[0]._additionalProperties());
        assertThat(handoff.getBoolean("degraded")).isTrue();
        assertThat(handoff.getString("strategy")).isEqualTo("local");
        assertThat(text.toString()).startsWith(handoff.getString("opener"));
    }

    private static JsonObject handoff(Map<String, JsonValue> additional) {
        assertThat(additional).containsKey("handoff");
        return JsonObject.mapFrom(additional.get("handoff").convert(Map.class));
    }
}
