package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.OpenerWord;
import io.quarkiverse.handoff.policy.FactClass;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPoint;
import io.quarkiverse.handoff.runtime.opener.OpenerStop.Reason;

/**
 * The grounding guard and the speech confidence stop on the demo model's greedy (fp32) openers of the questions of
 * issue #13: what the opener says, and where and why it stops.
 */
class GroundedDemoOpenerTest {

    static OpenerEngine engine;

    @BeforeAll
    static void load() {
        engine = TestModels.demoModel();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    static OpenerTranscript open(String question, HandoffPlan plan) {
        OpenerTranscript transcript = new OpenerTranscript();
        engine.open(List.of(ChatMessage.user(question)), plan, 48, Duration.ofDays(1), HandoffClock.start(),
                transcript, () -> false);
        return transcript;
    }

    static String text(OpenerTranscript transcript) {
        return String.join("", transcript.words().stream().map(OpenerWord::text).toList());
    }

    static HandoffPlan grounded(HandoffPlan plan) {
        return plan.withGrounding(true, EnumSet.allOf(FactClass.class));
    }

    @Test
    void theOpenerLeavesTheProductToTheCloud() {
        HandoffPlan eight = TestModels.words(8);
        assertThat(text(open("What is 17 times 23?", eight))).as("without the guard")
                .isEqualTo("17 times 23 equals 74. Need help with");
        OpenerTranscript opened = open("What is 17 times 23?", grounded(eight));
        assertThat(text(opened)).isEqualTo("17 times 23 equals");
        assertThat(opened.stop().reason()).isEqualTo(Reason.UNGROUNDED_FACT);
        assertThat(opened.stop().fact()).isEqualTo(FactClass.NUMBER);
        assertThat(opened.stop().before()).isEqualTo(" 74.");
    }

    @Test
    void namesAndNumbersTheConversationDoesNotHoldAreNotSaid() {
        HandoffPlan eight = grounded(TestModels.words(8));
        assertThat(text(open("What is the capital of Peru?", eight))).isEqualTo("The capital city of Peru is");
        OpenerTranscript message = open("Text Sarah that I'm running late", eight);
        assertThat(text(message)).isEqualTo("Message");
        assertThat(message.stop().describe()).isEqualTo("grounding guard: \"Noah\" is a name the conversation does "
                + "not contain; held back and not said: \"to\"");
        OpenerTranscript conversion = open("Convert 5 miles to kilometers", eight);
        assertThat(text(conversion)).isEqualTo("There are");
        assertThat(conversion.stop().dropped()).containsExactly(" about");
    }

    @Test
    void aNameStartingTheOpenerIsToldByTheModelsVocabulary() {
        // the demo model's vocabulary holds common words in lower case, names only capitalized
        assertThat(List.of("message", "sure", "mount", "turning")).allMatch(engine::inVocabulary);
        assertThat(List.of("lima", "noah", "michelangelo")).noneMatch(engine::inVocabulary);
        // a sampled opener of the demo model: "Lima is the capital of Peru."
        List<OpenerWord> words = new ArrayList<>();
        WordCutter cutter = new WordCutter(grounded(TestModels.words(8)), GroundingGuard.of(
                List.of(ChatMessage.user("What is the capital of Peru?")), EnumSet.allOf(FactClass.class),
                engine::inVocabulary), HandoffClock.start(), words::add);
        for (String token : List.of("L", "ima", " is", " the", " capital", " of", " Peru", ".")) {
            cutter.accept(token, 0.5);
        }
        cutter.finish(true);
        assertThat(words).isEmpty();
        assertThat(cutter.stop().before()).isEqualTo("Lima");
        assertThat(cutter.stop().fact()).isEqualTo(FactClass.NAME);
    }

    @Test
    void factsTheConversationHoldsAreSaid() {
        assertThat(text(open("Set a timer for 10 minutes", grounded(TestModels.words(8)))))
                .isEqualTo("Done! I've started a ten-minute timer and I'll");
    }

    @Test
    void aSpeechOpenerSaysWholeClausesAndLeavesADoubtfulStartToTheCloud() {
        HandoffPlan speech = grounded(TestModels.plan(4, HandoffPoint.CLAUSE_BOUNDARY, 0.15));
        OpenerTranscript timer = open("Set a timer for 10 minutes", speech);
        assertThat(text(timer)).isEqualTo("Done! I've started a ten-minute timer");
        assertThat(timer.stop().reason()).isEqualTo(Reason.CLAUSE_BOUNDARY);
        assertThat(timer.stop().dropped()).containsExactly(" and");

        OpenerTranscript garbled = open("Thanks, that's all for now", speech);
        assertThat(garbled.words()).isEmpty();
        assertThat(garbled.stop().reason()).isEqualTo(Reason.LOW_CONFIDENCE);
        assertThat(garbled.stop().before()).isEqualTo("Sh");
    }
}
