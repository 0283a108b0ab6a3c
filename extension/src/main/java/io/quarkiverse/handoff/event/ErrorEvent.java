package io.quarkiverse.handoff.event;

/**
 * The handoff failed and no reply can be given.
 *
 * @param code a stable machine-readable code: {@value #CONVERSATION_TOO_LONG}, {@value #OPENER_UNAVAILABLE} or
 *        {@value #HANDOFF_FAILED}
 * @param message what went wrong and how to fix it, for people (no exception class, no internal address)
 */
public record ErrorEvent(String code, String message, double ms) implements HandoffEvent {

    /** The cloud refused the conversation as longer than its model accepts: the request must be shortened. */
    public static final String CONVERSATION_TOO_LONG = "conversation-too-long";
    /** The on-device opener model cannot be used (it failed to load, or is disabled): see the service log. */
    public static final String OPENER_UNAVAILABLE = "opener-unavailable";
    /** Anything else: a fault of the service, logged with its stack trace. */
    public static final String HANDOFF_FAILED = "handoff-failed";

    @Override
    public String type() {
        return "error";
    }
}
