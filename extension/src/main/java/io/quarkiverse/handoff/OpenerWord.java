package io.quarkiverse.handoff;

/**
 * One complete word of the opener, emitted the moment the micro-model finished it.
 *
 * @param index 0-based position in the opener
 * @param text the word exactly as generated, with its leading whitespace (so concatenating all words gives the opener)
 *        and its trailing punctuation
 * @param confidence the lowest probability the model gave to any token of this word (0..1)
 * @param nanosSinceStart when the opener said the word, on the handoff's clock: the moment it was complete, or later
 *        when the opener held it back (a dangling word of a grounded opener, a speech opener's unfinished clause)
 */
public record OpenerWord(int index, String text, double confidence, long nanosSinceStart) {

    /** The word without surrounding whitespace. */
    public String word() {
        return text.strip();
    }
}
