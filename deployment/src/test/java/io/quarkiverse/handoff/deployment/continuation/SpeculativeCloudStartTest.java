package io.quarkiverse.handoff.deployment.continuation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.event.DoneEvent;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.event.PlanEvent;
import io.quarkiverse.handoff.event.Timings;
import io.quarkiverse.handoff.runtime.Handoff;
import io.quarkiverse.handoff.runtime.continuator.ContinuationGuard;
import io.quarkiverse.handoff.runtime.policy.CloudConditions;
import io.quarkus.test.QuarkusUnitTest;

/**
 * A plan that asks for a speculative cloud start (here from a test-only rule): the handoff asks the cloud for a plain
 * answer at its start, cancels it as soon as the opener commits words, and uses it as the reply when the opener says
 * nothing or fails; {@code done} reports which.
 */
class SpeculativeCloudStartTest {

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar
                    .addClasses(ScriptedOpener.class, ScriptedCloud.class)
                    .addAsResource("continuation/speculate.drl", "com/example/speculation/speculate.drl")
                    .addAsResource(new StringAsset(String.join("\n",
                            "quarkus.handoff.opener.warm-up=false",
                            "")), "application.properties"));

    @Inject
    Handoff handoff;

    @Inject
    ScriptedOpener opener;

    @Inject
    ScriptedCloud cloud;

    @Inject
    ContinuationGuard guard;

    @Inject
    CloudConditions conditions;

    @BeforeEach
    void reset() {
        cloud.reset();
        guard.reset();
        conditions.reset();
    }

    private List<HandoffEvent> run() {
        return handoff.run(new HandoffRequest(Conversation.of("Set a timer for 10 minutes"), "phone", null))
                .collect().asList().await().atMost(Duration.ofSeconds(20));
    }

    private static DoneEvent done(List<HandoffEvent> events) {
        assertThat(events.get(events.size() - 1)).isInstanceOf(DoneEvent.class);
        return (DoneEvent) events.get(events.size() - 1);
    }

    @Test
    void theSpeculationIsCancelledWhenTheOpenerCommitsWords() {
        opener.say(List.of("Sure,", " I'll", " set"));
        cloud.answer = List.of("A ten minute timer", " is running.");
        cloud.answerFirstTokenDelay = Duration.ofSeconds(5); // still waiting for its first token at the commit
        cloud.continuation = List.of(" it", " now.");
        List<HandoffEvent> events = run();
        DoneEvent done = done(events);

        assertThat(((PlanEvent) events.stream().filter(PlanEvent.class::isInstance).findFirst().orElseThrow())
                .plan().speculativeCloudStart()).isTrue();
        assertThat(cloud.log).as("the answer was asked at the start, cancelled at the commit, then the continuation")
                .containsExactly("request:", "cancel:", "request:Sure, I'll set");
        assertThat(done.speculation()).isEqualTo(DoneEvent.SPECULATION_UNUSED);
        assertThat(done.text()).isEqualTo("Sure, I'll set it now.");
        assertThat(done.openerStop()).as("an opener that does not report its stop").isNull();
        assertThat(done.strategy()).isEqualTo("instruction");
        assertThat(done.cloudAttempts()).isEqualTo(1);
        Timings timings = done.timings();
        assertThat(timings.cloudRequestSentMs()).as("the timings are the continuation's, not the speculation's")
                .isGreaterThanOrEqualTo(timings.openerDoneMs());
        assertThat(timings.cloudFirstTokenMs()).isGreaterThan(timings.cloudRequestSentMs());
        assertThat(conditions.cloudSamples("scripted-cloud"))
                .as("only the continuation's first token: the cancelled answer never had one").isEqualTo(1);
    }

    @Test
    void anEmptyOpenerMakesTheSpeculativeAnswerTheReply() {
        opener.say(List.of());
        cloud.answer = List.of("A ten minute timer", " is running.");
        DoneEvent done = done(run());

        assertThat(cloud.log).as("one request: the speculation, not a continuation of nothing")
                .containsExactly("request:");
        assertThat(done.speculation()).isEqualTo(DoneEvent.SPECULATION_USED);
        assertThat(done.strategy()).isEqualTo("answer");
        assertThat(done.opener()).isEmpty();
        assertThat(done.text()).isEqualTo("A ten minute timer is running.");
        assertThat(done.degraded()).isFalse();
        assertThat(done.cloudAttempts()).isEqualTo(1);
        Timings timings = done.timings();
        assertThat(timings.cloudRequestSentMs()).as("the speculation left when the handoff started")
                .isLessThanOrEqualTo(timings.openerDoneMs());
        assertThat(timings.cloudFirstTokenMs()).isGreaterThan(timings.cloudRequestSentMs())
                .isLessThanOrEqualTo(timings.totalMs());
        assertThat(conditions.cloudSamples("scripted-cloud")).as("the answer's first token was measured").isEqualTo(1);
        assertThat(conditions.expectedCloudFirstTokenMs("scripted-cloud")).hasValueCloseTo(
                timings.cloudFirstTokenMs() - timings.cloudRequestSentMs(), within(0.01));
    }

    @Test
    void anOpenerThatFailsBeforeItsFirstWordMakesTheSpeculativeAnswerTheReply() {
        opener.failAtOnce();
        cloud.answer = List.of("A ten minute timer", " is running.");
        DoneEvent done = done(run());

        assertThat(cloud.log).containsExactly("request:");
        assertThat(done.speculation()).isEqualTo(DoneEvent.SPECULATION_USED);
        assertThat(done.strategy()).isEqualTo("answer");
        assertThat(done.text()).isEqualTo("A ten minute timer is running.");
    }

    @Test
    void cancellingTheHandoffWhileTheOpenerSpeaksCancelsTheSpeculation() {
        opener.say(List.of("Sure,", " I'll", " set", " a", " timer", " for", " you"));
        cloud.answer = List.of("A ten minute timer", " is running.");
        cloud.answerFirstTokenDelay = Duration.ofSeconds(5);
        // the handoff is cancelled as its first word arrives (select().first() cancels from onItem), so while the
        // opener still has six words to say: before the commit, whatever the machine's speed
        List<HandoffEvent> seen = handoff.run(new HandoffRequest(Conversation.of("Set a timer"), "phone", null))
                .select().first().collect().asList().await().atMost(Duration.ofSeconds(30));
        assertThat(seen).hasSize(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> cloud.log.contains("cancel:"));
        assertThat(cloud.log).containsExactly("request:", "cancel:");
    }
}
