package io.quarkiverse.handoff.runtime.seam;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnglishOrthographyTest {

    private final Orthography english = Orthography.english();

    @ParameterizedTest(name = "[{0}] is a fragment: {1}")
    @CsvSource({
            "ph, true", "str, true", "th, true", "zo, true",
            "the, false", "an, false", "is, false", "a, false", "x, false", "photon, false",
    })
    void lettersThatCannotBeAWordAreAFragment(String letters, boolean fragment) {
        assertThat(english.isWordFragment(letters)).isEqualTo(fragment);
    }

    @ParameterizedTest(name = "[{0}] + [{1}] glued: {3}")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            // opener | continuation | literal | glued
            "Sure, I'll set two timer|s for you.|false|true",
            "It is|n't far.|false|true",
            "It is made of tiny ph|otons of light.|false|true",
            "On the 19|th of May.|false|true",
            "Water boils at 10|0 degrees.|true|true",
            // digits are the rest of the opener's number only when the server wrote them as its own text
            "Water boils at 10|0 degrees.|false|false",
            // a whole word after a whole word is a new word
            "The capital of Australia is|Canberra.|true|false",
            "I like the|ater.|false|false",
            "It costs $5| dollars.|true|false",
            "The answer is 42|.|false|false",
    })
    void aContinuationIsGluedOnlyWhenItCompletesTheLastWord(String opener, String continuation, boolean literal,
            boolean glued) {
        assertThat(english.completesLastWord(opener, continuation, literal)).isEqualTo(glued);
    }

    @ParameterizedTest(name = "[{0}] + [{1}]")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            // opener | continuation | glued | spaced
            "The capital of Peru is|Lima.|false| Lima.",
            "The capital of Peru is| Lima.|false| Lima.",
            "Sure, I'll set two timer|s for you.|true|s for you.",
            "It is sunny. |  and warm.|false|and warm.",
            "The answer is 42|.|false|.",
            "It costs|$5.|false| $5.",
            "Look|\uD83D\uDE00|false| \uD83D\uDE00",
            // nothing between an opening quote or parenthesis and what it opens, nor before the quote that closes it
            "He said \"|  Hello there.\"|false|Hello there.\"",
            "It is sunny (|mostly).|false|mostly).",
            "She said \"yes|\" and left.|false|\" and left.",
            "Press \"Stop\"|\"Go\" next.|false| \"Go\" next.",
            // Chinese and Japanese are written without spaces between words
            "\u6771\u4eac\u306f|\u6674\u308c\u3067\u3059\u3002|false|\u6674\u308c\u3067\u3059\u3002",
            "The word is|\u6771\u4eac.|false|\u6771\u4eac.",
    })
    void spacesANewWordAndNothingElse(String opener, String continuation, boolean glued, String expected) {
        assertThat(english.spaced(opener, continuation, glued)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{0}] + [{1}]")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            // opener | continuation | starts over | continues the sentence | cased
            "It is sunny.| and warm today.|false|true| And warm today.",
            "He said \"yes.\"| then left.|false|true| Then left.",
            "Sure, I'll set a timer| For ten minutes.|false|true| for ten minutes.",
            // a name, a word in capitals, "I", and the start of a paragraph or list item keep their capital
            "The best city for food is| Lyon, in France.|false|true| Lyon, in France.",
            "Sure, I'll set a timer| FOR ten minutes.|false|true| FOR ten minutes.",
            "Here is what I found| I think.|false|true| I think.",
            // a sentence of its own in the middle of the opener's: the opener trails off first
            "The capital of Australia is Sydney| Sorry, it is Canberra.|true|false|\u2026 Sorry, it is Canberra.",
            "The capital of Peru is|Lima is the capital.|true|false|\u2026 Lima is the capital.",
            "Spiders are insects,| Or so they say.|true|false| Or so they say.",
            "Spiders are insects| I misspoke.|true|false| I misspoke.",
    })
    void capitalizesAsTheOpenersSentenceRequires(String opener, String continuation, boolean startsOver,
            boolean continuesSentence, String expected) {
        assertThat(english.cased(opener, continuation, startsOver, continuesSentence)).isEqualTo(expected);
    }

    @Test
    void aNewParagraphOrListItemKeepsItsCapital() {
        assertThat(english.cased("Here is what I found", "\n\nThe timer starts now.", false, true))
                .isEqualTo("\n\nThe timer starts now.");
        assertThat(english.cased("Here is what I found", "\n- The timer is set.", false, true))
                .isEqualTo("\n- The timer is set.");
        assertThat(english.cased("Here is what I found", " The timer is set.", false, true))
                .as("inside the sentence, the capital is a mistake").isEqualTo(" the timer is set.");
    }

    @ParameterizedTest(name = "[{0}] ends a sentence: {1}")
    @CsvSource(delimiter = '|', value = {
            "It is sunny.|true", "Really?|true", "Wait\u2026|true", "He said \"yes.\"|true", "(It rained.)|true",
            "It is sunny|false", "It is sunny,|false", "|false",
    })
    void aSentenceEndsWithItsPunctuationInsideAQuoteOrNot(String text, boolean ends) {
        assertThat(english.endsSentence(text == null ? "" : text)).isEqualTo(ends);
    }
}
