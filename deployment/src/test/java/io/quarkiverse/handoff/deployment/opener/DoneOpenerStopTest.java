package io.quarkiverse.handoff.deployment.opener;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.OpenerStop;
import io.quarkiverse.handoff.event.DoneEvent;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.policy.CloudRequest;
import io.quarkiverse.handoff.runtime.Handoff;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The {@code done} event says where and why the on-device opener stopped: a handoff of the demo model under the default
 * rules (grounding guard on) and a test rule for openers long enough to reach the answer, finished on the device (no
 * cloud configured).
 */
class DoneOpenerStopTest {

    @RegisterExtension
    static final QuarkusUnitTest app = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addAsResource("opener/long-openers.drl",
                    "com/example/openers/long-openers.drl"));

    @Inject
    Handoff handoff;

    @Test
    void theGuardsStopBeforeANameTheConversationLacksIsInDone() {
        String question = "What is the capital of Peru?";
        // temperature 0: the opener samples greedily, so the handoff is the same on every run
        List<HandoffEvent> events = handoff.run(new HandoffRequest(Conversation.of(question), "phone", null,
                new CloudRequest(null, 0.0, List.of()))).collect().asList().await().atMost(Duration.ofMinutes(2));
        DoneEvent done = (DoneEvent) events.get(events.size() - 1);

        OpenerStop stop = done.openerStop();
        assertThat(stop).as("done: %s", done).isNotNull();
        assertThat(stop.reason()).as("done: %s", done).isEqualTo(OpenerStop.UNGROUNDED_FACT);
        assertThat(stop.fact()).isEqualTo("NAME");
        assertThat(done.degradedCode()).isEqualTo(DoneEvent.NO_CLOUD);
        // the answer the opener left to the continuator, whichever words led up to it
        String word = stop.before().replaceAll("\\p{Punct}+$", "");
        assertThat(word).isNotBlank();
        assertThat(question.toLowerCase(Locale.ROOT)).doesNotContain(word.toLowerCase(Locale.ROOT));
        assertThat(done.opener()).doesNotContain(word);
    }
}
