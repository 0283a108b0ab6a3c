package io.quarkiverse.handoff.runtime.seam;

import static io.quarkiverse.handoff.runtime.seam.Words.completeSpans;
import static io.quarkiverse.handoff.runtime.seam.Words.normalize;
import static io.quarkiverse.handoff.runtime.seam.Words.trailingPunctuation;
import static io.quarkiverse.handoff.runtime.seam.Words.word;
import static io.quarkiverse.handoff.runtime.seam.Words.wordSpans;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.quarkiverse.handoff.runtime.text.EnglishWords;

/**
 * Where a continuation restates the end of the opener instead of going on from it: an echo of the opener's last words
 * ("set a timer" + "set a timer for ten minutes"), a paraphrase of its last clause ("The capital of Australia is" +
 * "Australia's capital is Canberra."), or a word the opener was cut inside, restated whole ("ph" + "photons"). Words
 * compare without case or punctuation, and a number in words restates its digits ("for twenty-five" echoes "for 25").
 * Conservative: a continuation word is only ever taken for a restatement when the opener said it.
 */
final class Restatements {

    private final String opener;
    private final List<String> openerWords;
    /** The opener's last clause, as {@link #key keys}: what a paraphrased restatement restates. */
    private final List<String> lastClause;
    private final Orthography orthography;

    Restatements(String opener, Orthography orthography) {
        this.opener = opener;
        this.openerWords = Words.words(opener);
        this.lastClause = lastClause(openerWords);
        this.orthography = orthography;
    }

    /** The keys of the words after the opener's last punctuation mark ("Sure! | The capital of Australia is"). */
    private static List<String> lastClause(List<String> words) {
        int from = words.size();
        while (from > 0 && trailingPunctuation(words.get(from - 1)).isEmpty()) {
            from--;
        }
        return words.subList(from, words.size()).stream().map(Restatements::key).filter(k -> !k.isEmpty()).toList();
    }

    /**
     * A word as an echo compares it: {@link Words#normalize normalized}, and a number as digits, so that "for
     * twenty-five" echoes "for 25".
     */
    static String sameWord(String word) {
        String w = normalize(word);
        String spelled = word.toLowerCase(Locale.ROOT).replaceAll("[^a-z-]", "");
        if (spelled.isEmpty()) {
            return w;
        }
        int value = 0;
        for (String part : spelled.split("-")) {
            Integer n = EnglishWords.CARDINALS.get(part);
            if (n == null) {
                return w;
            }
            value += n;
        }
        return Integer.toString(value);
    }

    /**
     * A word for comparing restatements: {@link #sameWord} (so a number in words restates its digits), without a
     * possessive ("Peru's" restates "Peru").
     */
    static String key(String word) {
        String w = sameWord(word);
        return w.endsWith("'s") ? w.substring(0, w.length() - 2) : w;
    }

    private String lastOpenerWord() {
        return openerWords.get(openerWords.size() - 1);
    }

