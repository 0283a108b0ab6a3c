package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.HandoffClock.Milestone;
import io.quarkiverse.handoff.OpenerWord;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPoint;

/** The plan's handoff point applied to a scripted token stream. */
class WordCutterTest {

    record Run(List<OpenerWord> words, int tokensTaken, HandoffClock clock) {
        List<String> texts() {
            return words.stream().map(OpenerWord::text).toList();
        }
    }

    /** Feeds tokens (alternating text, probability) until the cutter says stop; then finishes. */
    static Run run(HandoffPlan plan, boolean endOfSequence, Object... tokens) {
        List<OpenerWord> words = new ArrayList<>();
        HandoffClock clock = HandoffClock.start();
        WordCutter cutter = new WordCutter(plan, clock, words::add);
        int taken = 0;
        boolean stopped = false;
        for (int i = 0; i < tokens.length && !stopped; i += 2) {
            taken++;
            stopped = !cutter.accept((String) tokens[i], (Double) tokens[i + 1]);
        }
        cutter.finish(!stopped && endOfSequence);
        return new Run(words, taken, clock);
    }

    static Object[] sentence(String text, double probability) {
        // one token per character run: "Sure", ",", " I", ... as a tokenizer would split it
        List<Object> out = new ArrayList<>();
        for (String piece : text.split("(?=[ ,.;:!?])")) {
            out.add(piece);
            out.add(probability);
        }
        return out.toArray();
    }

    @Test
    void afterWordsStopsAtTheNthWordWithoutReadingFurther() {
        Run run = run(TestModels.words(3), false, sentence("One two three four five six", 0.9));
        assertThat(run.texts()).containsExactly("One", " two", " three");
        // the 3rd word is complete when " four" starts: the 4th token is the last one read
        assertThat(run.tokensTaken()).isEqualTo(4);
        assertThat(run.words()).extracting(OpenerWord::index).containsExactly(0, 1, 2);
        assertThat(run.clock().isMarked(Milestone.OPENER_FIRST_WORD)).isTrue();
        assertThat(run.words().get(0).nanosSinceStart()).isLessThanOrEqualTo(run.words().get(2).nanosSinceStart());
    }

    @Test
    void clauseBoundaryWaitsForTheFirstClauseEndAfterTheWords() {
        HandoffPlan plan = TestModels.plan(3, HandoffPoint.CLAUSE_BOUNDARY, 0);
        Run run = run(plan, false, sentence("Well, the answer is four, as usual. Then more words follow here", 0.9));
        // "Well," ends a clause but comes before the 3 words; the first boundary at or after word 3 is "four,"
        assertThat(run.texts()).containsExactly("Well,", " the", " answer", " is", " four,");
    }

    @Test
    void clauseBoundaryAtExactlyTheNthWord() {
        HandoffPlan plan = TestModels.plan(2, HandoffPoint.CLAUSE_BOUNDARY, 0);
        Run run = run(plan, false, sentence("Sure thing. I will", 0.9));
        assertThat(run.texts()).containsExactly("Sure", " thing.");
    }

    @Test
    void clauseBoundaryGivesUpAtTwiceTheWords() {
        HandoffPlan plan = TestModels.plan(3, HandoffPoint.CLAUSE_BOUNDARY, 0);
        Run run = run(plan, false, sentence("a b c d e f g h i j, k", 0.9));
        assertThat(run.texts()).hasSize(2 * 3).endsWith(" f");
    }

    @Test
    void confidenceDropStopsBeforeTheFirstUnsureWordButKeepsTheFirstWord() {
        HandoffPlan plan = TestModels.plan(8, HandoffPoint.CONFIDENCE_DROP, 0.5);
        Run run = run(plan, false, "Maybe", 0.2, " the", 0.9, " capital", 0.8, " is", 0.4, " Lima", 0.9, " ", 0.9);
        // the first word is always written (an opener of zero words is the cloud's job); " is" (0.4) stops it
        assertThat(run.texts()).containsExactly("Maybe", " the", " capital");
        assertThat(run.words()).extracting(OpenerWord::confidence).containsExactly(0.2, 0.9, 0.8);
    }

    @Test
    void confidenceDropStillStopsAtTheWords() {
        HandoffPlan plan = TestModels.plan(2, HandoffPoint.CONFIDENCE_DROP, 0.5);
        Run run = run(plan, false, sentence("All sure words here", 0.9));
        assertThat(run.texts()).containsExactly("All", " sure");
    }

    @Test
    void endOfSequenceFlushesTheLastWord() {
        Run run = run(TestModels.words(8), true, sentence("Just two", 0.9));
        assertThat(run.texts()).containsExactly("Just", " two");
    }

    @Test
    void aDecodeCutMidWordNeverEmitsThePartialWord() {
        // the token limit, the time budget or a cancellation stopped the decode after "Hel" of "Hello"
        Run run = run(TestModels.words(8), false, "Say", 0.9, " Hel", 0.9);
        assertThat(run.texts()).containsExactly("Say");
    }

    @Test
    void aPlanOfZeroWordsWritesNothing() {
        Run run = run(TestModels.words(0), true, sentence("Anything at all", 0.9));
        assertThat(run.words()).isEmpty();
        assertThat(run.tokensTaken()).isEqualTo(1);
    }
}
