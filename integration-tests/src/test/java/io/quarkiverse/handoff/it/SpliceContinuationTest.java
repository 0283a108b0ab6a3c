package io.quarkiverse.handoff.it;

import static io.quarkiverse.handoff.it.CloudContinuationTest.assertTimingsInOrder;
import static io.quarkiverse.handoff.it.CloudContinuationTest.body;
import static io.quarkiverse.handoff.it.CloudContinuationTest.done;
import static io.quarkiverse.handoff.it.CloudContinuationTest.handoff;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.it.OpenAiStreamingServer.Behaviour;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The splice strategy end to end against the OpenAI-protocol test server: the server is asked a fresh question, and
 * its answer, which restates what the opener said, is spliced after the opener with the restatement cut at the seam.
 */
@QuarkusTest
@TestProfile(ContinuationStrategyProfiles.Splice.class)
class SpliceContinuationTest {

    OpenAiStreamingServer server = OpenAiServerResource.server;

    @BeforeEach
    void reset() {
        server.reset();
    }

    @Test
    void aFreshAnswerIsSplicedAfterTheOpenerWithoutItsRestatement() throws Exception {
        server.then(Behaviour.hold());
        JsonObject handoff;
        JsonObject done;
        try (HandoffSocket socket = new HandoffSocket(body("phone", CloudContinuationTest.TIMER))) {
            handoff = socket.next("handoff");
            // the answer restates the words the user was shown, as a fresh answer does, then goes on
            String shown = handoff.getString("committedOpener").strip();
            server.release(List.of(shown, " zebra crossings", " are striped."));
            done = socket.next("done");
        }
        String opener = done.getString("opener");
        assertThat(opener).isEqualTo(handoff.getString("committedOpener")).isNotBlank();

        JsonObject request = server.requests().get(0);
        JsonArray messages = request.getJsonArray("messages");
        assertThat(messages.size()).as("a system prompt and the question: a fresh answer request").isEqualTo(2);
        assertThat(messages.getJsonObject(0).getString("content")).contains("Answer the user's last message");
        assertThat(messages.getJsonObject(1).getString("role")).isEqualTo("user");
        assertThat(messages.getJsonObject(1).getString("content")).isEqualTo(CloudContinuationTest.TIMER);
        // the model is told what was said only so that it can pivot when it was wrong: its answer starts afresh
        assertThat(messages.getJsonObject(0).getString("content")).as("the words said, and how to recover")
                .contains("\"" + opener.strip() + "\"").contains("[PIVOT]");

        assertThat(done.getString("strategy")).isEqualTo("splice");
        assertThat(done.getBoolean("degraded")).isFalse();
        assertThat(done.getString("continuation").strip().toLowerCase(Locale.ROOT))
                .as("the restatement was cut at the seam").isEqualTo("zebra crossings are striped.");
        assertThat(done.getString("text")).isEqualTo(opener + done.getString("continuation"));
        assertTimingsInOrder(done.getJsonObject("timings"));
    }

    @Test
    void withoutAnOpenerTheAnswerIsTheWholeReply() {
        server.then(Behaviour.stream(List.of("A ten minute timer", " is running."), 0));
        JsonObject done = done(handoff(body(TestDeviceProfiles.CLOUD_ONLY, CloudContinuationTest.TIMER)));
        assertThat(done.getString("strategy")).isEqualTo("answer");
        assertThat(done.getString("text")).isEqualTo("A ten minute timer is running.");
        assertThat(done.getString("continuation")).as("nothing cut: there was no opener to restate")
                .isEqualTo("A ten minute timer is running.");
    }
}
