package io.quarkiverse.handoff.runtime.seam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Joins a continuation to the opener already shown or spoken: holds back the first continuation text until it can
 * decide, removes words the continuation echoes from the end of the opener, and fixes spacing and capitalization at
 * the joint. Past the joint, continuation text passes through untouched: no continuation word is ever dropped except
 * an echo of the opener.
 */
public final class Seam {

    private static final java.util.Set<String> LEGITIMATE_DOUBLES = java.util.Set.of("that", "had");

    private final String opener;
    private final List<String> openerWords;
    private final StringBuilder held = new StringBuilder();
    private boolean decided;

    public Seam(String opener) {
        this.opener = opener;
        this.openerWords = words(opener);
    }

    /** Takes a continuation delta and returns the text to pass on now (empty while the joint is undecided). */
    public String accept(String delta) {
        if (decided) {
            return delta;
        }
        held.append(delta);
        if (endsSentence(held) || !couldStillEcho(held.toString())) {
            return decide();
        }
        return "";
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
            String word = normalize(text.substring(span[0], span[1]));
            if (word.isEmpty() || !word.equals(normalize(openerWords.get(offset + i)))) {
                return false;
            }
        }
        return true;
    }

    /** The continuation ended: returns whatever was still held back, repaired. */
    public String finish() {
        return decided ? "" : decide();
    }

    private String decide() {
        decided = true;
        String text = removeEcho(held.toString());
        held.setLength(0);
        return joint(text);
    }

    /** Drops the longest run of leading continuation words that repeats the opener's last words. */
    String removeEcho(String continuation) {
        List<int[]> spans = wordSpans(continuation);
        int max = Math.min(openerWords.size(), spans.size());
        for (int k = max; k >= 1; k--) {
            if (echoes(continuation, spans, k)) {
                return continuation.substring(spans.get(k - 1)[1]);
            }
        }
        return continuation;
    }

    private boolean echoes(String continuation, List<int[]> spans, int k) {
        if (!prefixMatches(continuation, spans, k, k)) {
            return false;
        }
        // "that that" and "had had" are the English words that legitimately follow themselves
        return k > 1 || !LEGITIMATE_DOUBLES.contains(normalize(openerWords.get(openerWords.size() - 1)));
    }

    /** Spacing and capitalization where the opener and the continuation meet. */
    private String joint(String continuation) {
        if (continuation.isEmpty() || opener.isEmpty()) {
            return continuation;
        }
        boolean openerEndsWithSpace = Character.isWhitespace(opener.charAt(opener.length() - 1));
        String text = openerEndsWithSpace ? continuation.stripLeading() : continuation;
        if (text.isEmpty()) {
            return text;
        }
        char first = text.charAt(0);
        if (!openerEndsWithSpace && !Character.isWhitespace(first) && startsWord(first)) {
            text = " " + text;
        }
        if (endsSentence(opener)) {
            text = capitalizeFirstLetter(text);
        }
        return text;
    }

    private static boolean startsWord(char c) {
        return Character.isLetterOrDigit(c) || c == '"' || c == '(' || c == '\u201c';
    }

    private static String capitalizeFirstLetter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetter(c)) {
                return text.substring(0, i) + Character.toUpperCase(c) + text.substring(i + 1);
            }
            if (!Character.isWhitespace(c)) {
                return text;
            }
        }
        return text;
    }

    private static boolean endsSentence(CharSequence text) {
        for (int i = text.length() - 1; i >= 0; i--) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '.' || c == '!' || c == '?';
            }
        }
        return false;
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
