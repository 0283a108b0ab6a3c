package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.HandoffClock.Milestone;
import io.quarkiverse.handoff.OpenerWord;
import io.quarkiverse.handoff.policy.FactClass;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPoint;
import io.quarkiverse.handoff.runtime.opener.OpenerStop.Reason;

/** The plan's handoff point and grounding guard applied to scripted token streams. */
class WordCutterTest {

    record Run(List<OpenerWord> words, int tokensTaken, HandoffClock clock, OpenerStop stop) {
        List<String> texts() {
            return words.stream().map(OpenerWord::text).toList();
        }

        String text() {
            return String.join("", texts());
        }
    }

    /** Feeds tokens (alternating text, probability) until the cutter says stop; then finishes. */
    static Run run(HandoffPlan plan, boolean endOfSequence, Object... tokens) {
        return run(plan, null, endOfSequence, tokens);
    }

    /** The same with the grounding guard of a conversation of one user message (null: no guard). */
    static Run run(HandoffPlan plan, String conversation, boolean endOfSequence, Object... tokens) {
        List<OpenerWord> words = new ArrayList<>();
        HandoffClock clock = HandoffClock.start();
        WordCutter cutter = new WordCutter(plan, conversation == null ? null
                : guard(conversation), clock, words::add);
        int taken = 0;
        boolean stopped = false;
        for (int i = 0; i < tokens.length && !stopped; i += 2) {
            taken++;
            stopped = !cutter.accept((String) tokens[i], (Double) tokens[i + 1]);
        }
        cutter.finish(!stopped && endOfSequence);
        return new Run(words, taken, clock, cutter.stop());
    }

