package io.quarkiverse.handoff.runtime.seam;

import static io.quarkiverse.handoff.runtime.seam.Words.normalize;
import static io.quarkiverse.handoff.runtime.seam.Words.word;
import static io.quarkiverse.handoff.runtime.seam.Words.wordSpans;

import java.util.List;
import java.util.Locale;

import io.quarkiverse.handoff.runtime.text.EnglishWords;

/**
 * English at the joint: words separated by spaces, except a suffix or the rest of a cut word glued to the word before;
 * no space after an opening quote or parenthesis or before the quote that closes it, and none next to Chinese or
 * Japanese; a capital after a sentence's end, and none on a function word a model capitalized mid-sentence.
 */
public final class EnglishOrthography implements Orthography {

    static final EnglishOrthography INSTANCE = new EnglishOrthography();

    private EnglishOrthography() {
    }

    /**
     * A fragment: letters without a vowel ("ph", "str"), or two letters that are no two-letter word. So "the" is a word,
     * and "the" + "ater" is no completion of it.
     */
    @Override
    public boolean isWordFragment(String letters) {
        boolean vowel = letters.chars().anyMatch(c -> "aeiouy".indexOf(c) >= 0);
        if (!vowel) {
            return letters.length() >= 2;
        }
        return letters.length() == 2 && !EnglishWords.TWO_LETTER_WORDS.contains(letters);
    }

    /**
     * The rest of a cut word, a suffix or contraction ("timer" + "s", "is" + "n't"), the rest of a number (literal text
     * only: there the digits are the server's own) or its ordinal ending ("19" + "th").
     */
    @Override
    public boolean completesLastWord(String opener, String continuation, boolean literal) {
        char first = continuation.charAt(0);
        char last = opener.charAt(opener.length() - 1);
        if (Character.isDigit(last)) {
            return Character.isDigit(first) && literal || firstWord(continuation).matches("(?i)(st|nd|rd|th|s)\\b.*");
        }
        if (!Character.isLetter(first) || !Character.isLetter(last)) {
            return false;
        }
        List<String> openerWords = Words.words(opener);
        String lastWord = openerWords.get(openerWords.size() - 1).toLowerCase(Locale.ROOT);
        if (lastWord.chars().allMatch(Character::isLetter) && isWordFragment(lastWord)) {
            return true; // the opener was cut inside a word: "ph" + "otons"
        }
        return EnglishWords.SUFFIXES.contains(normalize(firstWord(continuation)));
    }

    private static String firstWord(String text) {
        return word(text, wordSpans(text).get(0));
    }

    @Override
    public String spaced(String opener, String continuation, boolean glued) {
        boolean openerEndsWithSpace = Character.isWhitespace(opener.charAt(opener.length() - 1)) || opensQuote(opener);
        String text = openerEndsWithSpace ? continuation.stripLeading() : continuation;
        if (text.isEmpty()) {
            return text;
        }
        int first = text.codePointAt(0);
        if (!openerEndsWithSpace && !Character.isWhitespace(first) && startsWord(first) && !glued
                && !closesOpenQuote(opener, first) && !unspaced(opener.codePointBefore(opener.length()))
                && !unspaced(first)) {
            text = " " + text;
        }
        return text;
    }

    @Override
    public String cased(String opener, String continuation, boolean startsOver, boolean continuesSentence) {
        if (endsSentence(opener)) {
            return capitalizeFirstLetter(continuation);
        }
        if (startsOver && startsWithCapitalizedSentence(continuation) && endsInsideClause(opener)) {
            // the model starts over with a new sentence in the middle of the opener's: trail the opener off first
            return "\u2026" + (Character.isWhitespace(continuation.charAt(0)) ? continuation : " " + continuation);
        }
        if (continuesSentence && !startsBlock(continuation)) {
            return lowerCaseMistakenCapital(continuation);
        }
        return continuation;
    }

