package io.quarkiverse.handoff.runtime.seam;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The words of a text as the seam sees them: separated by whitespace, compared without case or punctuation. */
final class Words {

    private Words() {
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

    /** The word a span marks in the text. */
    static String word(String text, int[] span) {
        return text.substring(span[0], span[1]);
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

    /** The spans of the words that cannot grow any more: all but a last one the next delta may continue. */
    static List<int[]> completeSpans(String text) {
        List<int[]> spans = wordSpans(text);
        if (!text.isEmpty() && !Character.isWhitespace(text.charAt(text.length() - 1)) && !spans.isEmpty()) {
            spans.remove(spans.size() - 1);
        }
        return spans;
    }

    /** The punctuation a word ends with ("Lima." ends with "."). */
    static String trailingPunctuation(String word) {
        int i = word.length();
        while (i > 0 && !Character.isLetterOrDigit(word.charAt(i - 1))) {
            i--;
        }
        return word.substring(i);
    }
}
