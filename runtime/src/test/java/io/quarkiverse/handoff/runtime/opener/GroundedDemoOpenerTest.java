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
    void theOpenerRestatesTheQuestionAndLeavesTheProductToTheCloud() {
        HandoffPlan eight = TestModels.words(8);
        // trained on frames that restate the question, the demo model no longer states a product of its own
        assertThat(text(open("What is 17 times 23?", eight))).as("without the guard")
                .isEqualTo("Good question. Let me work out 17 times");
        OpenerTranscript opened = open("What is 17 times 23?", grounded(eight));
        assertThat(text(opened)).isEqualTo("Good question. Let me work out 17 times");
        assertThat(opened.stop().reason()).isEqualTo(Reason.PLANNED_WORDS);
        // where it still says a number of its own, the guard stops right before it
        assertThat(text(open("How many ounces in a pound?", eight))).as("without the guard")
                .isEqualTo("There are 168 hours in a week: seven");
        OpenerTranscript ounces = open("How many ounces in a pound?", grounded(eight));
        assertThat(text(ounces)).isEqualTo("There are");
        assertThat(ounces.stop().reason()).isEqualTo(Reason.UNGROUNDED_FACT);
        assertThat(ounces.stop().fact()).isEqualTo(FactClass.NUMBER);
        assertThat(ounces.stop().before()).isEqualTo(" 168");
    }

    @Test
    void namesAndNumbersTheConversationDoesNotHoldAreNotSaid() {
        HandoffPlan eight = grounded(TestModels.words(8));
        OpenerTranscript capital = open("What is the capital of Peru?", eight);
        assertThat(text(capital)).isEqualTo("The capital of Peru is");
        assertThat(capital.stop().describe())
                .isEqualTo("grounding guard: \"Lima,\" is a name the conversation does not contain");
        OpenerTranscript message = open("Send a message to Marcus saying running ten minutes late", eight);
        assertThat(text(message)).isEqualTo("Got it. Sending");
        assertThat(message.stop().describe()).isEqualTo("grounding guard: \"Re\" is a name the conversation does "
                + "not contain");
        OpenerTranscript painter = open("Who painted the Mona Lisa?", eight);
        assertThat(text(painter)).isEqualTo("The Mona Lisa was painted");
        assertThat(painter.stop().dropped()).as("no dangling preposition").containsExactly(" by");
        OpenerTranscript alarm = open("Thanks, that's all for now", eight);
        assertThat(text(alarm)).isEqualTo("Okay, I've moved your alarm");
        assertThat(alarm.stop().fact()).isEqualTo(FactClass.DATE_TIME);
        assertThat(alarm.stop().describe()).isEqualTo("grounding guard: \"2:00\" is a date or time the conversation "
                + "does not contain; held back and not said: \"to\"");
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
        assertThat(text(open("How do you reheat leftover rice safely", eight))).as("without the guard")
                .startsWith("Here's how to repoye-up,");
        OpenerTranscript rice = open("How do you reheat leftover rice safely", grounded(eight));
        assertThat(text(rice)).isEqualTo("Here's how");
        assertThat(rice.stop().fact()).isEqualTo(FactClass.GUESSED_WORD);
        assertThat(rice.stop().describe()).isEqualTo("grounding guard: \"repoye-up,\" is a guessed word the "
                + "conversation does not contain; held back and not said: \"to\"");
        // a word the conversation holds is said, however unsure the model was of its spelling
        assertThat(text(open("what does it mean to be frugal", grounded(eight)))).startsWith("A frugal");
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
    void aSpeechOpenerSaysWholeClausesAndLeavesADoubtfulStartToTheCloud() {
        HandoffPlan speech = grounded(TestModels.plan(4, HandoffPoint.CLAUSE_BOUNDARY, 0.15));
        OpenerTranscript reminder = open("Remind me to call mom when I get home", speech);
        assertThat(text(reminder)).isEqualTo("Sure, I'll remind you to call mom");
        assertThat(reminder.stop().reason()).isEqualTo(Reason.CLAUSE_BOUNDARY);
        assertThat(reminder.stop().dropped()).containsExactly(" when");

        OpenerTranscript doubtful = open("explain photosynthesis in simple words", speech);
        assertThat(doubtful.words()).isEmpty();
        assertThat(doubtful.stop().reason()).isEqualTo(Reason.LOW_CONFIDENCE);
        assertThat(doubtful.stop().before()).isEqualTo("synthesis");
    }
}
