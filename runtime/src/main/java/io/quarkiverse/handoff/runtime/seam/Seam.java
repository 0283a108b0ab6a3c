package io.quarkiverse.handoff.runtime.seam;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.quarkiverse.handoff.ContinuationKind;
import io.quarkiverse.handoff.Continuator;
import io.quarkiverse.handoff.runtime.text.EnglishWords;

/**
 * Joins a continuation to the opener already shown or spoken: holds back the first continuation text until it can
 * decide, strips the {@link Continuator#PIVOT_MARKER pivot marker} the model sends when it must correct the opener
 * (wherever it appears, see {@link PivotMarkers}),
 * removes words the continuation echoes from the end of the opener, and fixes spacing and capitalization at the joint.
 * Past the joint, continuation text passes through untouched: no continuation word is ever dropped except an echo of
 * the opener (or, in {@link Mode#SPLICE}, the restatement a fresh answer starts with).
 * <p>
 * Not thread-safe: one seam per handoff, fed in stream order.
 */
public final class Seam {

    /** How the continuation was obtained, which decides how much the seam trusts its first characters. */
    public enum Mode {
        /**
         * The model was told the opener and asked for what follows (instruction strategy): it often drops the leading
         * space or restates the last words, so spacing is repaired (a continuation without a space is glued only when
         * it completes the opener's last word) and echoes and paraphrased restatements of the opener's last clause are
         * removed.
         */
        CONTINUATION,
        /**
         * The server continued the opener as its own assistant text (prefill strategy): the continuation's first
         * characters are literal, so a continuation without a leading space may complete the opener's last word
         * (glued only when it really does: a suffix, or the rest of a cut word). A server that ignored the prefill and
         * answered afresh is recognised by its restatement of the opener, which is cut as in {@link #SPLICE}.
         */
        LITERAL,
        /**
         * The model answered from scratch (splice strategy): its answer restates what the opener said, so the seam
         * aligns the answer with the opener's last words and keeps only what comes after.
         */
        SPLICE;

        /** The mode that joins a continuation of this kind: literal text is taken literally, a fresh answer aligned. */
        public static Mode of(ContinuationKind kind) {
            return switch (kind) {
                case PREFILL, ANSWER -> LITERAL;
                case SPLICE -> SPLICE;
                case INSTRUCTION, LOCAL -> CONTINUATION;
            };
        }
    }

    /** In splice mode, how many words past the opener's length a fresh answer may take to restate it. */
    private static final int SPLICE_SLACK_WORDS = 6;

    private final String opener;
    private final Mode mode;
    private final List<String> openerWords;
    /** The opener's last clause, as {@link #key keys}: what a paraphrased restatement restates. */
    private final List<String> lastClause;
    private final StringBuilder held = new StringBuilder();
    private final PivotMarkers markers = new PivotMarkers();
    private final ProsePivots prose = new ProsePivots();
    /** Whether the continuation starts with the pivot marker: what follows it starts over at the joint. */
    private boolean pivoted;
    private boolean decided;
    /** The first half of a surrogate pair that ended the last delta, held until its second half comes. */
    private String splitCharacter = "";

    public Seam(String opener) {
        this(opener, Mode.CONTINUATION);
    }

    public Seam(String opener, Mode mode) {
        this.opener = opener == null ? "" : opener;
        this.mode = mode;
        this.openerWords = words(this.opener);
        this.lastClause = lastClause(openerWords);
    }

    /** The keys of the words after the opener's last punctuation mark ("Sure! | The capital of Australia is"). */
    private static List<String> lastClause(List<String> words) {
        int from = words.size();
        while (from > 0 && trailingPunctuation(words.get(from - 1)).isEmpty()) {
            from--;
        }
        return words.subList(from, words.size()).stream().map(Seam::key).filter(k -> !k.isEmpty()).toList();
    }