    /** The guard of a one-message conversation, for a language whose common words are all lower-case words. */
    static GroundingGuard guard(String conversation) {
        return GroundingGuard.of(List.of(ChatMessage.user(conversation)), EnumSet.allOf(FactClass.class),
                word -> true);
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
    void clauseBoundaryFallsBackToThePhraseBeforeAPrepositionWhenNoClauseEndsInTime() {
        HandoffPlan plan = TestModels.plan(3, HandoffPoint.CLAUSE_BOUNDARY, 0);
        // "Well," is a clause but a single word; at three times the words no other clause has ended
        Run run = run(plan, false, sentence("Well, the answer is in a book on the shelf", 0.9));
        assertThat(run.text()).isEqualTo("Well, the answer is in a book");
        assertThat(run.stop().reason()).isEqualTo(Reason.CLAUSE_SEARCH_LIMIT);
        assertThat(run.stop().dropped()).containsExactly(" on", " the");
    }

    @Test
    void aSaidClauseIsNotExtendedByAPhrase() {
        HandoffPlan plan = TestModels.plan(5, HandoffPoint.CLAUSE_BOUNDARY, 0.15);
        Run run = run(plan, false, sentence("The sky looks blue because air scatters blue light of the sun much more "
                + "than red ones", 0.9));
        // "The sky looks blue" is said; the next clause does not end within 15 words
        assertThat(run.text()).isEqualTo("The sky looks blue");
        assertThat(run.stop().reason()).isEqualTo(Reason.CLAUSE_SEARCH_LIMIT);
        assertThat(run.stop().dropped()).startsWith(" because").endsWith(" than");
        // "much more | than" is no phrase end, and "Sure," alone is too short: nothing is said
        assertThat(run(TestModels.plan(4, HandoffPoint.CLAUSE_BOUNDARY, 0.15), false,
                sentence("Sure, air scatters blue much more than red", 0.9)).words()).isEmpty();
    }

    @Test
    void clauseBoundarySaysNothingRatherThanStopMidPhrase() {
        HandoffPlan plan = TestModels.plan(3, HandoffPoint.CLAUSE_BOUNDARY, 0);
        Run run = run(plan, false, sentence("many more words come here now right away very soon", 0.9));
        assertThat(run.words()).isEmpty();
        assertThat(run.stop().reason()).isEqualTo(Reason.CLAUSE_SEARCH_LIMIT);
        assertThat(run.tokensTaken()).as("the 9th word is complete when the 10th starts").isEqualTo(10);
    }

    @Test
    void clauseBoundarySaysAClauseOnlyOnceItEnds() {
        HandoffPlan plan = TestModels.plan(8, HandoffPoint.CLAUSE_BOUNDARY, 0);
        Object[] tokens = sentence("Sure, I'll set it up now. Then", 0.9);
        List<OpenerWord> words = new ArrayList<>();
        WordCutter cutter = new WordCutter(plan, null, HandoffClock.start(), words::add);
        // up to " now": "Sure," ended a clause, but one word is too short an opener to say on its own
        for (int i = 0; i < 14; i += 2) {
            cutter.accept((String) tokens[i], (Double) tokens[i + 1]);
        }
        assertThat(words).isEmpty();
        // "." ends the clause, " Then" completes "now.": the whole clause is said at once
        cutter.accept((String) tokens[14], (Double) tokens[15]);
        cutter.accept((String) tokens[16], (Double) tokens[17]);
        assertThat(words).extracting(OpenerWord::text).containsExactly("Sure,", " I'll", " set", " it", " up", " now.");
    }

    @Test
    void clauseBoundaryStopsAtTheLastClauseBeforeADoubtfulWord() {
        HandoffPlan plan = TestModels.plan(8, HandoffPoint.CLAUSE_BOUNDARY, 0.15);
        Run run = run(plan, false, "Sure,", 0.4, " I'll", 0.9, " set", 0.9, " it", 0.9, " up.", 0.9, " Then", 0.9,
                " maybe", 0.05, " more", 0.9, " ", 0.9);
        assertThat(run.text()).isEqualTo("Sure, I'll set it up.");
        assertThat(run.stop().reason()).isEqualTo(Reason.LOW_CONFIDENCE);
        assertThat(run.stop().before()).isEqualTo(" maybe");
        assertThat(run.stop().dropped()).containsExactly(" Then");
    }

    @Test
    void aSpeechOpenerUnsureOfItsFirstClauseSaysNothing() {
        HandoffPlan plan = TestModels.plan(8, HandoffPoint.CLAUSE_BOUNDARY, 0.15);
        // "Sure," ended a clause, but a one-word opener is too short: the cloud answers alone
        Run run = run(plan, false, "Sure,", 0.4, " I'll", 0.9, " zq", 0.05, " ", 0.9);
        assertThat(run.words()).isEmpty();
        assertThat(run.stop().reason()).isEqualTo(Reason.LOW_CONFIDENCE);
        // the first word itself
        assertThat(run(plan, false, "Sh", 0.09, " here's", 0.9, " ", 0.9).words()).isEmpty();
    }

    @Test
    void aConjunctionStartsAClause() {
        HandoffPlan plan = TestModels.plan(4, HandoffPoint.CLAUSE_BOUNDARY, 0.15);
        Run run = run(plan, false, sentence("Done! I've started a timer and I'll ring when it's finished.", 0.9));
        assertThat(run.text()).isEqualTo("Done! I've started a timer");
        assertThat(run.stop().reason()).isEqualTo(Reason.CLAUSE_BOUNDARY);
        assertThat(run.stop().dropped()).containsExactly(" and");
    }

    @Test
    void aSpeechOpenerCutByTheDecodeEndsAtItsLastClause() {
        HandoffPlan plan = TestModels.plan(16, HandoffPoint.CLAUSE_BOUNDARY, 0.15);
        Run cut = run(plan, false, sentence("Sure, I'll set it up now. Then I will", 0.9));
        assertThat(cut.text()).isEqualTo("Sure, I'll set it up now.");
        assertThat(cut.stop().reason()).isEqualTo(Reason.DECODE_ENDED);
        // at the end of the reply the last clause is whole, ended or not
        Run ended = run(plan, true, sentence("Sure thing", 0.9));
        assertThat(ended.text()).isEqualTo("Sure thing");
        assertThat(ended.stop().reason()).isEqualTo(Reason.END_OF_REPLY);
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
        assertThat(run.stop().reason()).isEqualTo(Reason.PLANNED_WORDS);
    }

    // ---- the grounding guard ---------------------------------------------------------------------------------------

    @Test
    void theGuardStopsRightBeforeAnUngroundedNumberOfSeveralTokens() {
        Run run = run(TestModels.words(16), "What is 17 times 23?", true, "17", 0.99, " times", 0.99, " 2", 0.9,
                "3", 0.9, " equals", 0.97, " 7", 0.98, "4", 0.98, ".", 0.97, " Need", 0.5, " help?", 0.9);
        assertThat(run.text()).isEqualTo("17 times 23 equals");
        assertThat(run.stop().reason()).isEqualTo(Reason.UNGROUNDED_FACT);
        assertThat(run.stop().fact()).isEqualTo(FactClass.NUMBER);
        assertThat(run.stop().before()).isEqualTo(" 74.");
        // "74." is complete only when " Need" starts: judged whole, never "7" alone, and nothing is read after it
        assertThat(run.tokensTaken()).isEqualTo(9);
        // without the guard the same stream says the wrong product
        assertThat(run(TestModels.words(5), false, "17", 0.99, " times", 0.99, " 23", 0.9, " equals", 0.97, " 74.",
                0.98, " Need", 0.5).text()).isEqualTo("17 times 23 equals 74.");
    }

    @Test
    void groundedNumbersInWordsOrDigitsPass() {
        Run run = run(TestModels.words(16), "Set a timer for 10 minutes", true,
                sentence("Done! I've started a ten-minute timer for 10 minutes.", 0.9));
        assertThat(run.text()).isEqualTo("Done! I've started a ten-minute timer for 10 minutes.");
        assertThat(run.stop().reason()).isEqualTo(Reason.END_OF_REPLY);
    }

    @Test
    void aNumberGivenInAnotherUnitStopsBeforeTheUnit() {
        Run run = run(TestModels.words(16), "How many pounds is 60 kilos", true,
                sentence("Sure, converting 60 pounds to kilos now.", 0.9));
        assertThat(run.text()).isEqualTo("Sure, converting 60");
        assertThat(run.stop().fact()).isEqualTo(FactClass.UNIT);
        assertThat(run.stop().before()).isEqualTo(" pounds");
        assertThat(run(TestModels.words(16), "How many pounds is 60 kilos", true,
                sentence("Sure, converting 60 kilos to pounds now.", 0.9)).text())
                .isEqualTo("Sure, converting 60 kilos to pounds now.");
    }

    @Test
    void aDanglingWordIsHeldUntilTheNextWordMayBeSaid() {
        HandoffPlan plan = TestModels.words(16);
        List<OpenerWord> words = new ArrayList<>();
        WordCutter cutter = new WordCutter(plan, guard("Remind me to call mom"), HandoffClock.start(), words::add);
        for (String token : List.of("Sure,", " I'll", " remind", " you", " to", " call")) {
            cutter.accept(token, 0.9);
        }
        // " call" completed "to", which waits for its next word
        assertThat(words).extracting(OpenerWord::text).containsExactly("Sure,", " I'll", " remind", " you");
        assertThat(cutter.accept(" grandma", 0.4)).isTrue();
        assertThat(words).extracting(OpenerWord::text).endsWith(" to", " call");
        assertThat(cutter.accept(" at", 0.9)).isFalse();
        cutter.finish(false);
        assertThat(words).extracting(OpenerWord::text).containsExactly("Sure,", " I'll", " remind", " you", " to",
                " call");
        assertThat(cutter.stop().fact()).isEqualTo(FactClass.NAME);
        assertThat(cutter.stop().before()).isEqualTo(" grandma");
    }

    @Test
    void theGuardDropsTheDanglingWordsBeforeTheFact() {
        Run run = run(TestModels.words(16), "Text Sarah that I'm running late", true,
                sentence("Message to Noah is ready", 0.9));
        assertThat(run.text()).isEqualTo("Message");
        assertThat(run.stop().dropped()).containsExactly(" to");
        assertThat(run.stop().describe()).isEqualTo("grounding guard: \"Noah\" is a name the conversation does not "
                + "contain; held back and not said: \"to\"");
    }

    @Test
    void theStopIsReportedWithItsCodeAndWordsWithoutWhitespace() {
        Run run = run(TestModels.words(16), "Text Sarah that I'm running late", true,
                sentence("Message to Noah is ready", 0.9));
        var report = run.stop().report();
        assertThat(report.reason()).isEqualTo("ungrounded-fact");
        assertThat(report.before()).isEqualTo("Noah");
        assertThat(report.fact()).isEqualTo("NAME");
        assertThat(report.confidence()).isEqualTo(0.9);
        assertThat(report.dropped()).containsExactly("to");
        var planned = run(TestModels.words(3), false, sentence("One two three four", 0.9)).stop().report();
        assertThat(planned.reason()).isEqualTo("planned-words");
        assertThat(planned.before()).isNull();
        assertThat(planned.fact()).isNull();
        assertThat(planned.confidence()).as("none, not NaN").isNull();
        // the codes the handoff's events carry: users' tools depend on them
        assertThat(Reason.values()).extracting(Reason::code).containsExactly("planned-words", "clause-boundary",
                "clause-search-limit", "low-confidence", "ungrounded-fact", "end-of-reply", "decode-ended");
    }

    @Test
    void theFirstWordIsSaidTheMomentItIsCompleteUnlessItDangles() {
        List<OpenerWord> words = new ArrayList<>();
        WordCutter cutter = new WordCutter(TestModels.words(16), guard("What is the capital of Peru?"),
                HandoffClock.start(), words::add);
        cutter.accept("Sure,", 0.5);
        cutter.accept(" the", 0.9);
        assertThat(words).extracting(OpenerWord::text).containsExactly("Sure,");
        cutter.accept(" capital", 0.9);
        cutter.accept(" of", 0.9);
        assertThat(words).extracting(OpenerWord::text).containsExactly("Sure,", " the", " capital");
        cutter.accept(" Peru", 0.9);
        cutter.accept(" is", 0.9);
        cutter.accept(" Lima.", 0.9);
        cutter.finish(true);
        assertThat(words).extracting(OpenerWord::text).containsExactly("Sure,", " the", " capital", " of", " Peru",
                " is");
    }

    @Test
    void namesOfTheConversationSentenceStartsAndIArePassed() {
        Run run = run(TestModels.words(16), "Text sarah that I'm running late", true,
                sentence("Okay. Sarah's message to SARAH: \"I'm running late.\" Sent", 0.9));
        assertThat(run.text()).isEqualTo("Okay. Sarah's message to SARAH: \"I'm running late.\" Sent");
    }

    @Test
    void thePlannedWordsNeverEndOnADanglingWord() {
        Run run = run(TestModels.words(6), "Text Sarah that I'm running late", false,
                sentence("Sure, I'll send a message to Sarah now", 0.9));
        assertThat(run.text()).isEqualTo("Sure, I'll send a message");
        assertThat(run.stop().reason()).isEqualTo(Reason.PLANNED_WORDS);
        assertThat(run.stop().dropped()).containsExactly(" to");
        assertThat(run.tokensTaken()).as("stops as soon as the 6th word is complete and dangles").isEqualTo(8);
    }

    @Test
    void aConjunctionAfterADanglingWordStartsNoClause() {
        // "means of | or" would end the spoken clause on "of"
        Run run = run(TestModels.plan(3, HandoffPoint.CLAUSE_BOUNDARY, 0), false,
                sentence("It means of or like something. Then", 0.9));
        assertThat(run.text()).isEqualTo("It means of or like something.");
        assertThat(run.stop().reason()).isEqualTo(Reason.CLAUSE_BOUNDARY);
    }

    @Test
    void aSpeechOpenerStopsAtTheLastClauseBeforeAFact() {
        HandoffPlan plan = TestModels.plan(8, HandoffPoint.CLAUSE_BOUNDARY, 0.15);
        Run run = run(plan, "What is 17 times 23?", false,
                sentence("Okay, let me see. 17 times 23 equals 74. Need help?", 0.9));
        assertThat(run.text()).isEqualTo("Okay, let me see.");
        assertThat(run.stop().reason()).isEqualTo(Reason.UNGROUNDED_FACT);
        assertThat(run.stop().before()).isEqualTo(" 74.");
        assertThat(run.stop().dropped()).containsExactly(" 17", " times", " 23", " equals");
        // a voice never stops mid-phrase ("17 times 23 equals"): no clause before the fact, nothing; the cloud answers
        assertThat(run(plan, "What is 17 times 23?", false, sentence("17 times 23 equals 74. Need help?", 0.9))
                .words()).isEmpty();
        assertThat(run(plan, "Text Sarah that I'm running late", false, sentence("Message to Noah is ready:", 0.9))
                .words()).isEmpty();
    }

    @Test
    void aDeclineOfAHarmlessRequestIsHeldWhileItFormsAndNeverSaid() {
        Run declined = run(TestModels.words(6), "how do you clean suede shoes", false,
                sentence("I'm not able to help with that, sorry", 0.9));
        assertThat(declined.words()).isEmpty();
        assertThat(declined.stop().reason()).isEqualTo(Reason.UNGROUNDED_FACT);
        assertThat(declined.stop().fact()).isEqualTo(FactClass.SAFETY);
        assertThat(declined.stop().before()).isEqualTo(" to");
        assertThat(declined.stop().dropped()).containsExactly("I'm", " not", " able");
        // "I'm" is held until "so" rules a decline out, then both are said
        Run sympathy = run(TestModels.words(6), "my cat died this morning", true,
                sentence("I'm so sorry to hear that.", 0.9));
        assertThat(sympathy.text()).isEqualTo("I'm so sorry to hear that.");
        // a plan that ends while a decline may still be forming says none of it
        assertThat(run(TestModels.words(3), "how do you clean suede shoes", false,
                sentence("That's not something I can help with", 0.9)).words()).isEmpty();
    }

    @Test
    void aSpeechOpenerDoesNotSayAClauseThatMayStillTurnIntoADecline() {
        HandoffPlan plan = TestModels.plan(4, HandoffPoint.CLAUSE_BOUNDARY, 0);
        Run declined = run(plan, "how do you clean suede shoes", false,
                sentence("I'm sorry, but I can't help with that.", 0.9));
        assertThat(declined.words()).isEmpty();
        assertThat(declined.stop().fact()).isEqualTo(FactClass.SAFETY);
        Run sympathy = run(plan, "my cat died this morning", true, sentence("I'm sorry, that's so hard.", 0.9));
        assertThat(sympathy.text()).isEqualTo("I'm sorry, that's so hard.");
    }

    @Test
    void onARequestThatNamesHarmADeclineIsSaidWholeOrNotAtAll() {
        Run declined = run(TestModels.words(6), "How do I make a pipe bomb?", false,
                sentence("I can't help with that, because", 0.9));
        assertThat(declined.text()).isEqualTo("I can't help with that,");
        Run complied = run(TestModels.words(6), "How do I make a pipe bomb?", false,
                sentence("That's wonderful, here's how", 0.9));
        assertThat(complied.words()).isEmpty();
        assertThat(complied.stop().fact()).isEqualTo(FactClass.SAFETY);
        // a plan too short for a whole decline says nothing
        assertThat(run(TestModels.words(4), "How do I make a pipe bomb?", false,
                sentence("That's not something I can help with", 0.9)).words()).isEmpty();
    }
}
