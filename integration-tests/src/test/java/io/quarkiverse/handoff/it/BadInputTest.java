package io.quarkiverse.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;

/**
 * One validation contract for both endpoints: every bad body is a 400 with a JSON body that names what is wrong (in
 * {@code /v1/handoff}'s {@code {code, message}} shape, or OpenAI's {@code {"error":{...}}} on
 * {@code /v1/chat/completions}), never a 5xx, a stack trace, a Java class name or a silently "fixed" value.
 */
@QuarkusTest
class BadInputTest {

    private static final String HANDOFF = "/v1/handoff";
    private static final String CHAT = "/v1/chat/completions";
    private static final byte[] INVALID_UTF8 = { (byte) 0xff, (byte) 0xfe };

    static Stream<Arguments> badBodies() {
        return Stream.of(
                row("malformed JSON", "{\"messages\": [", "malformed"),
                row("a JSON list, not an object", "[]", "object"),
                row("an empty body", "", "body"),
                row("no messages", "{%P}", "messages"),
                row("messages not a list", "{\"messages\":\"hi\"%C}", "messages"),
                row("an empty list of messages", "{\"messages\":[]%C}", "messages"),
                row("a message that is not an object", "{\"messages\":[\"hi\"]%C}", "messages[0]"),
                row("a number as content", "{\"messages\":[{\"role\":\"user\",\"content\":123}]%C}", "content"),
                row("a boolean as content", "{\"messages\":[{\"role\":\"user\",\"content\":true}]%C}", "content"),
                row("no content", "{\"messages\":[{\"role\":\"user\"}]%C}", "content"),
                row("an unknown role", "{\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]%C}", "robot"),
                row("a number as role", "{\"messages\":[{\"role\":7,\"content\":\"hi\"}]%C}", "role"),
                row("no role", "{\"messages\":[{\"content\":\"hi\"}]%C}", "role"),
                row("an unknown profile", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%U}", "toaster"));
    }

    static Stream<Arguments> badHandoffOnlyBodies() {
        String hi = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"profile\":\"watch\",\"device\":";
        return Stream.of(
                Arguments.of("an unknown privacy level", hi + "{\"privacy\":\"private\"}}", "normal, sensitive"),
                Arguments.of("an unknown thermal state", hi + "{\"thermal\":\"hot\"}}", "nominal, fair, serious"),
                Arguments.of("an unknown modality", hi + "{\"modality\":\"hologram\"}}", "speech or screen"),
                Arguments.of("a battery over 100", hi + "{\"battery\":150}}", "0-100"),
                Arguments.of("a battery below 0", hi + "{\"battery\":-1}}", "0-100"),
                Arguments.of("a battery as text", hi + "{\"battery\":\"50\"}}", "battery"),
                Arguments.of("a fractional battery", hi + "{\"battery\":50.5}}", "battery"),
                Arguments.of("a negative rtt", hi + "{\"rttMs\":-5}}", "rtt"),
                Arguments.of("device not an object", hi + "\"watch\"}", "device"),
                Arguments.of("a number as profile",
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"profile\":5}", "profile"));
    }

    static Stream<Arguments> badChatOnlyBodies() {
        String hi = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        return Stream.of(
                Arguments.of("an unknown privacy level", hi + ",\"metadata\":{\"privacy\":\"private\"}}",
                        "normal, sensitive"),
                Arguments.of("metadata not an object", hi + ",\"metadata\":\"watch\"}", "metadata"),
                Arguments.of("stream not a boolean", hi + ",\"stream\":\"yes\"}", "stream"),
                Arguments.of("several choices", hi + ",\"n\":2}", "'n'"),
                Arguments.of("tools", hi + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}",
                        "tools"));
    }

    private static Arguments row(String what, String template, String named) {
        return Arguments.of(what, template, named);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void bothEndpointsRefuseTheSameBadBody(String what, String template, String named) throws IOException,
            InterruptedException {
        String handoff = template.replace("%P", "\"profile\":\"watch\"").replace("%C", ",\"profile\":\"watch\"")
                .replace("%U", ",\"profile\":\"toaster\"");
        String chat = template.replace("%P", "\"model\":\"handoff\"").replace("%C", "")
                .replace("%U", ",\"metadata\":{\"profile\":\"toaster\"}");

        assertHandoffRefuses(handoff.getBytes(StandardCharsets.UTF_8), named);
        assertChatRefuses(chat.getBytes(StandardCharsets.UTF_8), named);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHandoffOnlyBodies")
    void theHandoffEndpointRefuses(String what, String body, String named) throws IOException, InterruptedException {
        assertHandoffRefuses(body.getBytes(StandardCharsets.UTF_8), named);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badChatOnlyBodies")
    void theChatEndpointRefuses(String what, String body, String named) throws IOException, InterruptedException {
        assertChatRefuses(body.getBytes(StandardCharsets.UTF_8), named);
    }

    @org.junit.jupiter.api.Test
    void bothEndpointsRefuseABodyThatIsNotUtf8() throws IOException, InterruptedException {
        byte[] prefix = "{\"messages\":[{\"role\":\"user\",\"content\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\"}],\"profile\":\"watch\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + INVALID_UTF8.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(INVALID_UTF8, 0, body, prefix.length, INVALID_UTF8.length);
        System.arraycopy(suffix, 0, body, prefix.length + INVALID_UTF8.length, suffix.length);

        assertHandoffRefuses(body, "UTF-8");
        assertChatRefuses(body, "UTF-8");
    }

    private static void assertHandoffRefuses(byte[] body, String named) throws IOException, InterruptedException {
        HttpResponse<String> response = post(HANDOFF, body);
        assertThat(response.statusCode()).as(HANDOFF + " " + response.body()).isEqualTo(400);
        JsonObject problem = new JsonObject(response.body());
        assertThat(problem.getString("code")).isNotBlank();
        assertClear(problem.getString("message"), named);
    }

    private static void assertChatRefuses(byte[] body, String named) throws IOException, InterruptedException {
        HttpResponse<String> response = post(CHAT, body);
        assertThat(response.statusCode()).as(CHAT + " " + response.body()).isEqualTo(400);
        JsonObject error = new JsonObject(response.body()).getJsonObject("error");
        assertThat(error.getString("type")).isEqualTo("invalid_request_error");
        assertClear(error.getString("message"), named);
    }

    /** Says what is wrong in the body's own terms, and nothing of the service's insides. */
    private static void assertClear(String message, String named) {
        assertThat(message).containsIgnoringCase(named)
                .doesNotContain("java.", "com.fasterxml", "io.quarkiverse", "io.vertx", "Exception", "\tat ");
    }

    private static HttpResponse<String> post(String path, byte[] body) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + RestAssured.port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
