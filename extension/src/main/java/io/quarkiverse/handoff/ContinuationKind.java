package io.quarkiverse.handoff;

import java.util.Locale;

/**
 * What kind of text a {@link Continuator} gives back, which decides how the seam joins it to the words the opener
 * already said. Its {@link #strategy() name} is what {@code done.strategy} reports.
 */
public enum ContinuationKind {
    /**
     * The model continued the opener as its own text (assistant prefill): the first characters are literal, so a
     * continuation without a leading space may complete the opener's last word.
     */
    PREFILL,
    /**
     * The model was told the words already said and wrote what follows: it may drop the joining space or restate the
     * last words, which the seam repairs and removes.
     */
    INSTRUCTION,
    /** A fresh answer that restates what the opener said: the seam keeps only what comes after the restatement. */
    SPLICE,
    /** An answer from scratch, with nothing said before it: taken as it is. */
    ANSWER,
    /** The reply finished on the device by the opener model itself, continuing its own words. */
    LOCAL;

    /** The name {@code done.strategy} reports: {@code prefill}, {@code instruction}, {@code splice}, ... */
    public String strategy() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind a strategy name stands for: the names of this enum's constants, and any other name (a continuator's own)
     * as {@link #INSTRUCTION}, the kind that assumes least about the text.
     */
    public static ContinuationKind ofStrategy(String strategy) {
        for (ContinuationKind kind : values()) {
            if (kind.strategy().equals(strategy)) {
                return kind;
            }
        }
        return INSTRUCTION;
    }
}
