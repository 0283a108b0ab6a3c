package io.quarkiverse.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkiverse.handoff.it.ServerSentEvents.Event;
import io.quarkiverse.handoff.runtime.policy.CloudConditions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A conversation the device flags as sensitive reaches the cloud with its personal identifiers masked, and the user
 * gets the cloud's reply with the real values back, even when a placeholder arrives split across stream chunks.
 */
@QuarkusTest
@QuarkusTestResource(value = OpenAiServerResource.class, restrictToAnnotatedClass = true)
class PersonalDataMaskingTest {

    static final String EMAIL = "ann.lee@example.org";
    static final String PHONE = "+1 555 123 4567";
    static final String QUESTION = "Send the report to " + EMAIL + " and text " + PHONE + " when it is done";

    @Inject
    CloudConditions conditions;

    OpenAiStreamingServer server = OpenAiServerResource.server;

    @BeforeEach
    void reset() {
        server.reset();
        conditions.reset();
        server.script(List.of(" quokka courier: the report goes to [EMA", "IL_1] and a text to [PHONE_1]", "."));
    }

    static String body(String privacy) {
        return body("phone", privacy);
    }

    static String body(String profile, String privacy) {
        JsonObject body = new JsonObject().put("profile", profile)
                .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", QUESTION)));
        if (privacy != null) {
            body.put("device", new JsonObject().put("privacy", privacy));
        }
        return body.encode();
    }

    @Test
    void aSensitiveConversationLeavesTheDeviceMaskedAndComesBackWhole() {
        List<Event> events = CloudContinuationTest.handoff(body("sensitive"));

        JsonObject plan = events.stream().filter(e -> "handoff".equals(e.name())).findFirst().orElseThrow().data()
                .getJsonObject("plan");
        assertThat(plan.getBoolean("maskPii")).isTrue();
        assertThat(plan.getJsonArray("firedRules").encode()).contains("Sensitive conversation: mask personal data");

        assertThat(server.requests()).hasSize(1);
        String sent = server.requests().get(0).encode();
        assertThat(sent).as("what left the device").doesNotContain(EMAIL).doesNotContain("555 123 4567")
                .contains("[EMAIL_1]").contains("[PHONE_1]").contains("placeholders in square brackets");

        List<String> deltas = events.stream().filter(e -> "continuation".equals(e.name()))
                .map(e -> e.data().getString("delta")).toList();
        assertThat(String.join("", deltas)).contains("the report goes to " + EMAIL + " and a text to " + PHONE + ".");
        assertThat(deltas).noneMatch(d -> d.contains("[EMA") || d.contains("[PHONE"));
        JsonObject done = events.get(events.size() - 1).data();
        assertThat(done.getString("text")).contains(EMAIL).contains(PHONE).doesNotContain("[EMAIL_1]");
        assertThat(done.getBoolean("degraded")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { TestDeviceProfiles.CLOUD_ONLY, TestDeviceProfiles.SPECULATIVE })
    void everyRequestToTheCloudIsMaskedWhateverThePlan(String profile) {
        List<Event> events = CloudContinuationTest.handoff(body(profile, "sensitive"));

        assertThat(server.requests()).as("the answer from scratch or the speculation, and the continuation")
                .isNotEmpty();
        assertThat(server.requests()).allSatisfy(request -> assertThat(request.encode())
                .doesNotContain(EMAIL).doesNotContain("555 123 4567").contains("[EMAIL_1]"));
        JsonObject done = events.get(events.size() - 1).data();
        assertThat(done.getString("text")).contains(EMAIL + " and a text to " + PHONE).doesNotContain("[PHONE_1]");
    }

    @Test
    void anOrdinaryConversationIsSentAsTheUserWroteIt() {
        List<Event> events = CloudContinuationTest.handoff(body(null));

        JsonObject plan = events.stream().filter(e -> "handoff".equals(e.name())).findFirst().orElseThrow().data()
                .getJsonObject("plan");
        assertThat(plan.getBoolean("maskPii")).isFalse();
        String sent = server.requests().get(0).encode();
        assertThat(sent).contains(EMAIL).doesNotContain("[EMAIL_1]").doesNotContain("placeholders in square brackets");
    }
}
