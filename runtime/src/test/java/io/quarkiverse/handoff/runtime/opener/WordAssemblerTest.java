package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

class WordAssemblerTest {

    /** Feeds pieces with their probabilities (alternating String, Double) and returns every word, then the flush. */
    static List<WordAssembler.Word> feed(WordAssembler assembler, Object... piecesAndProbabilities) {
        List<WordAssembler.Word> words = new ArrayList<>();
        for (int i = 0; i < piecesAndProbabilities.length; i += 2) {
            words.addAll(assembler.accept((String) piecesAndProbabilities[i], (Double) piecesAndProbabilities[i + 1]));
        }
        return words;
    }

    static List<String> texts(List<WordAssembler.Word> words) {
        return words.stream().map(WordAssembler.Word::text).toList();
    }

    @Test
    void aWordIsEmittedOnlyOnceWhitespaceFollowsIt() {
        WordAssembler a = new WordAssembler();
        assertThat(a.accept("Hel", 0.9)).isEmpty();
        assertThat(a.accept("lo", 0.9)).isEmpty();
        assertThat(texts(a.accept(" wor", 0.9))).containsExactly("Hello");
        assertThat(a.accept("ld", 0.9)).isEmpty();
        assertThat(texts(a.finish())).containsExactly(" world");
    }

    @Test
    void trailingPunctuationStaysWithItsWord() {
        WordAssembler a = new WordAssembler();
        List<WordAssembler.Word> words = feed(a, "Sure", 0.9, ",", 0.9, " I", 0.9, "'ll", 0.9, " help", 0.9, ".", 0.9,
                " Next", 0.9);
        assertThat(texts(words)).containsExactly("Sure,", " I'll", " help.");
        assertThat(texts(a.finish())).containsExactly(" Next");
    }

    @Test
    void whitespaceRunsAndNewlinesLeadTheNextWord() {
        WordAssembler a = new WordAssembler();
        List<WordAssembler.Word> words = feed(a, "a", 1.0, "  ", 1.0, "\t b", 1.0, "\n", 1.0, "\n", 1.0, "c.", 1.0,
                "\nd", 1.0);
        words.addAll(a.finish());
        assertThat(texts(words)).containsExactly("a", "  \t b", "\n\nc.", "\nd");
        assertThat(String.join("", texts(words))).isEqualTo("a  \t b\n\nc.\nd");
    }

    @Test
    void leadingWhitespaceAloneIsNoWord() {
        WordAssembler a = new WordAssembler();
        assertThat(a.accept(" ", 0.5)).isEmpty();
        assertThat(a.accept("\n", 0.5)).isEmpty();
        assertThat(texts(a.accept(" Hi ", 0.5))).containsExactly(" \n Hi");
    }

    @Test
    void endOfSequenceFlushesTheLastWordButNotTrailingWhitespace() {
        WordAssembler a = new WordAssembler();
        a.accept("Done", 0.8);
        assertThat(a.finish()).containsExactly(new WordAssembler.Word("Done", 0.8));
        assertThat(a.finish()).isEmpty();

        WordAssembler b = new WordAssembler();
        assertThat(texts(b.accept("Done. ", 0.8))).containsExactly("Done.");
        assertThat(b.finish()).as("only whitespace pending").isEmpty();
        // the assembler starts afresh
        assertThat(texts(b.accept("x y", 0.8))).containsExactly("x");
    }

    @Test
    void aPieceSpanningTwoWordsCompletesTheFirst() {
        WordAssembler a = new WordAssembler();
        assertThat(texts(a.accept("one two three", 1.0))).containsExactly("one", " two");
        assertThat(texts(a.finish())).containsExactly(" three");
    }

    @Test
    void confidenceIsTheLowestProbabilityOfTheTokensThatWroteTheWordsOwnCharacters() {
        WordAssembler a = new WordAssembler();
        List<WordAssembler.Word> words = feed(a,
                "Hel", 0.9, "lo", 0.6, // "Hello": 0.6
                " ", 0.01, // whitespace only: belongs to no word's characters
                "wor", 0.8, "ld", 0.7, // " world": 0.7
                " ", 0.02,
                "ok", 0.95);
        words.addAll(a.finish());
        assertThat(words).extracting(WordAssembler.Word::text).containsExactly("Hello", " world", " ok");
        assertThat(words).extracting(WordAssembler.Word::confidence).containsExactly(0.6, 0.7, 0.95);
    }

