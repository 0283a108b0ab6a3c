package io.quarkiverse.handoff.event;

/**
 * An error-correction method fired.
 *
 * @param method the method's name (explicit, natural, humorous or a custom one)
 * @param reason why it fired
 */
public record CorrectionEvent(String method, String reason, double ms) implements HandoffEvent {

    @Override
    public String type() {
        return "correction";
    }
}
