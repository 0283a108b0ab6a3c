package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.OpenerRequest;
import io.quarkiverse.handoff.OpenerStop;
import io.quarkiverse.handoff.OpenerWord;
import io.quarkiverse.handoff.policy.FactClass;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPoint;
import io.quarkiverse.handoff.runtime.opener.OpenerStop.Reason;

/**
 * The grounding guard and the speech confidence stop on the demo model's greedy (fp32) openers of the questions of
 * issue #13 and of the everyday held-out set: what the opener says, and where and why it stops.
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
    void theOpenerRestatesTheQuestionAndLeavesTheResultToTheCloud() {
        HandoffPlan eight = TestModels.words(8);
        // trained on frames that restate the question, the demo model does not state a result of its own
        assertThat(text(open("What is 17 times 23?", eight))).as("without the guard")
                .isEqualTo("Let me work out 17 times 23 for");
        OpenerTranscript opened = open("What is 17 times 23?", grounded(eight));
        assertThat(text(opened)).isEqualTo("Let me work out 17 times 23");
        assertThat(opened.stop().reason()).isEqualTo(Reason.PLANNED_WORDS);
        // where it still says a number of its own, the guard stops right before it
        assertThat(text(open("How old is the Eiffel Tower?", eight))).as("without the guard")
                .startsWith("The Eiffel Tower is about 330");
        OpenerTranscript tower = open("How old is the Eiffel Tower?", grounded(eight));
        assertThat(text(tower)).isEqualTo("The Eiffel Tower is");
        assertThat(tower.stop().reason()).isEqualTo(Reason.UNGROUNDED_FACT);
        assertThat(tower.stop().fact()).isEqualTo(FactClass.NUMBER);
        assertThat(tower.stop().before()).isEqualTo(" 330");
        assertThat(tower.stop().dropped()).as("no dangling preposition").containsExactly(" about");
        // and right before an operation the question did not ask for
        assertThat(text(open("add 5 and 7", eight))).as("without the guard").startsWith("Let me work out 5 squared");
        OpenerTranscript sum = open("add 5 and 7", grounded(eight));
        assertThat(text(sum)).isEqualTo("Let me work out 5");
        assertThat(sum.stop().describe()).isEqualTo("grounding guard: \"squared\" is a unit or operation the "
                + "conversation does not contain");
    }

    @Test
    void namesAndTimesTheConversationDoesNotHoldAreNotSaid() {
        HandoffPlan eight = grounded(TestModels.words(8));
        OpenerTranscript capital = open("What is the capital of Peru?", eight);
        assertThat(text(capital)).isEqualTo("The capital of Peru is");
        assertThat(capital.stop().describe())
                .isEqualTo("grounding guard: \"Lima.\" is a name the conversation does not contain");
        OpenerTranscript message = open("Send a message to Marcus saying running ten minutes late", eight);
        assertThat(text(message)).isEqualTo("Sure, I'll text");
        assertThat(message.stop().describe()).isEqualTo("grounding guard: \"J\" is a name the conversation "
                + "does not contain");
        OpenerTranscript painter = open("Who painted the Mona Lisa?", eight);
        assertThat(text(painter)).isEqualTo("The Mona Lisa was painted");
        assertThat(painter.stop().dropped()).as("no dangling preposition").containsExactly(" by");
        OpenerTranscript alarm = open("Set an alarm", eight);
        assertThat(text(alarm)).isEqualTo("Sure, I've set an alarm");
        assertThat(alarm.stop().fact()).isEqualTo(FactClass.DATE_TIME);
        assertThat(alarm.stop().describe()).isEqualTo("grounding guard: \"3:00\" is a date or time the conversation "
                + "does not contain; held back and not said: \"for\"");
    }

    @Test
    void theOnnxOpenerReportsTheGuardsStopToTheRequest() {
        String question = "What is the capital of Peru?";
        // the API's stop, as an opener reports it (imported: this package's OpenerStop is the engine's own)
        List<OpenerStop> reported = new CopyOnWriteArrayList<>();
        OpenerRequest request = new OpenerRequest(Conversation.of(question), grounded(TestModels.words(8)),
                HandoffClock.start(), reported::add);
        List<OpenerWord> words = OnnxOpener.open(engine, request, 48, Duration.ofSeconds(30)).collect().asList()
                .await().atMost(Duration.ofMinutes(1));
        // once, before the stream completed; the answer is a name the question does not hold, whatever the words
        // before it
        assertThat(reported).hasSize(1);
        OpenerStop stop = reported.get(0);
        assertThat(stop.reason()).isEqualTo("ungrounded-fact");
        assertThat(stop.fact()).isEqualTo("NAME");
        assertThat(stop.before()).isNotBlank().isEqualTo(stop.before().strip());
        assertThat(question.toLowerCase(Locale.ROOT)).doesNotContain(GroundingGuard.core(stop.before())
                .toLowerCase(Locale.ROOT));
        assertThat(words).extracting(OpenerWord::word).doesNotContain(stop.before());
    }

    @Test
    void aWordWhoseSpellingTheModelGuessedIsNotSaid() {
        HandoffPlan eight = TestModels.words(8);
        assertThat(text(open("What does ephemeral mean?", eight))).as("without the guard")
                .startsWith("Here's what ephesal means:");
        OpenerTranscript copy = open("What does ephemeral mean?", grounded(eight));
        // a copy of the conversation's "ephemeral" that went astray: the cloud says the word
        assertThat(text(copy)).isEqualTo("Here's what");
        assertThat(copy.stop().fact()).isEqualTo(FactClass.GUESSED_WORD);
        assertThat(copy.stop().describe()).isEqualTo("grounding guard: \"ephesal\" is a guessed word the "
                + "conversation does not contain");
    }

    @Test
    void aNameStartingTheOpenerIsToldByTheModelsVocabulary() {
        // the demo model's vocabulary holds common words in lower case, names only capitalized
        assertThat(List.of("message", "sure", "timer", "turning")).allMatch(engine::inVocabulary);
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
        HandoffPlan eight = grounded(TestModels.words(8));
        assertThat(text(open("Set a timer for 10 minutes", eight))).isEqualTo("Sure, a ten-minute timer is running now.");
        assertThat(text(open("Text Sarah that I'm running late", eight)))
                .isEqualTo("Sure, I'll text Sarah: \"I'm running late.\" Should");
        assertThat(text(open("Remind me to call mom when I get home", eight)))
                .isEqualTo("Sure, I'll remind you to call mom when");
    }

    @Test
    void aSpeechOpenerSaysWholeClausesAndNeverStopsMidPhrase() {
        HandoffPlan speech = grounded(TestModels.plan(4, HandoffPoint.CLAUSE_BOUNDARY, 0.15));
        OpenerTranscript reminder = open("Remind me to call mom when I get home", speech);
        assertThat(text(reminder)).isEqualTo("Sure, I'll remind you to call mom");
        assertThat(reminder.stop().reason()).isEqualTo(Reason.CLAUSE_BOUNDARY);
        assertThat(reminder.stop().dropped()).containsExactly(" when");

        // before a fact it falls back to the last whole clause (WordCutterTest), and says nothing when there is none:
        // the cloud answers alone
        OpenerTranscript capital = open("What's the capital of Kenya?", speech);
        assertThat(capital.words()).isEmpty();
        assertThat(capital.stop().before()).isEqualTo(" Nairobi,");
        assertThat(capital.stop().dropped()).containsExactly("The", " capital", " of", " Kenya", " is");
    }
}
