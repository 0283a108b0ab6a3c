package io.quarkiverse.handoff.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What every {@code /v1} request passes on embedded defaults (no API key): a JSON Content-Type on a POST, so that a
 * web page elsewhere cannot send one without a CORS preflight, which is refused unless origins are configured; and the
 * body limit, answered in JSON that names it and its property, before the body is read; and the limits on the number
 * and length of messages, answered the same way.
 */
@QuarkusTest
class ServiceGuardTest {

    private static final String QUESTION = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"profile\":\"watch\"}";
    private static final long OVER_THE_LIMIT = 2L * 1024 * 1024;

    @Test
    void aHandoffBodyDeclaredOverTheLimitIsRefusedInJsonBeforeItIsSent() throws IOException {
        String answer = postHeadersOnly("/v1/handoff", OVER_THE_LIMIT);

        assertThat(answer).startsWith("HTTP/1.1 413");
        JsonObject problem = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertThat(problem.getString("code")).isEqualTo("request-too-large");
        assertThat(problem.getString("error")).isEqualTo("request-too-large");
        assertThat(problem.getString("message")).contains("1 MiB").contains("quarkus.http.limits.max-body-size");
    }

    @Test
    void aChatBodyDeclaredOverTheLimitIsRefusedInOpenAisShape() throws IOException {
        String answer = postHeadersOnly("/v1/chat/completions", OVER_THE_LIMIT);

        assertThat(answer).startsWith("HTTP/1.1 413");
        JsonObject error = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("request-too-large");
        assertThat(error.getString("type")).isEqualTo("invalid_request_error");
        assertThat(error.getString("message")).contains("1 MiB").contains("quarkus.http.limits.max-body-size");
    }

    @Test
    void aClientThatSendsAWholeOversizedBodyReadsTheAnswer() {
        String body = QUESTION.replace("hi", "word ".repeat(220_000)); // 1.1 MB
        for (String path : new String[] { "/v1/handoff", "/v1/chat/completions" }) {
            Response response = given().contentType(ContentType.JSON).body(body).when().post(path);

            assertThat(response.statusCode()).as(path).isEqualTo(413);
            assertThat(response.asString()).as(path).contains("request-too-large")
                    .contains("quarkus.http.limits.max-body-size");
        }
    }

    @Test
    void aChunkedHandoffBodyOverTheLimitIsRefusedInJson() {
        byte[] body = QUESTION.replace("hi", "word ".repeat(220_000)).getBytes(StandardCharsets.UTF_8);
        for (String path : new String[] { "/v1/handoff", "/v1/chat/completions" }) {
            // an InputStream body of unknown length goes out chunked, without a Content-Length
            Response response = given().contentType(ContentType.JSON)
                    .body(new ByteArrayInputStream(body)).when().post(path);

            assertThat(response.statusCode()).as(path).isEqualTo(413);
            assertThat(response.contentType()).as(path).startsWith("application/json");
            assertThat(response.asString()).as(path).contains("request-too-large");
        }
    }

    @Test
    void aConversationOverTheMessageLimitsIsRefusedOnBothEndpoints() {
        JsonArray tooMany = new JsonArray();
        for (int i = 0; i < 201; i++) {
            tooMany.add(new JsonObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content", "turn " + i));
        }
        JsonArray tooLong = new JsonArray().add(new JsonObject().put("role", "user").put("content", "x".repeat(32_769)));
        for (String path : new String[] { "/v1/handoff", "/v1/chat/completions" }) {
            JsonObject many = problem(path, tooMany);
            assertThat(many.getString("code")).as(path).isEqualTo("too-many-messages");
            assertThat(many.getString("message")).as(path).contains("201 messages", "at most 200",
                    "handoff.sample.max-messages");
            if (path.endsWith("completions")) {
                assertThat(many.getString("param")).isEqualTo("messages");
            }

            JsonObject longOne = problem(path, tooLong);
            assertThat(longOne.getString("code")).as(path).isEqualTo("message-too-long");
            assertThat(longOne.getString("message")).as(path).contains("messages[0] is 32769 characters long",
                    "at most 32768 characters", "handoff.sample.max-message-length");
            if (path.endsWith("completions")) {
                assertThat(longOne.getString("param")).isEqualTo("messages[0].content");
            }
        }
        // at the limits exactly, both are served
        JsonArray atTheLimits = new JsonArray();
        for (int i = 0; i < 199; i++) {
            atTheLimits.add(new JsonObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content", "turn " + i));
        }
        atTheLimits.add(new JsonObject().put("role", "user").put("content", "y ".repeat(16_383) + "??")); // 32768
        for (String path : new String[] { "/v1/handoff", "/v1/chat/completions" }) {
            given().contentType(ContentType.JSON).header("X-Device-Profile", "watch")
                    .body(new JsonObject().put("messages", atTheLimits).encode()).when().post(path)
                    .then().statusCode(200);
        }
    }

    /** The 413's problem object, in the endpoint's own error shape. */
    private static JsonObject problem(String path, JsonArray messages) {
        Response response = given().contentType(ContentType.JSON).header("X-Device-Profile", "watch")
                .body(new JsonObject().put("messages", messages).encode()).when().post(path);
        assertThat(response.statusCode()).as(path + ": " + response.asString()).isEqualTo(413);
        assertThat(response.contentType()).as(path).startsWith("application/json");
        JsonObject body = new JsonObject(response.asString());
        return body.containsKey("error") && body.getValue("error") instanceof JsonObject ? body.getJsonObject("error")
                : body;
    }

    @Test
    void aPostThatIsNotJsonIsRefusedOnBothEndpoints() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] { "/v1/handoff", "/v1/chat/completions" }) {
            // what a web page can send cross-origin without a preflight, and a request with no type at all
            for (String type : new String[] { "text/plain", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x", null }) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port
                        + path)).POST(HttpRequest.BodyPublishers.ofString(QUESTION));
                if (type != null) {
                    request.header("Content-Type", type);
                }
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());

                assertThat(response.statusCode()).as(path + " " + type).isEqualTo(415);
                assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                        value -> assertThat(value).startsWith("application/json"));
                assertThat(response.body()).contains("unsupported-media-type")
                        .contains("Content-Type: application/json");
            }
        }
    }

    @Test
    void jsonWithACharsetParameterIsJson() {
        given().contentType("application/json; charset=UTF-8").body(QUESTION).when().post("/v1/handoff")
                .then().statusCode(200);
    }

    @Test
    void aCrossOriginPreflightIsNotAllowedWhenNoOriginIsConfigured() {
        Response preflight = given().header("Origin", "https://elsewhere.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .when().options("/v1/handoff");

        assertThat(preflight.statusCode()).as("answered, not failed").isLessThan(500);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
    }

    /**
     * Sends a POST that declares a body of that length, sends none of it, and reads the answer: its status line,
     * headers and body (by its Content-Length, since the service may keep the connection open for the body).
     */
    private static String postHeadersOnly(String path, long declaredLength) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + declaredLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            while (!answer.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")) {
                int next = in.read();
                assertThat(next).as("the answer's headers end before the connection").isNotNegative();
                answer.write(next);
            }
            String head = answer.toString(StandardCharsets.US_ASCII);
            int length = Integer.parseInt(head.lines().filter(h -> h.toLowerCase().startsWith("content-length:"))
                    .findFirst().orElseThrow().substring("content-length:".length()).trim());
            answer.write(in.readNBytes(length));
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
