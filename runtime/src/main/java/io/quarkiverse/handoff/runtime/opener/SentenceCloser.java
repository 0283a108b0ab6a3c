package io.quarkiverse.handoff.runtime.opener;

import java.util.Optional;

/**
 * Reads a decode that should close the sentence a reply stopped in, and stops it as soon as the answer is known: the
 * sentence ended (closed), or a word may not be said or one word too many came (refused).
 */
final class SentenceCloser implements OpenerEngine.TokenSink {

    private final WordAssembler assembler = new WordAssembler();
    private final GroundingGuard guard;
    private final int maxWords;
    private final StringBuilder closing = new StringBuilder();
    private String previous;
    private int words;
    private boolean closed;
    private boolean refused;

    /**
     * @param guard the grounding guard of the conversation and the reply so far, or null when the plan has none
     * @param replySoFar the reply the sentence belongs to (its last word tells whether the next starts a sentence)
     */
    SentenceCloser(GroundingGuard guard, String replySoFar, int maxWords) {
        this.guard = guard;
        this.maxWords = maxWords;
        String[] said = replySoFar.strip().split("\\s+");
        this.previous = said[said.length - 1];
    }

    @Override
    public boolean onToken(String text, double probability) {
        for (WordAssembler.Word word : assembler.accept(text, probability)) {
            if (!judge(word)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The words that close the sentence, or empty when they could not be said.
     *
     * @param endOfSequence whether the model ended its reply (then its last word is complete, and ends the sentence)
     */
    Optional<String> closing(boolean endOfSequence) {
        if (endOfSequence && !closed && !refused) {
            assembler.finish().forEach(this::judge);
            if (!closed && !refused && words > 0) {
                closing.append('.');
                closed = true;
            }
        }
        return closed ? Optional.of(closing.toString()) : Optional.empty();
    }

    /** Takes a complete word; false once the decode may stop. */
    private boolean judge(WordAssembler.Word word) {
        if (guard != null && guard.ungrounded(word, previous, WordCutter.startsSentence(word.text(), previous)) != null) {
            refused = true;
            return false;
        }
        closing.append(word.text());
        previous = word.text();
        words++;
        closed = WordAssembler.endsSentence(word.text());
        refused = !closed && words >= maxWords;
        return !closed && !refused;
    }
}
