package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.policy.FactClass;
import io.quarkiverse.handoff.policy.HandoffPlan;

/**
 * The device's own finish of a reply on the demo model (fp32, greedy): it closes the current sentence in a few grounded
 * words, or not at all.
 */
class LocalFinishTest {

    static OpenerEngine engine;

    @BeforeAll
    static void load() {
        engine = TestModels.demoModel();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    static final HandoffPlan GROUNDED = TestModels.words(8).withGrounding(true, EnumSet.allOf(FactClass.class));
    static final HandoffPlan UNGROUNDED = TestModels.words(8).withGrounding(false, EnumSet.noneOf(FactClass.class));

    static Optional<String> close(String question, String replySoFar, HandoffPlan plan) {
        return engine.closeSentence(List.of(ChatMessage.user(question)), replySoFar, plan, 24, () -> false);
    }

    @Test
    void aSentenceTheModelClosesWithGroundedWordsIsClosed() {
        assertThat(close("Remind me to call mom when I get home", "Sure, I'll remind you", GROUNDED))
                .contains(" to call mom when you get home.");
        assertThat(close("Set a timer for 10 minutes", "Sure, a ten-minute", GROUNDED))
                .contains(" timer is running now.");
        assertThat(close("Is it going to rain this afternoon?", "Let me check the forecast", GROUNDED))
                .contains(" this afternoon for you.");
    }

    @Test
    void aSentenceThatWouldEndOnAnUngroundedFactIsNotClosed() {
        // the time and the capital the micro-model makes up are what the guard keeps it from saying
        assertThat(close("Remind me to call mom", "Sure, I'll remind you", UNGROUNDED)).contains(" to call mom at noon.");
        assertThat(close("Remind me to call mom", "Sure, I'll remind you", GROUNDED)).isEmpty();
        assertThat(close("What is the capital of Peru?", "The capital of Peru is", UNGROUNDED))
                .contains(" Lima.");
        assertThat(close("What is the capital of Peru?", "The capital of Peru is", GROUNDED)).isEmpty();
    }

    @Test
    void whatTheReplyAlreadySaidIsGrounded() {
        // a fact the cloud said before it failed may be said again
        assertThat(close("What is 17 times 23?", "17 times 23 is 391, and 391", GROUNDED)).isNotEmpty()
                .hasValueSatisfying(closing -> assertThat(closing).endsWith("."));
    }

    @Test
    void theCloserStopsAtTheFirstSentenceEnd() {
        SentenceCloser closer = new SentenceCloser(null, "Sure, I'll", 8);
        assertThat(closer.onToken(" remind", 1)).isTrue();
        assertThat(closer.onToken(" you.", 1)).isTrue();
        assertThat(closer.onToken(" Then", 1)).as("the word after the sentence end completes it").isFalse();
        assertThat(closer.closing(false)).contains(" remind you.");
    }

    @Test
    void theCloserGivesUpAfterItsWords() {
        SentenceCloser closer = new SentenceCloser(null, "Well", 3);
        assertThat(closer.onToken(" one two three", 1)).isTrue();
        assertThat(closer.onToken(" four", 1)).as("three words and no sentence end").isFalse();
        assertThat(closer.closing(false)).isEmpty();
    }

    @Test
    void theModelEndingItsReplyEndsTheSentence() {
        SentenceCloser closer = new SentenceCloser(null, "Sure, I'll", 8);
        closer.onToken(" do it", 1);
        assertThat(closer.closing(true)).contains(" do it.");
        SentenceCloser cut = new SentenceCloser(null, "Sure, I'll", 8);
        cut.onToken(" do it", 1);
        assertThat(cut.closing(false)).as("cut by the token limit: not a sentence").isEmpty();
        assertThat(new SentenceCloser(null, "Sure, I'll", 8).closing(true)).as("nothing to say").isEmpty();
    }
}
