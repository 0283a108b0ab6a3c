package io.quarkiverse.handoff.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.it.ServerSentEvents.Event;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;

/**
 * With no cloud configured (no api key, no base url, no network), the service still answers: the embedded continuator
 * finishes the reply on the device.
 */
@QuarkusTest
class EmbeddedDefaultsTest {

    @Test
    void answersWithTheEmbeddedContinuatorWhenNoCloudIsConfigured() {
        String sse = given().contentType(ContentType.JSON)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"What is the capital of Peru?\"}],"
                        + "\"profile\":\"watch\"}")
                .when().post("/v1/handoff")
                .then().statusCode(200).extract().asString();
        List<Event> events = ServerSentEvents.parse(sse);
        List<String> names = ServerSentEvents.names(events);
        // the opener stops before "Lima", a name the question does not hold: "The capital of Peru is", or nothing at
        // all when the model starts with it; with no cloud, the device does not say it either: it closes the sentence
        // only with words it may say, else trails off, and says plainly that it cannot finish the answer
        assertThat(String.join(",", names)).matches("(opener,)*handoff,(continuation,)+done");
        JsonObject handoff = events.get(names.indexOf("handoff")).data();
        assertThat(handoff.getString("committedOpener")).doesNotContain("Lima");
        assertThat(handoff.getString("continuator")).isEqualTo("embedded");
        JsonObject done = events.get(events.size() - 1).data();
        assertThat(done.getString("strategy")).isEqualTo("local");
        assertThat(done.getBoolean("degraded")).isTrue();
        assertThat(done.getString("degradedCode")).isEqualTo("no-cloud");
        assertThat(done.getString("text")).isEqualTo(done.getString("opener") + done.getString("continuation"))
                .doesNotContain("Lima").endsWith("Sorry, I can't finish this answer right now.");
        // where and why the opener stopped (sampled: before the name, or at a clause boundary or a doubtful word)
        JsonObject stop = done.getJsonObject("openerStop");
        assertThat(stop).as("done: %s", done).isNotNull();
        assertThat(stop.getString("reason")).isIn("planned-words", "clause-boundary", "clause-search-limit",
                "low-confidence", "ungrounded-fact", "end-of-reply", "decode-ended");
        assertThat(stop.getJsonArray("dropped")).as("done: %s", done).isNotNull();
        if (stop.getString("reason").equals("ungrounded-fact")) {
            assertThat(stop.getString("before")).isNotBlank().doesNotContain(" ");
            assertThat(done.getString("opener")).doesNotContain(stop.getString("before"));
        }
    }
}
