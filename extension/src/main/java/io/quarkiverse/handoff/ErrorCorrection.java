package io.quarkiverse.handoff;

/**
 * A way to recover gracefully when the opener went in a wrong direction.
 * <p>
 * The plan names a method by {@link #method()}; an application adds its own method by providing a bean.
 */
public interface ErrorCorrection {

    /** A brief acknowledgement of the slip, then the correct answer. */
    String EXPLICIT = "explicit";
    /** A bridging pivot with no negation and no explanation of the mistake, then the correct answer. */
    String NATURAL = "natural";
    /** A light, playful one-line pivot, then the correct answer. */
    String HUMOROUS = "humorous";

    /** The {@link #unansweredPivot()} of a method that has none of its own. */
    String UNANSWERED_PIVOT = "Sorry, that wasn't right, and I can't give you the correct answer just now.";

    /** The name a policy uses to choose this method, e.g. {@code explicit}, {@code natural}, {@code humorous}. */
    String method();

    /**
     * Guidance for the continuator on how to recover from the opener, phrased as an instruction appended to the
     * continuation prompt. The continuation model only follows it when it finds the opener wrong; it then starts its
     * continuation with {@link Continuator#PIVOT_MARKER}, which the seam strips and reports as a {@code correction}.
     */
    String instruction(CorrectionContext context);

    /**
     * The sentence that ends a reply whose continuation pivoted (the model found the opener wrong) and then said
     * nothing: the user must not be left with the wrong words alone. The reply is marked degraded.
     */
    default String unansweredPivot() {
        return UNANSWERED_PIVOT;
    }

    /**
     * @param conversation the conversation
     * @param committedOpener the opener already shown or spoken
     * @param reason why the opener is suspect (e.g. low opener confidence), or null when nothing is known to be
     *        wrong and the instruction only applies if the model finds the opener wrong
     */
    record CorrectionContext(Conversation conversation, String committedOpener, String reason) {
    }
}
