package io.quarkiverse.handoff.runtime.opener;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns decoded text pieces into complete words. A word is its leading whitespace plus a run of non-whitespace
 * characters, so trailing punctuation stays with its word and concatenating the words gives the text back. A word is
 * complete only once whitespace follows it (or the text ends): a word is never split.
 */
public final class WordAssembler {

    /**
     * A complete word, the lowest probability of the tokens that wrote it, and the lowest probability of the tokens
     * that continued its letters (a token starting with a letter right after a letter: "oto" of "wateroto"; 1 for a
     * word of one token). A model that is unsure how a word goes on is guessing its spelling: that is how a small
     * model's made-up words come out.
     */
    public record Word(String text, double confidence, double spellingConfidence) {

        /** A word none of whose letters continued an earlier token's. */
        public Word(String text, double confidence) {
            this(text, confidence, 1.0);
        }
    }

    private final StringBuilder pending = new StringBuilder();
    private double pendingConfidence = 1.0;
    private double pendingSpelling = 1.0;
    private boolean wordChars;
    /** The lowest probability of tokens that added no text yet (the first bytes of a multi-byte character). */
    private double carried = 1.0;

    /**
     * Adds a piece of decoded text that the model wrote with the given probability, and returns the words it
     * completed (usually none or one).
     */
    public List<Word> accept(String piece, double probability) {
        List<Word> complete = List.of();
        if (piece.isEmpty()) {
            // an incomplete character: its probability goes to the character once a later token completes it
            carried = Math.min(carried, probability);
            return complete;
        }
        for (int i = 0; i < piece.length(); i++) {
            char c = piece.charAt(i);
            double p = probability;
            if (i == 0) {
                p = Math.min(p, carried);
                carried = 1.0;
                if (Character.isLetter(c) && !pending.isEmpty() && Character.isLetter(pending.charAt(pending.length() - 1))) {
                    pendingSpelling = Math.min(pendingSpelling, p);
                }
            }
            if (Character.isWhitespace(c) && hasWordChars()) {
                if (complete.isEmpty()) {
                    complete = new ArrayList<>(1);
                }
                complete.add(takePending());
            }
            pending.append(c);
            if (!Character.isWhitespace(c)) {
                pendingConfidence = Math.min(pendingConfidence, p);
                wordChars = true;
            }
        }
        return complete;
    }

    /** The last word, when the text ended (end of sequence); empty when only whitespace is pending. */
    public List<Word> finish() {
        carried = 1.0;
        if (!hasWordChars()) {
            pending.setLength(0);
            return List.of();
        }
        return List.of(takePending());
    }

    private Word takePending() {
        Word word = new Word(pending.toString(), pendingConfidence, pendingSpelling);
        pending.setLength(0);
        pendingConfidence = 1.0;
        pendingSpelling = 1.0;
        wordChars = false;
        return word;
    }

    private boolean hasWordChars() {
        return wordChars;
    }

    /** Whether a word ends a clause: its last character is a clause or sentence mark. */
    public static boolean endsClause(String word) {
        String w = word.strip();
        if (w.isEmpty()) {
            return false;
        }
        char last = w.charAt(w.length() - 1);
        return last == ',' || last == ';' || last == ':' || endsSentenceChar(last) || last == '\u3001';
    }

    /** Whether a word ends a sentence. */
    public static boolean endsSentence(String word) {
        String w = word.strip();
        return !w.isEmpty() && endsSentenceChar(w.charAt(w.length() - 1));
    }

    private static boolean endsSentenceChar(char c) {
        return c == '.' || c == '!' || c == '?' || c == '\u3002' || c == '\uff01' || c == '\uff1f';
    }
}
