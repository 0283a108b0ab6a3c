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
import com.openai.errors.NotFoundException;
import com.openai.models.FunctionDefinition;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.models.Model;
import com.openai.models.models.ModelListPage;

import io.quarkiverse.handoff.runtime.tokenizer.Tokenizer;
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

    /** The opener model's tokenizer, which counts usage and max_tokens. */
    static final Tokenizer TOKENIZER = DemoModelTokenizer.load();

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
        // where and why the opener stopped, as the done event says it
        assertThat(handoff.getJsonObject("openerStop").getString("reason")).isIn("planned-words", "clause-boundary",
                "clause-search-limit", "low-confidence", "ungrounded-fact", "end-of-reply", "decode-ended");
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
        // unmasked in the reply; the seam capitalizes "quokka" when the demo opener ended a sentence
        assertThat(completion.choices().get(0).message().content().orElseThrow())
                .containsIgnoringCase("quokka courier: ann.lee@example.org gets the minutes.");
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
    void aModelNamingADeviceProfileSelectsIt() {
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("watch").addUserMessage("Set a timer for 10 minutes").build());
        assertThat(handoff(completion._additionalProperties()).getString("profile")).isEqualTo("watch");
        assertThat(completion.model()).isEqualTo("watch");
    }

    @Test
    void theModelsAreTheDeviceProfiles() {
        ModelListPage models = client.models().list();
        assertThat(models.data()).extracting(Model::id).contains("watch", "glasses", "phone", "earbuds", "desktop",
                TestDeviceProfiles.SPECULATIVE);
        assertThat(models.data()).allSatisfy(model -> {
            assertThat(model.ownedBy()).isEqualTo("quarkus-handoff");
            assertThat(model.created()).isPositive();
        });
        Model watch = client.models().retrieve("watch");
        assertThat(watch.id()).isEqualTo("watch");
        assertThat(watch._object_()).isEqualTo(JsonValue.from("model"));

        assertThatThrownBy(() -> client.models().retrieve("toaster"))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).contains("model_not_found");
                    assertThat(e.type()).contains("invalid_request_error");
                    assertThat(e.getMessage()).contains("toaster").contains("watch");
                });
        given().when().get("/v1/models").then().statusCode(200).body("object", equalTo("list"))
                .body("data[0].object", equalTo("model"));
    }

    @Test
    void usageCountsThePromptAndTheReplyWithTheOpenersTokenizer() {
        ChatCompletion completion = client.chat().completions().create(ask("Set a timer for 10 minutes").build());
        String text = completion.choices().get(0).message().content().orElseThrow();
        CompletionUsage usage = completion.usage().orElseThrow();
        assertThat(usage.completionTokens()).isEqualTo(TOKENIZER.encode(text).length);
        assertThat(usage.promptTokens()).as("the question and the chat template's turns")
                .isGreaterThan(TOKENIZER.encode("Set a timer for 10 minutes").length);
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());

        ChatCompletion longer = client.chat().completions().create(ask("Set a timer for 10 minutes")
                .addAssistantMessage("Which timer?").addUserMessage("The kitchen one, please").build());
        assertThat(longer.usage().orElseThrow().promptTokens()).isGreaterThan(usage.promptTokens());
    }

    @Test
    void aStreamWithIncludeUsageEndsWithTheUsageChunk() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ask("Set a timer for 10 minutes").streamOptions(ChatCompletionStreamOptions.builder()
                        .includeUsage(true).build()).build())) {
            stream.stream().forEach(chunks::add);
        }
        ChatCompletionChunk usageChunk = chunks.get(chunks.size() - 1);
        assertThat(usageChunk.choices()).isEmpty();
        CompletionUsage usage = usageChunk.usage().orElseThrow();
        List<ChatCompletionChunk> replyChunks = chunks.subList(0, chunks.size() - 1);
        assertThat(replyChunks).allSatisfy(chunk -> assertThat(chunk.usage()).isEmpty());
        assertThat(replyChunks.get(replyChunks.size() - 1).choices().get(0).finishReason()).map(Object::toString)
                .contains("stop");
        assertThat(usage.completionTokens()).isEqualTo(TOKENIZER.encode(text(replyChunks)).length);
        assertThat(usage.promptTokens()).isPositive();
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());

        // without stream_options there is no usage chunk
        chunks.clear();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(ask("Set a timer for 10 minutes").build())) {
            stream.stream().forEach(chunks::add);
        }
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.choices()).hasSize(1);
            assertThat(chunk.usage()).isEmpty();
        });
    }

    @Test
    void maxTokensBoundsTheWholeReplyOpenerIncluded() {
        ChatCompletion completion = client.chat().completions()
                .create(ask("Set a timer for 10 minutes").maxTokens(3).temperature(0.0).build());
        String text = completion.choices().get(0).message().content().orElseThrow();
        assertThat(text).isNotEmpty();
        assertThat(TOKENIZER.encode(text).length).isLessThanOrEqualTo(3);
        assertThat(completion.choices().get(0).finishReason().toString()).isEqualTo("length");
        assertThat(completion.usage().orElseThrow().completionTokens()).isLessThanOrEqualTo(3);

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ask("Set a timer for 10 minutes").maxCompletionTokens(3).temperature(0.0).build())) {
            stream.stream().forEach(chunks::add);
        }
        assertThat(text(chunks)).as("the streamed reply is cut the same way").isEqualTo(text);
        assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason()).map(Object::toString)
                .contains("length");
    }

    @Test
    void aReplyCutWithinTheOpenerEndsTheHandoffBeforeTheCloudIsAsked() {
        ChatCompletion completion = client.chat().completions()
                .create(ask("Set a timer for 10 minutes").maxTokens(1).temperature(0.0).build());
        String text = completion.choices().get(0).message().content().orElseThrow();
        assertThat(TOKENIZER.encode(text)).hasSize(1);
        JsonObject handoff = handoff(completion._additionalProperties());
        assertThat(TOKENIZER.encode(handoff.getString("opener")).length).as("the opener said more than that")
                .isGreaterThan(1);
        assertThat(handoff.getString("strategy")).as("no done event: the handoff was cancelled").isNull();
        assertThat(OpenAiServerResource.server.requests()).isEmpty();
    }

    @Test
    void maxTokensAndTemperatureAreSentToTheCloudWhenTheyAskForLess() {
        ChatCompletion completion = client.chat().completions().create(ask("Set a timer for 10 minutes")
                .putAdditionalHeader("X-Device-Profile", "phone").maxTokens(60).temperature(0.2).build());
        assertThat(OpenAiServerResource.server.requests()).hasSize(1);
        JsonObject request = OpenAiServerResource.server.requests().get(0);
        assertThat(request.getInteger("max_tokens")).as("the phone plan's 300, narrowed").isEqualTo(60);
        assertThat(request.getDouble("temperature")).as("the plan's 0.7, narrowed").isEqualTo(0.2);
        String text = completion.choices().get(0).message().content().orElseThrow();
        assertThat(text).endsWith(SCRIPTED);
        assertThat(completion.choices().get(0).finishReason().toString()).isEqualTo("stop");

        OpenAiServerResource.server.reset();
        OpenAiServerResource.server.script(SCRIPT);
        client.chat().completions().create(ask("Set a timer for 10 minutes")
                .putAdditionalHeader("X-Device-Profile", "phone").maxTokens(5000).temperature(1.9).build());
        JsonObject unchanged = OpenAiServerResource.server.requests().get(0);
        assertThat(unchanged.getInteger("max_tokens")).as("a client cannot widen the plan").isEqualTo(300);
        assertThat(unchanged.getDouble("temperature")).isEqualTo(0.7);
    }

    @Test
    void aStopSequenceCutsTheReplyBeforeItAndReachesTheCloud() {
        ChatCompletion completion = client.chat().completions()
                .create(ask("Set a timer for 10 minutes").stop("buzz").build());
        String text = completion.choices().get(0).message().content().orElseThrow();
        assertThat(text).endsWith(" I'll ").doesNotContain("buzz");
        assertThat(completion.choices().get(0).finishReason().toString()).isEqualTo("stop");
        assertThat(OpenAiServerResource.server.requests().get(0).getJsonArray("stop")).contains("buzz");

        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ask("Set a timer for 10 minutes").stopOfStrings(List.of("when it", "never said")).build())) {
            stream.stream().forEach(chunks::add);
        }
        assertThat(text(chunks)).endsWith(" I'll buzz ").doesNotContain("when it");
        assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason()).map(Object::toString)
                .contains("stop");
    }

    @Test
    void parametersTheServiceCannotHonourAreRefusedNamingTheParameter() {
        assertRefused(ask("hi").n(2), "n");
        assertRefused(ask("hi").addFunctionTool(FunctionDefinition.builder().name("get_weather").build()), "tools");
        assertRefused(ask("hi").logprobs(true), "logprobs");
        assertRefused(ask("hi").stopOfStrings(List.of("a", "b", "c", "d", "e")), "stop");
        assertRefused(ask("hi").maxTokens(0), "max_tokens");
        assertRefused(ask("hi").temperature(2.5), "temperature");

        rejected("{\"model\":\"m\",\"functions\":[{\"name\":\"f\"}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .body("error.type", equalTo("invalid_request_error")).body("error.param", equalTo("functions"));
        rejected("{\"model\":\"m\",\"response_format\":{\"type\":\"json_object\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .body("error.param", equalTo("response_format"));
        rejected("{\"model\":\"m\",\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .body("error.param", equalTo("stream_options"))
                .body("error.message", containsString("\"stream\": true"));
        Map<String, String> refused = Map.of("tool_choice", "\"auto\"", "function_call", "\"auto\"",
                "top_logprobs", "2", "logit_bias", "{\"50256\":-100}", "audio", "{\"voice\":\"alloy\"}",
                "prediction", "{\"type\":\"content\",\"content\":\"x\"}", "web_search_options", "{}",
                "modalities", "[\"text\",\"audio\"]", "stop", "[\"\"]", "max_completion_tokens", "2.5");
        refused.forEach((param, value) -> rejected("{\"model\":\"m\",\"" + param + "\":" + value
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .body("error.type", equalTo("invalid_request_error")).body("error.param", equalTo(param)));
        assertThat(OpenAiServerResource.server.requests()).as("no refused request reached the cloud").isEmpty();

        // what asks for nothing is accepted, as are sampling hints without effect
        ChatCompletion accepted = client.chat().completions().create(ask("Set a timer for 10 minutes").n(1)
                .logprobs(false).topP(0.9).presencePenalty(0.1).seed(7).build());
        assertThat(accepted.choices()).hasSize(1);
        given().contentType(ContentType.JSON).body("{\"model\":\"m\",\"tools\":[],\"tool_choice\":\"none\","
                + "\"logit_bias\":{},\"response_format\":{\"type\":\"text\"},\"modalities\":[\"text\"],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Set a timer for 10 minutes\"}]}")
                .when().post("/v1/chat/completions").then().statusCode(200);
    }

    private void assertRefused(ChatCompletionCreateParams.Builder params, String param) {
        assertThatThrownBy(() -> client.chat().completions().create(params.build()))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.type()).contains("invalid_request_error");
                    assertThat(e.param()).contains(param);
                    assertThat(e.getMessage()).contains(param);
                });
    }

    private static String text(List<ChatCompletionChunk> chunks) {
        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append)));
        return text.toString();
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
