package io.quarkiverse.handoff.runtime.correction;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import io.quarkiverse.handoff.OpenerWord;
import io.quarkiverse.handoff.runtime.config.HandoffRuntimeConfig;

/**
 * Decides whether an opener needs correcting, from two signals:
 * <ol>
 * <li>before the cloud is asked, the micro-model's own confidence: an opener word below
 * {@code quarkus.handoff.correction.confidence-threshold} makes the opener suspect, and the cloud is told which word
 * and asked to check it ({@link #suspicion});</li>
 * <li>from the cloud's first text: the continuator's prompt asks the model to start with the
 * {@link io.quarkiverse.handoff.Continuator#PIVOT_MARKER pivot marker} when the opener is wrong; the seam strips it and
 * the handoff fires the plan's correction method ({@link #reason}).</li>
 * </ol>
 * A suspect opener that the cloud confirms fires no correction: low confidence is a reason to check, not a mistake.
 */
@Singleton
public class CorrectionDetector {

    private final double threshold;

    @Inject
    public CorrectionDetector(HandoffRuntimeConfig config) {
        this(config.correction().confidenceThreshold());
    }

    public CorrectionDetector(double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException(
                    "quarkus.handoff.correction.confidence-threshold must be in [0, 1], got " + threshold);
        }
        this.threshold = threshold;
    }

    /** Why the opener is suspect (its least confident word below the threshold), or empty when it is not. */
    public Optional<String> suspicion(List<OpenerWord> words) {
        OpenerWord weakest = null;
        for (OpenerWord word : words) {
            if (weakest == null || word.confidence() < weakest.confidence()) {
                weakest = word;
            }
        }
        if (weakest == null || !(weakest.confidence() < threshold)) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT,
                "the on-device model was unsure of the word '%s' (confidence %.3f < %.3f)", weakest.word(),
                weakest.confidence(), threshold));
    }

    /**
     * Why a correction fired when the continuation pivoted (with the marker, or in words when {@code marked} is false),
     * with the opener's suspicion if there was one.
     */
    public String reason(Optional<String> suspicion, boolean marked) {
        String pivot = marked ? "the cloud model found the opener wrong and pivoted"
                : "the cloud model corrected the opener in words, without the pivot marker";
        return suspicion.map(s -> pivot + "; " + s).orElse(pivot);
    }
}
