package io.quarkiverse.handoff.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * Quarkus security in place of the sample's API key, as docs/security.md describes it: here users in properties with
 * basic auth, guarding {@code /v1/*} with an HTTP permission; any Quarkus mechanism (OIDC, JWT) fits the same way.
 */
@QuarkusTest
@TestProfile(QuarkusSecurityTest.QuarkusSecurity.class)
class QuarkusSecurityTest {

    public static final class QuarkusSecurity implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.security.users.embedded.enabled", "true",
                    "quarkus.security.users.embedded.plain-text", "true",
                    "quarkus.security.users.embedded.users.watch-app", "secret",
                    "quarkus.http.auth.basic", "true",
                    "quarkus.http.auth.permission.api.paths", "/v1/*",
                    "quarkus.http.auth.permission.api.policy", "authenticated");
        }
    }

    @Test
    void anAnonymousRequestIsRefusedAndAnAuthenticatedOneServed() {
        given().contentType(ContentType.JSON).body(ApiKeyTest.QUESTION).when().post("/v1/handoff").then().statusCode(401);
        given().contentType(ContentType.JSON).body(ApiKeyTest.QUESTION).when().post("/v1/chat/completions")
                .then().statusCode(401);

        given().auth().preemptive().basic("watch-app", "secret").contentType(ContentType.JSON).body(ApiKeyTest.QUESTION)
                .when().post("/v1/handoff").then().statusCode(200);
        Response completion = given().auth().preemptive().basic("watch-app", "secret")
                .contentType(ContentType.JSON).body(ApiKeyTest.QUESTION).when().post("/v1/chat/completions");
        assertThat(completion.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(completion.asString()).getString("object")).isEqualTo("chat.completion");
    }
}
