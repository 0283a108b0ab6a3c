package io.quarkiverse.handoff.event;

/**
 * The handoff failed and no reply can be given.
 *
 * @param code a stable machine-readable code, e.g. {@code opener-failed}
 * @param message what went wrong and how to fix it
 */
public record ErrorEvent(String code, String message, double ms) implements HandoffEvent {

    @Override
    public String type() {
        return "error";
    }
}
