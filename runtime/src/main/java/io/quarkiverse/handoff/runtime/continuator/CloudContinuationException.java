package io.quarkiverse.handoff.runtime.continuator;

/**
 * The cloud did not deliver a continuation in time or at all. The handoff then finishes the reply on the device.
 */
public class CloudContinuationException extends RuntimeException {

    /** Where the cloud's continuation failed. */
    public enum Kind {
        /** No first token within the plan's deadline (across retries). */
        FIRST_TOKEN_TIMEOUT,
        /** The stream started, then went silent for longer than the idle timeout. */
        STALLED,
        /** The stream ended without any text. */
        EMPTY
    }

    private final Kind kind;

    public CloudContinuationException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
