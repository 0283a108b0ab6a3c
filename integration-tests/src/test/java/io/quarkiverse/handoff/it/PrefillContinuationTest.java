package io.quarkiverse.handoff.it;

import static io.quarkiverse.handoff.it.CloudContinuationTest.UNSPOKEN;
import static io.quarkiverse.handoff.it.CloudContinuationTest.assertTimingsInOrder;
import static io.quarkiverse.handoff.it.CloudContinuationTest.body;
import static io.quarkiverse.handoff.it.CloudContinuationTest.done;
import static io.quarkiverse.handoff.it.CloudContinuationTest.handoff;
import static io.quarkiverse.handoff.it.CloudContinuationTest.unspoken;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.it.OpenAiStreamingServer.Behaviour;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The prefill strategy end to end against the OpenAI-protocol test server: the opener reaches the server as the start
 * of the assistant's own message, the server's text is its literal continuation.
 */
@QuarkusTest
@TestProfile(ContinuationStrategyProfiles.Prefill.class)
class PrefillContinuationTest {

    OpenAiStreamingServer server = OpenAiServerResource.server;

    @BeforeEach
    void reset() {
        server.reset();
    }

    @Test
    void theOpenerIsSentAsATrailingAssistantMessageThatTheServerContinues() {
        server.then(Behaviour.stream(UNSPOKEN, 0));
        JsonObject done = done(handoff(body("phone", CloudContinuationTest.TIMER)));
        String opener = done.getString("opener");
        assertThat(opener).isNotBlank();

        assertThat(server.requests()).hasSize(1);
        JsonObject request = server.requests().get(0);
        JsonArray messages = request.getJsonArray("messages");
        JsonObject last = messages.getJsonObject(messages.size() - 1);
        assertThat(last.getString("role")).isEqualTo("assistant");
        assertThat(last.getString("content")).isEqualTo(opener.strip());
        assertThat(last.getValue("prefix")).as("the configured prefill message field, a JSON boolean").isEqualTo(true);
        assertThat(last.fieldNames()).containsExactlyInAnyOrder("role", "content", "prefix");
        JsonObject question = messages.getJsonObject(messages.size() - 2);
        assertThat(question.getString("role")).isEqualTo("user");
        assertThat(question.getString("content")).isEqualTo(CloudContinuationTest.TIMER);
        assertThat(messages.getJsonObject(0).getString("content")).contains("given as the start of your own message");
        assertThat(request.getBoolean("continue_final_message")).as("the configured prefill parameter").isTrue();

        assertThat(done.getString("strategy")).isEqualTo("prefill");
        assertThat(done.getBoolean("degraded")).isFalse();
        assertThat(unspoken(done)).isEqualTo("zebra crossings are striped.");
        assertThat(done.getString("text")).isEqualTo(opener + done.getString("continuation"));
        assertTimingsInOrder(done.getJsonObject("timings"));
    }

    @Test
    void withoutAnOpenerThereIsNoAssistantMessageToContinue() {
        server.then(Behaviour.stream(List.of("A ten minute timer", " is running."), 0));
        JsonObject done = done(handoff(body(TestDeviceProfiles.CLOUD_ONLY, CloudContinuationTest.TIMER)));

        JsonObject request = server.requests().get(0);
        JsonArray messages = request.getJsonArray("messages");
        JsonObject last = messages.getJsonObject(messages.size() - 1);
        assertThat(last.getString("role")).isEqualTo("user");
        assertThat(last.getString("content")).isEqualTo(CloudContinuationTest.TIMER);
        assertThat(request.containsKey("continue_final_message")).as("nothing to continue").isFalse();
        assertThat(messages).as("no prefix without an opener")
                .noneMatch(message -> ((JsonObject) message).containsKey("prefix"));
        assertThat(done.getString("strategy")).isEqualTo("answer");
        assertThat(done.getString("text")).isEqualTo("A ten minute timer is running.");
    }
}
