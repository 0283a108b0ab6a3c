package io.quarkiverse.handoff.runtime.seam;

import static io.quarkiverse.handoff.runtime.seam.Restatements.key;
import static io.quarkiverse.handoff.runtime.seam.Words.completeSpans;
import static io.quarkiverse.handoff.runtime.seam.Words.normalize;
import static io.quarkiverse.handoff.runtime.seam.Words.word;
import static io.quarkiverse.handoff.runtime.seam.Words.wordSpans;

import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.handoff.runtime.text.EnglishWords;

/**
 * Aligns a fresh answer with the opener it restates: an answer written from scratch ("The capital of Australia is
 * Canberra.") says again what the opener already said ("The capital city of Australia"), and only what comes after
 * that restatement continues the opener.
 */
final class SpliceAlignment {

    /** How many words past the opener's length a fresh answer may take to restate it. */
    private static final int SLACK_WORDS = 6;

    private final List<String> openerWords;
    /** The opener's words as {@link Restatements#key keys}, to tell how much of it an answer covers. */
    private final List<String> openerKeys;
    private final Orthography orthography;

    SpliceAlignment(String opener, Orthography orthography) {
        this.openerWords = Words.words(opener);
        this.openerKeys = openerWords.stream().map(Restatements::key).filter(w -> !w.isEmpty()).toList();
        this.orthography = orthography;
    }

    /**
     * Whether enough of a fresh answer came to align it: its first sentence, which restates the opener, or enough
     * words.
     */
    boolean canAlign(String answer) {
        return completeSpans(answer).size() >= openerWords.size() + SLACK_WORDS
                || orthography.endsSentence(answer) && cut(answer) >= 0;
    }

    /**
     * Whether a continuation may be a fresh answer rather than the opener's continuation: its first word, complete, is
     * the opener's first word, so only the rest of its first sentence tells.
     */
    boolean mayStartOver(String text) {
        if (openerWords.size() < 2) {
            return false;
        }
        List<int[]> spans = wordSpans(text);
        boolean firstWordComplete = spans.size() > 1 || !spans.isEmpty() && Character.isWhitespace(
                text.charAt(text.length() - 1));
        return firstWordComplete && normalize(word(text, spans.get(0))).equals(normalize(openerWords.get(0)));
    }

    /**
     * Where the restatement of the opener ends in a fresh answer: after the answer's last occurrence, within its first
     * words, of the opener's last word, provided the words before it cover most of the opener. -1 when the answer does
     * not restate the opener.
     */
    int cut(String answer) {
        if (openerWords.isEmpty()) {
            return -1;
        }
        List<int[]> spans = wordSpans(answer);
        String last = key(openerWords.get(openerWords.size() - 1));
        if (last.isEmpty()) {
            return -1;
        }
        int window = Math.min(spans.size(), openerWords.size() + SLACK_WORDS);
        int best = -1;
        double bestCoverage = 0;
        for (int j = 0; j < window; j++) {
            int[] span = spans.get(j);
            if (!key(word(answer, span)).equals(last)) {
                continue;
            }
            List<String> before = new ArrayList<>();
            for (int i = 0; i <= j; i++) {
                before.add(key(word(answer, spans.get(i))));
            }
            long covered = openerKeys.stream().filter(before::contains).count();
            double coverage = (double) covered / openerKeys.size();
            if (coverage >= 0.5 && coverage >= bestCoverage && !cutsASubject(before)) {
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
    private boolean cutsASubject(List<String> before) {
        boolean newContentWord = false;
        for (String word : before) {
            if (openerKeys.contains(word)) {
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
}