    @Test
    void aTokenSpanningTwoWordsCountsForBoth() {
        WordAssembler a = new WordAssembler();
        List<WordAssembler.Word> words = feed(a, "Hel", 0.9, "lo wor", 0.3, "ld", 0.7);
        words.addAll(a.finish());
        assertThat(words).containsExactly(new WordAssembler.Word("Hello", 0.3, 0.3),
                new WordAssembler.Word(" world", 0.3, 0.7));
    }

    @Test
    void theTokensOfASplitMultiByteCharacterCountForTheCharacter() {
        // a streaming decoder yields "" while a UTF-8 sequence is incomplete, then the whole character
        WordAssembler a = new WordAssembler();
        List<WordAssembler.Word> words = feed(a, "caf", 0.9, "", 0.2, "é", 0.8, " au", 0.9);
        assertThat(words).containsExactly(new WordAssembler.Word("café", 0.2, 0.2));
        words = feed(a, " lait", 0.9, "", 0.1, " ", 0.9);
        // the pending empty piece belongs to the next character (whitespace here), not to " au" or " lait"
        assertThat(words).containsExactly(new WordAssembler.Word(" au", 0.9), new WordAssembler.Word(" lait", 0.9));
    }

    @Test
    void theSpellingConfidenceIsTheLowestOfTheTokensThatContinuedTheWordsLetters() {
        WordAssembler a = new WordAssembler();
        List<WordAssembler.Word> words = feed(a, " water", 0.9, "oto", 0.1, " for", 0.9, " you", 0.95, "'re", 0.2,
                " here", 0.5, ".", 0.1, " Se", 0.4, "at", 0.8, "tle", 0.6, " ", 1.0);
        assertThat(words).extracting(WordAssembler.Word::spellingConfidence)
                // "'re" and "." continue no letters; the first token of a word is its confidence's, not its spelling's
                .containsExactly(0.1, 1.0, 1.0, 1.0, 0.6);
        assertThat(texts(words)).containsExactly(" wateroto", " for", " you're", " here.", " Seattle");
    }

    @Test
    void clauseAndSentenceEnds() {
        assertThat(WordAssembler.endsClause(" so,")).isTrue();
        assertThat(WordAssembler.endsClause(" note:")).isTrue();
        assertThat(WordAssembler.endsClause(" this;")).isTrue();
        assertThat(WordAssembler.endsClause(" done.")).isTrue();
        assertThat(WordAssembler.endsClause(" what?")).isTrue();
        assertThat(WordAssembler.endsClause(" word")).isFalse();
        assertThat(WordAssembler.endsClause("   ")).isFalse();
        assertThat(WordAssembler.endsSentence(" done!")).isTrue();
        assertThat(WordAssembler.endsSentence(" so,")).isFalse();
        assertThat(WordAssembler.endsSentence("好。")).isTrue();
    }

    /** Whatever the pieces, the words give the text back, each word has characters, and none is split. */
    @Property(tries = 300)
    void wordsConcatenateToTheTextAndNeverSplit(@ForAll @StringLength(max = 40) String text,
            @ForAll("cuts") List<Integer> cuts) {
        WordAssembler a = new WordAssembler();
        List<WordAssembler.Word> words = new ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            int to = Math.min(text.length(), from + cut);
            words.addAll(a.accept(text.substring(from, to), 0.5));
            from = to;
        }
        words.addAll(a.accept(text.substring(from), 0.5));
        words.addAll(a.finish());
        String joined = String.join("", texts(words));
        assertThat(text).startsWith(joined);
        assertThat(text.substring(joined.length())).isBlank();
        List<String> expected = new ArrayList<>();
        Matcher m = Pattern.compile("\\s*\\S+").matcher(text);
        while (m.find()) {
            expected.add(m.group());
        }
        // \s in java.util.regex is ASCII whitespace; compare on texts made of those plus other characters
        if (text.chars().noneMatch(c -> Character.isWhitespace(c) && " \t\n\u000b\f\r".indexOf(c) < 0)) {
            assertThat(texts(words)).isEqualTo(expected);
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<List<Integer>> cuts() {
        return net.jqwik.api.Arbitraries.integers().between(0, 6).list().ofMaxSize(12);
    }
}