    /** Takes a continuation delta and returns the text to pass on now (empty while the joint is undecided). */
    public String accept(String delta) {
        String text = markers.accept(wholeCharacters(delta));
        if (decided) {
            return passed(text);
        }
        held.append(text);
        pivoted = markers.startsWithMarker();
        if (canDecide()) {
            return passed(decide(true));
        }
        return "";
    }

    /** The continuation ended: returns whatever was still held back, repaired. */
    public String finish() {
        // a stream cut after the first half of a character: that half is no text, and no encoder could write it
        String rest = markers.accept(splitCharacter.isEmpty() ? "" : "\uFFFD") + markers.finish();
        splitCharacter = "";
        if (decided) {
            return passed(rest);
        }
        held.append(rest);
        pivoted = markers.startsWithMarker();
        return passed(decide(false));
    }

    /**
     * The delta, after the first half of a character the previous delta ended with, less the first half of one it ends
     * with: an emoji split across deltas (a server that escapes each half of a surrogate pair in JSON and sends them in
     * two chunks) is never passed on as half a character, which no encoder can write as UTF-8.
     */
    private String wholeCharacters(String delta) {
        String text = splitCharacter + delta;
        splitCharacter = "";
        if (!text.isEmpty() && Character.isHighSurrogate(text.charAt(text.length() - 1))) {
            splitCharacter = text.substring(text.length() - 1);
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    private String passed(String text) {
        prose.accept(text);
        return text;
    }

    /**
     * Forgets text held back and not yet passed on, because its source failed: what follows (a local finish) is joined
     * to the opener and to what already passed, as if the held text never came.
     */
    public void abandonHeld() {
        held.setLength(0);
        splitCharacter = "";
        markers.abandonHeld();
    }

    /**
     * Whether the continuation carried the pivot marker, anywhere: the model found the opener wrong and corrects it.
     */
    public boolean pivoted() {
        return markers.found();
    }

    /**
     * Whether the continuation corrected the opener in words without the marker ("Sorry, correction: ...", see
     * {@link ProsePivots}).
     */
    public boolean pivotedInProse() {
        return prose.found();
    }

    /**
     * Whether the continuation ended right after a pivot marker: the model found the opener wrong and then said
     * nothing, so the reply would end on the wrong words.
     */
    public boolean endsWithMarker() {
        return markers.endsWithMarker();
    }

    /** Whether the joint is decided and text now passes straight through. */
    public boolean decided() {
        return decided;
    }

    private boolean canDecide() {
        String text = held.toString();
        if (text.isBlank()) {
            return false;
        }
        if (mode == Mode.SPLICE || mayRestart(text)) {
            // a fresh answer restates the opener in its first sentence: wait for it, or for enough words
            return completeWords(text) >= openerWords.size() + SPLICE_SLACK_WORDS
                    || endsSentence(text) && spliceCut(text) >= 0;
        }
        return !couldStillEcho(text) && !couldStillRestate(text);
    }

    /**
     * A literal continuation whose first word is the opener's first word: the server may have ignored the prefill and
     * started the answer over, which only the rest of its first sentence tells.
     */
    private boolean mayRestart(String text) {
        if (mode != Mode.LITERAL || openerWords.size() < 2) {
            return false;
        }
        List<int[]> spans = wordSpans(text);
        boolean firstWordComplete = spans.size() > 1 || !spans.isEmpty() && Character.isWhitespace(
                text.charAt(text.length() - 1));
        return firstWordComplete && normalize(text.substring(spans.get(0)[0], spans.get(0)[1]))
                .equals(normalize(openerWords.get(0)));
    }

    private static int completeWords(String text) {
        List<int[]> spans = wordSpans(text);
        boolean lastMayGrow = !text.isEmpty() && !Character.isWhitespace(text.charAt(text.length() - 1));
        return spans.size() - (lastMayGrow && !spans.isEmpty() ? 1 : 0);
    }

    /**
     * Whether the complete words held so far could still be the start of a longer echo of the opener's end: only then
     * is more text needed to decide, so a continuation that does not echo passes after its first word.
     */
    private boolean couldStillEcho(String text) {
        List<int[]> spans = wordSpans(text);
        if (!text.isEmpty() && !Character.isWhitespace(text.charAt(text.length() - 1)) && !spans.isEmpty()) {
            spans.remove(spans.size() - 1); // the last word may still grow
        }
        int complete = spans.size();
        if (complete == 0) {
            return true;
        }
        if (complete == 1 && !openerWords.isEmpty() && prefixMatches(text, spans, 1, 1)) {
            // the opener's last word again: the next word tells an echo from the subject of a new clause
            return true;
        }
        if (complete == 2 && !openerWords.isEmpty()
                && ARTICLES.contains(normalize(text.substring(spans.get(0)[0], spans.get(0)[1])))
                && sameWord(text.substring(spans.get(1)[0], spans.get(1)[1]))
                        .equals(sameWord(openerWords.get(openerWords.size() - 1)))) {
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
            int[] span = spans.get(i);
            String word = sameWord(text.substring(span[0], span[1]));
            if (word.isEmpty() || !word.equals(sameWord(openerWords.get(offset + i)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A word as an echo compares it: {@link #normalize normalized}, and a number as digits, so that "for twenty-five"
     * echoes "for 25".
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

    /** @param lastMayGrow whether the held text's last word may still continue in the next delta */
    private String decide(boolean lastMayGrow) {
        decided = true;
        String text = held.toString();
        held.setLength(0);
        if (text.isBlank()) {
            return ""; // whitespace alone says nothing
        }
        if (pivoted) {
            // the model's own spacing around the marker carries no meaning: one space, the joint decides the rest
            text = " " + text.stripLeading();
        }
        boolean restated = false;
        boolean newClause = !pivoted && startsClauseOnLastWord(text);
        int restart = mode == Mode.SPLICE || mayRestart(text) ? spliceCut(text) : -1;
        if (newClause) {
            // "Timer is running now." after "... set a timer": the word is the new clause's subject, not an echo
            return joint(text, true, false);
        }
        if (mode == Mode.SPLICE || restart >= 0) {
            restated = restart >= 0;
            if (restated) {
                text = text.substring(restart);
            }
        } else {
            String withoutEcho = removeEcho(text, lastMayGrow);
            if (withoutEcho.length() == text.length()) {
                int end = restatementEnd(text, lastMayGrow);
                if (end >= 0) {
                    withoutEcho = text.substring(end);
                }
            }
            restated = withoutEcho.length() != text.length();
            text = withoutEcho;
            if (!restated) {
                text = completePartialWord(text);
            }
        }
        return joint(text, mode == Mode.SPLICE && !restated, restated);
    }

    /**
     * Whether the continuation repeats the opener's last word as the subject of a new clause: the word, then a linking
     * or auxiliary verb ("timer" + "Timer is running now."). Such a word is content; an echo goes on where the opener
     * stopped ("timer" + "timer for ten minutes").
     */
    private boolean startsClauseOnLastWord(String text) {
        List<int[]> spans = wordSpans(text);
        int subject = !spans.isEmpty() && ARTICLES.contains(normalize(text.substring(spans.get(0)[0],
                spans.get(0)[1]))) ? 1 : 0;
        if (spans.size() < subject + 2 || openerWords.isEmpty()) {
            return false;
        }
        String first = text.substring(spans.get(subject)[0], spans.get(subject)[1]);
        String second = normalize(text.substring(spans.get(subject + 1)[0], spans.get(subject + 1)[1]));
        return normalize(first).equals(normalize(openerWords.get(openerWords.size() - 1)))
                && trailingPunctuation(first).isEmpty()
                && (EnglishWords.LINKING_VERBS.contains(second) || EnglishWords.AUXILIARIES.contains(second));
    }

    private static final Set<String> ARTICLES = Set.of("a", "an", "the");

    /**
     * Whether the complete words held so far may still be a paraphrased restatement of the opener's last clause: each
     * is a word of that clause (or an article), and the clause's last word has not come yet.
     */
    private boolean couldStillRestate(String text) {
        if (lastClause.isEmpty()) {
            return false;
        }
        List<int[]> spans = completeSpans(text);
        Set<String> covered = new HashSet<>();
        for (int i = 0; i < spans.size(); i++) {
            String k = key(text.substring(spans.get(i)[0], spans.get(i)[1]));
            if (i > lastClause.size() + 1 || !lastClause.contains(k) && !ARTICLES.contains(k)) {
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
            String word = text.substring(span[0], span[1]);
            String k = key(word);
            if (!lastClause.contains(k) && !ARTICLES.contains(k)) {
                return -1;
            }
            covered.add(k);
            if (k.equals(lastClause.get(lastClause.size() - 1)) && restatesEnough(covered)) {
                String added = trailingPunctuation(word);
                String openerWord = openerWords.get(openerWords.size() - 1);
                return !added.isEmpty() && !openerWord.endsWith(added) ? span[1] - added.length() : span[1];
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

    /** The spans of the words that cannot grow any more: all but a last one the next delta may continue. */
    private static List<int[]> completeSpans(String text) {
        List<int[]> spans = wordSpans(text);
        if (!text.isEmpty() && !Character.isWhitespace(text.charAt(text.length() - 1)) && !spans.isEmpty()) {
            spans.remove(spans.size() - 1);
        }
        return spans;
    }

    /** Drops the longest run of leading continuation words that repeats the opener's last words. */
    String removeEcho(String continuation) {
        return removeEcho(continuation, false);
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
                String echoed = continuation.substring(last[0], last[1]);
                String openerWord = openerWords.get(openerWords.size() - 1);
                String added = trailingPunctuation(echoed);
                int keepFrom = last[1];
                if (!added.isEmpty() && !openerWord.endsWith(added)) {
                    keepFrom = last[1] - added.length();
                }
                return continuation.substring(keepFrom);
            }
        }
        return continuation;
    }

    private static String trailingPunctuation(String word) {
        int i = word.length();
        while (i > 0 && !Character.isLetterOrDigit(word.charAt(i - 1))) {
            i--;
        }
        return word.substring(i);
    }

    private boolean echoes(String continuation, List<int[]> spans, int k) {
        if (!prefixMatches(continuation, spans, k, k)) {
            return false;
        }
        // "that that" and "had had" are the English words that legitimately follow themselves
        return k > 1 || !EnglishWords.LEGITIMATE_DOUBLES.contains(normalize(openerWords.get(openerWords.size() - 1)));
    }

    /**
     * An opener cut inside a word ("...made of a ph") that the model restates whole (" photons"): keeps only the
     * missing letters, glued to the fragment. Only in {@link Mode#CONTINUATION} (a literal continuation is trusted as
     * it is), and only when the opener ends with letters that cannot be a word by themselves: a fragment without a
     * vowel ("ph", "str") or of at most two letters that is no two-letter word. So "the" + "theater" is left alone.
     */
    private String completePartialWord(String text) {
        if (mode != Mode.CONTINUATION || openerWords.isEmpty()
                || !Character.isLetter(opener.charAt(opener.length() - 1))) {
            return text;
        }
        String fragment = openerWords.get(openerWords.size() - 1).toLowerCase(Locale.ROOT);
        if (!fragment.chars().allMatch(Character::isLetter) || !isFragment(fragment)) {
            return text;
        }
        List<int[]> spans = wordSpans(text);
        if (spans.isEmpty()) {
            return text;
        }
        int[] first = spans.get(0);
        String word = text.substring(first[0], first[1]);
        if (word.length() > fragment.length() && word.toLowerCase(Locale.ROOT).startsWith(fragment)
                && Character.isLetter(word.charAt(fragment.length()))) {
            return PARTIAL + text.substring(first[0] + fragment.length());
        }
        return text;
    }

    private static boolean isFragment(String letters) {
        boolean vowel = letters.chars().anyMatch(c -> "aeiouy".indexOf(c) >= 0);
        if (!vowel) {
            return letters.length() >= 2;
        }
        return letters.length() == 2 && !EnglishWords.TWO_LETTER_WORDS.contains(letters);
    }

    /** Marks a continuation that completes the opener's last word: no space at the joint. */
    private static final String PARTIAL = "\u0000";

    /**
     * Where the restatement of the opener ends in a fresh answer: after the answer's last occurrence, within its first
     * words, of the opener's last word, provided the words before it cover most of the opener. -1 when the answer does
     * not restate the opener.
     */
    int spliceCut(String answer) {
        if (openerWords.isEmpty()) {
            return -1;
        }
        List<int[]> spans = wordSpans(answer);
        String last = key(openerWords.get(openerWords.size() - 1));
        if (last.isEmpty()) {
            return -1;
        }
        List<String> openerNormalized = openerWords.stream().map(Seam::key).filter(w -> !w.isEmpty()).toList();
        int window = Math.min(spans.size(), openerWords.size() + SPLICE_SLACK_WORDS);
        int best = -1;
        double bestCoverage = 0;
        for (int j = 0; j < window; j++) {
            int[] span = spans.get(j);
            if (!key(answer.substring(span[0], span[1])).equals(last)) {
                continue;
            }
            List<String> before = new ArrayList<>();
            for (int i = 0; i <= j; i++) {
                before.add(key(answer.substring(spans.get(i)[0], spans.get(i)[1])));
            }
            long covered = openerNormalized.stream().filter(before::contains).count();
            double coverage = (double) covered / openerNormalized.size();
            if (coverage >= 0.5 && coverage >= bestCoverage && !cutsASubject(before, openerNormalized)) {
                bestCoverage = coverage;
                best = span[1];
            }
        }
        return best;
    }

    /**
     * Whether cutting the answer's first words would drop the subject of its first sentence: a word the opener does
     * not hold, followed by a verb the opener does not hold either ("Canberra is | the capital of Australia" after the
     * opener "The capital city of Australia"). A qualifier the opener leaves out ("At sea level, | water boils at") may
     * go; a subject may not.
     */
    private static boolean cutsASubject(List<String> before, List<String> openerStems) {
        boolean newContentWord = false;
        for (String word : before) {
            if (openerStems.contains(word)) {
                continue;
            }
            if (EnglishWords.LINKING_VERBS.contains(word) && newContentWord) {
                return true;
            }
            newContentWord |= !EnglishWords.FUNCTION_WORDS.contains(word) && !EnglishWords.FIRST_PERSON.contains(word)
                    && !EnglishWords.SENTENCE_STARTERS.contains(word);
        }
        return false;
    }

    /** Spacing and capitalization where the opener and the continuation meet. */
    private String joint(String continuation, boolean freshSentence, boolean restated) {
        boolean partial = continuation.startsWith(PARTIAL);
        if (partial) {
            return continuation.substring(PARTIAL.length());
        }
        if (opener.isEmpty()) {
            return continuation.stripLeading(); // a reply does not start with blank space
        }
        if (continuation.isEmpty()) {
            return continuation;
        }
        boolean openerEndsWithSpace = Character.isWhitespace(opener.charAt(opener.length() - 1))
                || opensQuote(opener);
        String text = openerEndsWithSpace ? continuation.stripLeading() : continuation;
        if (text.isEmpty()) {
            return text;
        }
        int first = text.codePointAt(0);
        boolean gluedByModel = mode != Mode.SPLICE && !pivoted && !restated && completesLastWord(text);
        if (!openerEndsWithSpace && !Character.isWhitespace(first) && startsWord(first) && !gluedByModel
                && !closesOpenQuote(first) && !unspaced(opener.codePointBefore(opener.length()))
                && !unspaced(first)) {
            text = " " + text;
        }
        boolean sentenceEnded = endsSentence(opener);
        if (sentenceEnded) {
            return capitalizeFirstLetter(text);
        }
        if ((pivoted && !restated || freshSentence) && startsWithCapitalizedSentence(text)
                && endsInsideClause(opener)) {
            // the model starts over with a new sentence in the middle of the opener's: trail the opener off first
            return "\u2026" + (Character.isWhitespace(text.charAt(0)) ? text : " " + text);
        }
        if (!pivoted && !freshSentence && !startsBlock(text)) {
            text = lowerCaseMistakenCapital(text);
        }
        return text;
    }

    /**
     * Whether a continuation that starts without a space, glued to the opener's last word, makes one word of them: the
     * rest of a cut word, a suffix or contraction ("timer" + "s", "is" + "n't"), the rest of a number (in
     * {@link Mode#LITERAL} only: there the digits are the server's own) or its ordinal ending ("19" + "th").
     */
    private boolean completesLastWord(String text) {
        char first = text.charAt(0);
        char last = opener.charAt(opener.length() - 1);
        List<int[]> spans = wordSpans(text);
        String firstWord = text.substring(spans.get(0)[0], spans.get(0)[1]);
        if (Character.isDigit(last)) {
            return Character.isDigit(first) && mode == Mode.LITERAL
                    || firstWord.matches("(?i)(st|nd|rd|th|s)\\b.*");
        }
        if (!Character.isLetter(first) || !Character.isLetter(last)) {
            return false;
        }
        String lastWord = openerWords.get(openerWords.size() - 1).toLowerCase(Locale.ROOT);
        if (lastWord.chars().allMatch(Character::isLetter) && isFragment(lastWord)) {
            return true; // the opener was cut inside a word: "ph" + "otons"
        }
        return EnglishWords.SUFFIXES.contains(normalize(firstWord));
    }

    /** A straight double quote that closes one the opener left open ("She said \"yes" + "\" and left."). */
    private boolean closesOpenQuote(int first) {
        return first == '"' && opener.chars().filter(c -> c == '"').count() % 2 == 1;
    }

    /** Scripts written without spaces between words: Chinese characters, Japanese kana. */
    private static boolean unspaced(int codePoint) {
        Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
        return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
                || script == Character.UnicodeScript.KATAKANA
                || Character.UnicodeBlock.of(codePoint) == Character.UnicodeBlock.CJK_SYMBOLS_AND_PUNCTUATION;
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
        String word = text.substring(span[0], span[1]);
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
        String word = text.substring(spans.get(0)[0], spans.get(0)[1]);
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

    static boolean endsSentence(CharSequence text) {
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

    /**
     * A word for comparing restatements: {@link #sameWord} (so a number in words restates its digits), without a
     * possessive ("Peru's" restates "Peru").
     */
    private static String key(String word) {
        String w = sameWord(word);
        return w.endsWith("'s") ? w.substring(0, w.length() - 2) : w;
    }

    /** Lower case, without punctuation around the word, so "Lima." echoes "lima". */
    static String normalize(String word) {
        StringBuilder out = new StringBuilder(word.length());
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (Character.isLetterOrDigit(c) || c == '\'' || c == '\u2019') {
                out.append(c == '\u2019' ? '\'' : c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (int[] span : wordSpans(text)) {
            out.add(text.substring(span[0], span[1]));
        }
        return out;
    }

    /** [start, end) of each whitespace-separated word. */
    static List<int[]> wordSpans(String text) {
        List<int[]> spans = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                spans.add(new int[] { start, i });
            }
        }
        return spans;
    }
}
