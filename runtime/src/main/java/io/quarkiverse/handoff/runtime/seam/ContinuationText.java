package io.quarkiverse.handoff.runtime.seam;

/**
 * Continuation text to join to the opener.
 *
 * @param text the text
 * @param continuesWord whether the text completes the opener's last word, which was cut ("ph" + "otons"): it is glued
 *        to the opener as it is, with no space and no other repair at the joint
 */
record ContinuationText(String text, boolean continuesWord) {

    /** Text that follows the opener: the joint decides the spacing. */
    static ContinuationText afterOpener(String text) {
        return new ContinuationText(text, false);
    }

    /** The rest of the word the opener was cut inside. */
    static ContinuationText continuingWord(String text) {
        return new ContinuationText(text, true);
    }
}