    /**
     * Whether the complete words held so far could still be the start of a longer echo of the opener's end: only then
     * is more text needed to decide, so a continuation that does not echo passes after its first word.
     */
    boolean couldStillEcho(String text) {
        List<int[]> spans = completeSpans(text); // the last word may still grow
        int complete = spans.size();
        if (complete == 0) {
            return true;
        }
        if (complete == 1 && !openerWords.isEmpty() && prefixMatches(text, spans, 1, 1)) {
            // the opener's last word again: the next word tells an echo from the subject of a new clause
            return true;
        }
        if (complete == 2 && !openerWords.isEmpty()
                && EnglishWords.ARTICLES.contains(normalize(word(text, spans.get(0))))
                && sameWord(word(text, spans.get(1))).equals(sameWord(lastOpenerWord()))) {
            return true; // "a timer" again: so may "A timer is running" be
        }
        for (int k = complete + 1; k <= openerWords.size(); k++) {
            if (prefixMatches(text, spans, k, complete)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the first {@code count} words match the opener's last {@code k} words from their start. */
    private boolean prefixMatches(String text, List<int[]> spans, int k, int count) {
        int offset = openerWords.size() - k;
        for (int i = 0; i < count; i++) {
            String word = sameWord(word(text, spans.get(i)));
            if (word.isEmpty() || !word.equals(sameWord(openerWords.get(offset + i)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the continuation repeats the opener's last word as the subject of a new clause: the word, then a linking
     * or auxiliary verb ("timer" + "Timer is running now."). Such a word is content; an echo goes on where the opener
     * stopped ("timer" + "timer for ten minutes").
     */
    boolean startsClauseOnLastWord(String text) {
        List<int[]> spans = wordSpans(text);
        int subject = !spans.isEmpty() && EnglishWords.ARTICLES.contains(normalize(word(text, spans.get(0)))) ? 1 : 0;
        if (spans.size() < subject + 2 || openerWords.isEmpty()) {
            return false;
        }
        String first = word(text, spans.get(subject));
        String second = normalize(word(text, spans.get(subject + 1)));
        return normalize(first).equals(normalize(lastOpenerWord()))
                && trailingPunctuation(first).isEmpty()
                && (EnglishWords.LINKING_VERBS.contains(second) || EnglishWords.AUXILIARIES.contains(second));
    }

    /**
     * Whether the complete words held so far may still be a paraphrased restatement of the opener's last clause: each
     * is a word of that clause (or an article), and the clause's last word has not come yet.
     */
    boolean couldStillRestate(String text) {
        if (lastClause.isEmpty()) {
            return false;
        }
        List<int[]> spans = completeSpans(text);
        Set<String> covered = new HashSet<>();
        for (int i = 0; i < spans.size(); i++) {
            String k = key(word(text, spans.get(i)));
            if (i > lastClause.size() + 1 || !lastClause.contains(k) && !EnglishWords.ARTICLES.contains(k)) {
                return false;
            }
            covered.add(k);
            if (k.equals(lastClause.get(lastClause.size() - 1)) && restatesEnough(covered)) {
                return false; // a restatement, complete: decide now
            }
        }
        return true;
    }

    /**
     * The continuation without what it restates of the opener's end: an echo of its last words, or else a paraphrase
     * of its last clause; unchanged when it restates nothing.
     *
     * @param lastMayGrow whether the continuation's last word may still continue in the next delta
     */
    String withoutRestatement(String text, boolean lastMayGrow) {
        String withoutEcho = removeEcho(text, lastMayGrow);
        if (withoutEcho.length() == text.length()) {
            int end = restatementEnd(text, lastMayGrow);
            if (end >= 0) {
                withoutEcho = text.substring(end);
            }
        }
        return withoutEcho;
    }

    /**
     * Where a paraphrased restatement of the opener's last clause ends ("The capital of Australia is" + "Australia's
     * capital is | Canberra."), or -1. Conservative, so that a real continuation is never cut: every word up to the
     * clause's last word must be a word of that clause (possessives, articles and numbers in words or digits aside),
     * and they must restate at least half of its content words. A word the opener did not say ends the search.
     */
    private int restatementEnd(String text, boolean lastMayGrow) {
        if (lastClause.isEmpty()) {
            return -1;
        }
        List<int[]> spans = lastMayGrow ? completeSpans(text) : wordSpans(text);
        Set<String> covered = new HashSet<>();
        for (int i = 0; i < spans.size() && i <= lastClause.size() + 1; i++) {
            int[] span = spans.get(i);
            String word = word(text, span);
            String k = key(word);
            if (!lastClause.contains(k) && !EnglishWords.ARTICLES.contains(k)) {
                return -1;
            }
            covered.add(k);
            if (k.equals(lastClause.get(lastClause.size() - 1)) && restatesEnough(covered)) {
                return endWithoutAddedPunctuation(word, span);
            }
        }
        return -1;
    }

    /** Whether these words restate at least one and at least half of the content words of the opener's last clause. */
    private boolean restatesEnough(Set<String> covered) {
        Set<String> content = new HashSet<>();
        for (String k : lastClause) {
            if (!EnglishWords.FUNCTION_WORDS.contains(k) && !EnglishWords.FIRST_PERSON.contains(k)
                    && !EnglishWords.SENTENCE_STARTERS.contains(k) && !EnglishWords.LINKING_VERBS.contains(k)
                    && !EnglishWords.AUXILIARIES.contains(k)) {
                content.add(k);
            }
        }
        long restated = content.stream().filter(covered::contains).count();
        return restated >= 1 && restated * 2 >= content.size();
    }

    /**
     * Drops the longest run of leading continuation words that repeats the opener's last words, keeping punctuation
     * the last echoed word adds ("42" + "42." keeps "."). A last word that may still grow is never taken as an echo.
     */
    private String removeEcho(String continuation, boolean lastMayGrow) {
        List<int[]> spans = wordSpans(continuation);
        int complete = spans.size();
        if (lastMayGrow && complete > 0 && !Character.isWhitespace(continuation.charAt(continuation.length() - 1))) {
            complete--;
        }
        int max = Math.min(openerWords.size(), complete);
        for (int k = max; k >= 1; k--) {
            if (echoes(continuation, spans, k)) {
                int[] last = spans.get(k - 1);
                return continuation.substring(endWithoutAddedPunctuation(word(continuation, last), last));
            }
        }
        return continuation;
    }

    /** The end of a restated word, less punctuation it adds to the opener's last word. */
    private int endWithoutAddedPunctuation(String restated, int[] span) {
        String added = trailingPunctuation(restated);
        return !added.isEmpty() && !lastOpenerWord().endsWith(added) ? span[1] - added.length() : span[1];
    }

    private boolean echoes(String continuation, List<int[]> spans, int k) {
        if (!prefixMatches(continuation, spans, k, k)) {
            return false;
        }
        // "that that" and "had had" are the English words that legitimately follow themselves
        return k > 1 || !EnglishWords.LEGITIMATE_DOUBLES.contains(normalize(lastOpenerWord()));
    }

    /**
     * An opener cut inside a word ("...made of a ph") that the model restates whole (" photons"): keeps only the
     * missing letters, to be glued to the fragment. Only when the opener ends with letters that cannot be a word by
     * themselves ({@link Orthography#isWordFragment}). So "the" + "theater" is left alone.
     */
    ContinuationText completingCutWord(String text) {
        ContinuationText unchanged = ContinuationText.afterOpener(text);
        if (openerWords.isEmpty() || !Character.isLetter(opener.charAt(opener.length() - 1))) {
            return unchanged;
        }
        String fragment = lastOpenerWord().toLowerCase(Locale.ROOT);
        if (!fragment.chars().allMatch(Character::isLetter) || !orthography.isWordFragment(fragment)) {
            return unchanged;
        }
        List<int[]> spans = wordSpans(text);
        if (spans.isEmpty()) {
            return unchanged;
        }
        int[] first = spans.get(0);
        String word = word(text, first);
        if (word.length() > fragment.length() && word.toLowerCase(Locale.ROOT).startsWith(fragment)
                && Character.isLetter(word.charAt(fragment.length()))) {
            return ContinuationText.continuingWord(text.substring(first[0] + fragment.length()));
        }
        return unchanged;
    }
}
