package io.quarkiverse.handoff.event;

/**
 * One word of the opener, the moment the micro-model completed it.
 *
 * @param index 0-based word position
 * @param text the word with its leading whitespace, so that concatenating all opener texts gives the opener
 * @param confidence the lowest token probability within the word
 */
public record OpenerEvent(int index, String text, double confidence, double ms) implements HandoffEvent {

    @Override
    public String type() {
        return "opener";
    }
}
