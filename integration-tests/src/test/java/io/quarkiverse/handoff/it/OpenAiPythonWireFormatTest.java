package io.quarkiverse.handoff.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.runtime.tokenizer.Tokenizer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Replays requests recorded in the official OpenAI Python client's wire format (src/test/resources/openai-python/,
 * written from the OpenAI API reference: its headers, its body text) and checks that each answer has the shape that
 * client parses: every field of the reference's example answer that the client requires, with the same JSON type and
 * the same {@code object} values, the stream made of {@code data:} lines only and ended by {@code [DONE]}.
 */
@QuarkusTest
@QuarkusTestResource(value = OpenAiServerResource.class, restrictToAnnotatedClass = true)
class OpenAiPythonWireFormatTest {

    static final Tokenizer TOKENIZER = DemoModelTokenizer.load();

    @BeforeEach
    void reset() {
        OpenAiServerResource.server.reset();
        OpenAiServerResource.server.script(ChatCompletionsEndpointTest.SCRIPT);
    }

    @Test
    void aCompletionAsThePythonClientAsksForIt() {
        Recorded recorded = Recorded.load("chat-completions.json");
        Response response = recorded.replay();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).startsWith(recorded.contentType());
        JsonObject completion = new JsonObject(response.asString());
        assertShape(recorded.response().getJsonObject("body"), completion, "", recorded.optional());

        String content = completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message")
                .getString("content");
        JsonObject usage = completion.getJsonObject("usage");
        assertThat(usage.getInteger("completion_tokens")).isEqualTo(TOKENIZER.encode(content).length)
                .isLessThanOrEqualTo(40);
        assertThat(completion.getJsonObject("handoff").getString("profile")).as("model: watch").isEqualTo("watch");
        assertThat(content).doesNotContain("\n\n");
        JsonObject cloud = OpenAiServerResource.server.requests().get(0);
        assertThat(cloud.getInteger("max_tokens")).isEqualTo(40);
        assertThat(cloud.getDouble("temperature")).isEqualTo(0.2);
        assertThat(cloud.getJsonArray("stop")).contains("\n\n");
    }

    @Test
    void aStreamWithUsageAsThePythonClientAsksForIt() {
        Recorded recorded = Recorded.load("chat-completions-stream.json");
        Response response = recorded.replay();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.contentType()).startsWith(recorded.contentType());
        String body = response.asString();
        List<String> events = List.of(body.strip().split("\n\n"));
        // the client's SSE decoder: one data line per event, no other field, [DONE] last
        assertThat(events).allSatisfy(event -> assertThat(event).startsWith("data: ").doesNotContain("\n"));
        assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");

        JsonArray examples = recorded.response().getJsonArray("events");
        JsonObject roleExample = examples.getJsonObject(0);
        JsonObject contentExample = examples.getJsonObject(1);
        JsonObject finishExample = examples.getJsonObject(2);
        JsonObject usageExample = examples.getJsonObject(3);
        List<JsonObject> chunks = new ArrayList<>();
        for (String event : events.subList(0, events.size() - 1)) {
            chunks.add(new JsonObject(event.substring("data: ".length())));
        }
        assertThat(chunks).as("role, content, finish and usage chunks").hasSizeGreaterThanOrEqualTo(4);
        assertShape(roleExample, chunks.get(0), "", recorded.optional());
        StringBuilder text = new StringBuilder();
        for (JsonObject chunk : chunks.subList(1, chunks.size() - 2)) {
            assertShape(contentExample, chunk, "", recorded.optional());
            text.append(chunk.getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("content"));
        }
        assertShape(finishExample, chunks.get(chunks.size() - 2), "", recorded.optional());
        JsonObject usageChunk = chunks.get(chunks.size() - 1);
        assertShape(usageExample, usageChunk, "", recorded.optional());
        assertThat(usageChunk.getJsonArray("choices")).isEmpty();
        assertThat(usageChunk.getJsonObject("usage").getInteger("completion_tokens"))
                .isEqualTo(TOKENIZER.encode(text.toString()).length);
    }

    @Test
    void theModelListAsThePythonClientAsksForIt() {
        Recorded recorded = Recorded.load("models-list.json");
        Response response = recorded.replay();
        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject list = new JsonObject(response.asString());
        assertShape(recorded.response().getJsonObject("body"), list, "", recorded.optional());
        assertThat(list.getJsonArray("data").stream().map(model -> ((JsonObject) model).getString("id")))
                .contains("watch", "phone");
    }

    /**
     * Every field of the example the client requires is in the answer, with the same JSON type where both are set;
     * {@code object} has the example's value; lists are compared by their first elements.
     */
    private static void assertShape(JsonObject example, JsonObject actual, String path, List<String> optional) {
        for (Map.Entry<String, Object> field : example) {
            String name = field.getKey();
            String where = path.isEmpty() ? name : path + "." + name;
            if (optional.contains(name)) {
                continue;
            }
            assertThat(actual.containsKey(name)).as("%s is in %s", where, actual).isTrue();
            Object expected = field.getValue();
            Object value = actual.getValue(name);
            if ("object".equals(name)) {
                assertThat(value).as(where).isEqualTo(expected);
            }
            if (expected == null || value == null) {
                continue;
            }
            assertThat(kind(value)).as("the JSON type of %s", where).isEqualTo(kind(expected));
            if (expected instanceof JsonObject object) {
                assertShape(object, (JsonObject) value, where, optional);
            } else if (expected instanceof JsonArray array && !array.isEmpty() && !((JsonArray) value).isEmpty()
                    && array.getValue(0) instanceof JsonObject first) {
                assertShape(first, ((JsonArray) value).getJsonObject(0), where + "[0]", optional);
            }
        }
    }

    private static String kind(Object json) {
        if (json instanceof Number) {
            return "number";
        }
        if (json instanceof CharSequence) {
            return "string";
        }
        if (json instanceof Boolean) {
            return "boolean";
        }
        return json instanceof JsonArray ? "array" : "object";
    }

    /** One recorded exchange of the Python client. */
    private record Recorded(JsonObject request, JsonObject response, List<String> optional) {

        static Recorded load(String name) {
            String resource = "/openai-python/" + name;
            try (InputStream in = OpenAiPythonWireFormatTest.class.getResourceAsStream(resource)) {
                assertThat(in).as(resource).isNotNull();
                JsonObject recorded = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                List<String> optional = recorded.getJsonArray("optional").stream().map(Object::toString).toList();
                return new Recorded(recorded.getJsonObject("request"), recorded.getJsonObject("response"), optional);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String contentType() {
            return response.getString("contentType");
        }

        /** Sends the request as the client did: its headers and the exact text of its body. */
        Response replay() {
            RequestSpecification spec = given().urlEncodingEnabled(false);
            request.getJsonObject("headers").forEach(header -> spec.header(header.getKey(), header.getValue()));
            String body = request.getString("body");
            if (body != null) {
                spec.body(body.getBytes(StandardCharsets.UTF_8));
            }
            return spec.when().request(request.getString("method"), request.getString("path"));
        }
    }
}
