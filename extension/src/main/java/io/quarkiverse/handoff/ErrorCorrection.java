package io.quarkiverse.handoff;

/**
 * A way to recover gracefully when the opener went in a wrong direction.
 * <p>
 * The plan names a method by {@link #method()}; an application adds its own method by providing a bean.
 */
public interface ErrorCorrection {

    /** The name a policy uses to choose this method, e.g. {@code explicit}, {@code natural}, {@code humorous}. */
    String method();

    /**
     * Guidance for the continuator on how to recover from the opener, phrased as an instruction appended to the
     * continuation prompt.
     */
    String instruction(CorrectionContext context);

    /**
     * @param conversation the conversation
     * @param committedOpener the opener already shown or spoken
     * @param reason why correction fired (e.g. low opener confidence)
     */
    record CorrectionContext(Conversation conversation, String committedOpener, String reason) {
    }
}