    /** Ends with '.', '!', '?' or an ellipsis, inside a closing quote or parenthesis or not: He said "yes." */
    @Override
    public boolean endsSentence(CharSequence text) {
        for (int i = text.length() - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (c == '"' || c == '\u201d' || c == ')') {
                continue; // a sentence may end inside a quote: He said "yes."
            }
            if (!Character.isWhitespace(c)) {
                return c == '.' || c == '!' || c == '?' || c == '\u2026';
            }
        }
        return false;
    }

    /** A straight double quote that closes one the opener left open ("She said \"yes" + "\" and left."). */
    private static boolean closesOpenQuote(String opener, int first) {
        return first == '"' && opener.chars().filter(c -> c == '"').count() % 2 == 1;
    }

    /** Scripts written without spaces between words: Chinese characters, Japanese kana. */
    private static boolean unspaced(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA
                || Character.UnicodeBlock.of(codePoint) == Character.UnicodeBlock.CJK_SYMBOLS_AND_PUNCTUATION;
    }

    /** The opener ends with an opening quote or parenthesis: what follows is glued to it. */
    private static boolean opensQuote(String text) {
        char last = text.charAt(text.length() - 1);
        if (last == '(' || last == '\u201c' || last == '[') {
            return true;
        }
        if (last == '"' || last == '\'') {
            return text.length() == 1 || Character.isWhitespace(text.charAt(text.length() - 2));
        }
        return false;
    }

    /** A character that starts a word of its own, so that it takes a space after a word: an emoji does as well. */
    private static boolean startsWord(int c) {
        return Character.isLetterOrDigit(c) || c == '"' || c == '(' || c == '[' || c == '\u201c' || c == '$'
                || c == '\u20ac' || c == '\u00a3' || c == '#'
                || Character.getType(c) == Character.OTHER_SYMBOL && c >= 0x2190; // arrows, dingbats, emoji
    }

    /** The continuation starts a new paragraph or a list item: its capital is the block's, not a mistake. */
    private static boolean startsBlock(String text) {
        String start = text.stripLeading();
        return text.substring(0, text.length() - start.length()).indexOf('\n') >= 0
                || start.matches("(?s)([-*\u2022]|\\d+[.)])\\s.*");
    }

    /** "For ten minutes" after "I'll set a timer": a function word capitalized as if a sentence started. */
    private static String lowerCaseMistakenCapital(String text) {
        List<int[]> spans = wordSpans(text);
        if (spans.isEmpty()) {
            return text;
        }
        int[] span = spans.get(0);
        String word = word(text, span);
        String bare = normalize(word);
        if (word.length() >= 2 && Character.isUpperCase(word.charAt(0)) && !isAllUpperCase(word)
                && EnglishWords.FUNCTION_WORDS.contains(bare) && !bare.equals("i")) {
            return text.substring(0, span[0]) + Character.toLowerCase(word.charAt(0)) + text.substring(span[0] + 1);
        }
        return text;
    }

    private static boolean isAllUpperCase(String word) {
        return word.chars().filter(Character::isLetter).allMatch(Character::isUpperCase);
    }

    private static boolean startsWithCapitalizedSentence(String text) {
        List<int[]> spans = wordSpans(text);
        if (spans.isEmpty()) {
            return false;
        }
        String word = word(text, spans.get(0));
        char c = word.charAt(0);
        return Character.isUpperCase(c) && !normalize(word).equals("i") && !normalize(word).startsWith("i'");
    }

    /** The opener stops right after a word (not after punctuation that already closes or breaks the clause). */
    private static boolean endsInsideClause(String text) {
        for (int i = text.length() - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return Character.isLetterOrDigit(c) || c == '\'' || c == '\u2019' || c == '"' || c == '\u201d';
            }
        }
        return false;
    }

    private static String capitalizeFirstLetter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetter(c)) {
                return text.substring(0, i) + Character.toUpperCase(c) + text.substring(i + 1);
            }
            if (!Character.isWhitespace(c) && c != '"' && c != '\u201c' && c != '(') {
                return text;
            }
        }
        return text;
    }
}
