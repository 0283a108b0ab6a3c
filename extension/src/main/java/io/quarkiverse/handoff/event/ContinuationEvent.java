package io.quarkiverse.handoff.event;

/**
 * Continuation text, after seam repair, in the order it must be appended to the opener.
 */
public record ContinuationEvent(String delta, double ms) implements HandoffEvent {

    @Override
    public String type() {
        return "continuation";
    }
}
