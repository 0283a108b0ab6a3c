package io.quarkiverse.handoff.runtime.seam;

/**
 * The rules of one written language where an opener and its continuation meet: whether a space goes between them,
 * when the continuation completes the opener's last word instead of starting a new one, and which capital is right.
 * The seam asks these questions here, so a language with other rules can bring its own orthography; what the seam
 * recognises as a restatement of the opener (echoes, paraphrases, a spliced answer's restatement) still reads English
 * words ({@code Restatements}, {@code SpliceAlignment}). {@link #english() English} is the seam's default.
 */
public interface Orthography {

    /** English, and the scripts written without spaces (Chinese, Japanese) wherever they appear in it. */
    static Orthography english() {
        return EnglishOrthography.INSTANCE;
    }

    /** Whether letters that end an opener cannot be a word by themselves: the opener was cut inside a word. */
    boolean isWordFragment(String letters);

    /**
     * Whether a continuation that starts without a space, glued to the opener's last word, makes one word of them.
     *
     * @param literal whether the continuation's first characters are literal text (the server continued the opener as
     *        its own), so that digits there are the rest of the opener's number
     */
    boolean completesLastWord(String opener, String continuation, boolean literal);

    /**
     * The continuation, spaced to follow the opener: a space where a new word starts, none where the opener leaves
     * one or the continuation closes what the opener left open.
     *
     * @param glued whether the continuation completes the opener's last word ({@link #completesLastWord}): no space
     */
    String spaced(String opener, String continuation, boolean glued);

    /**
     * The continuation, capitalized to follow the opener.
     *
     * @param startsOver whether the continuation may start a sentence of its own in the middle of the opener's (a
     *        correction or a fresh answer): the opener is trailed off before it
     * @param continuesSentence whether the continuation goes on with the opener's sentence: a capital the model put
     *        on a word that only a new sentence would capitalize is a mistake
     */
    String cased(String opener, String continuation, boolean startsOver, boolean continuesSentence);

    /** Whether the text ends a sentence. */
    boolean endsSentence(CharSequence text);
}
