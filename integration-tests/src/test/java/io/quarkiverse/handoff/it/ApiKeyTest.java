package io.quarkiverse.handoff.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The sample's own access control, as docs/security.md describes it: an API key every {@code /v1} request carries as
 * {@code Authorization: Bearer} or {@code X-API-Key}, and CORS only for the origins an operator names.
 */
@QuarkusTest
@TestProfile(ApiKeyTest.ApiKey.class)
class ApiKeyTest {

    static final String QUESTION = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"profile\":\"watch\"}";
    static final String KEY = "k3y-for-the-test-0123456789";
    static final String ALLOWED_ORIGIN = "https://assistant.example";

    public static final class ApiKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("handoff.sample.api-key", KEY, "quarkus.http.cors.enabled", "true",
                    "quarkus.http.cors.origins", ALLOWED_ORIGIN);
        }
    }

    @Test
    void aRequestWithoutTheKeyIsRefusedOnEveryEndpoint() {
        for (String path : new String[] { "/v1/handoff", "/v1/chat/completions" }) {
            Response response = given().contentType(ContentType.JSON).body(QUESTION).when().post(path);

            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(response.asString()).contains("unauthorized").contains("Authorization: Bearer")
                    .contains("X-API-Key").doesNotContain(KEY);
        }
        given().when().get("/v1/profiles").then().statusCode(401);
        given().when().get("/v1/models").then().statusCode(401);
    }

    @Test
    void pathVariantsThatReachTheEndpointsNeedTheKeyToo() throws Exception {
        // Quarkus REST drops ;parameters from path segments, and a doubled slash still routes
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] { "/v1;x/handoff", "/v1/handoff;x", "//v1/handoff", "/v1//handoff",
                "/v1/handoff/", "/v1/handoff?x=1", "/v1;a=b/models", "/v1;/profiles" }) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + RestAssured.port + path)).header("Content-Type", "application/json")
                    .method(path.contains("handoff") ? "POST" : "GET", HttpRequest.BodyPublishers.ofString(QUESTION))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(path + ": " + response.body()).isIn(401, 404);
            assertThat(response.body()).as(path).doesNotContain("event:", "\"data\"");
        }
    }

    @Test
    void aWrongKeyIsRefusedWhateverItsLength() {
        for (String wrong : new String[] { "", "k", KEY.substring(0, KEY.length() - 1), KEY + "0",
                KEY.toUpperCase() }) {
            given().header("X-API-Key", wrong).contentType(ContentType.JSON).body(QUESTION)
                    .when().post("/v1/handoff").then().statusCode(401);
            given().header("Authorization", "Bearer " + wrong).contentType(ContentType.JSON).body(QUESTION)
                    .when().post("/v1/handoff").then().statusCode(401);
        }
    }

    @Test
    void theKeyOpensBothEndpointsAsBearerOrHeader() {
        given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON).body(QUESTION)
                .when().post("/v1/handoff").then().statusCode(200);
        given().header("X-API-Key", KEY).contentType(ContentType.JSON).body(QUESTION)
                .when().post("/v1/chat/completions").then().statusCode(200);
        given().header("Authorization", "bearer " + KEY).when().get("/v1/profiles").then().statusCode(200);
    }

    @Test
    void theDemoPageAndHealthNeedNoKey() {
        given().when().get("/").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void aConfiguredOriginPassesThePreflightAndAnyOtherDoesNot() {
        Response allowed = preflight(ALLOWED_ORIGIN);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED_ORIGIN);

        Response other = preflight("https://elsewhere.example");
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();
    }

    private Response preflight(String origin) {
        return given().header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-api-key")
                .when().options("/v1/handoff");
    }
}
