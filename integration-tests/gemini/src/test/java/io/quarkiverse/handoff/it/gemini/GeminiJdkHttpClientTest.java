package io.quarkiverse.handoff.it.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.event.ContinuationEvent;
import io.quarkiverse.handoff.event.DoneEvent;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.runtime.Handoff;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The Gemini provider with langchain4j's JDK HTTP client under it ({@link StreamingGeminiHttpClient}): the handoff
 * gets each chunk as the server sends it, and cancelling the handoff mid-stream closes the server's connection.
 */
@QuarkusTest
@TestProfile(GeminiJdkHttpClientTest.JdkHttpClient.class)
@WithTestResource(GeminiServerResource.class)
class GeminiJdkHttpClientTest {

    static final Duration LIVENESS = GeminiContinuationTest.LIVENESS;

    /** The application built with {@code handoff.it.gemini.jdk-http-client=true}. */
    public static final class JdkHttpClient implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("handoff.it.gemini.jdk-http-client", "true");
        }
    }

    @Inject
    Handoff handoff;

    @Inject
    ScriptedOpener opener;

    GeminiProtocolServer server = GeminiServerResource.server;

    @BeforeEach
    void reset() {
        server.reset();
    }

    @Test
    void theFirstChunkArrivesWhileTheModelIsStillWritingAndCancellingClosesTheConnection()
            throws InterruptedException {
        opener.say("Sure, I'll set a timer");
        // the first chunk at once, then the response stays open: only a client that streams can hand it over
        server.thenHold(List.of(" set a timer for ten minutes."));

        // the first continuation delta, then the subscription is cancelled (what a client going away does)
        HandoffEvent first = handoff.run(new HandoffRequest(Conversation.of(GeminiContinuationTest.TIMER), "phone",
                DeviceFacts.NONE))
                .select().where(e -> e instanceof ContinuationEvent || e instanceof DoneEvent).select().first()
                .toUni().await().atMost(LIVENESS);

        assertThat(first).as("the chunk reached the handoff while the response was open")
                .isInstanceOfSatisfying(ContinuationEvent.class,
                        delta -> assertThat(delta.delta()).isEqualTo(" for ten minutes."));
        assertThat(server.awaitDisconnect(LIVENESS.toMillis())).as("the Gemini server saw the client go away").isTrue();
        assertThat(server.disconnects().get(0).path())
                .isEqualTo("/v1beta/models/" + GeminiContinuationTest.MODEL + ":streamGenerateContent");
    }

    @Test
    void aWholeReplyStreamsAsWithTheProvidersOwnClient() {
        opener.say("Sure, I'll set a timer");
        server.then(List.of(" set", " a timer", " for ten minutes."), 0);

        List<HandoffEvent> events = handoff.run(new HandoffRequest(Conversation.of(GeminiContinuationTest.TIMER),
                "phone", DeviceFacts.NONE)).collect().asList().await().atMost(LIVENESS);

        DoneEvent done = events.stream().filter(DoneEvent.class::isInstance).map(DoneEvent.class::cast).findFirst()
                .orElseThrow();
        assertThat(done.text()).isEqualTo("Sure, I'll set a timer for ten minutes.");
        assertThat(done.strategy()).isEqualTo("instruction");
        assertThat(done.continuator()).isEqualTo("langchain4j:google-ai-gemini");
        assertThat(done.degraded()).isFalse();
        assertThat(server.requests()).hasSize(1);
        assertThat(server.requests().get(0).apiKey()).isEqualTo(GeminiServerResource.API_KEY);
    }
}
