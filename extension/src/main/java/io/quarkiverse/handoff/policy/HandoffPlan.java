package io.quarkiverse.handoff.policy;

import java.util.List;
import java.util.Objects;

/**
 * The decisions a policy took for one handoff. Every plan explains itself through {@link #firedRules()}.
 *
 * @param profile the device profile the plan is for
 * @param mode who writes the reply
 * @param openerWords the opener length in words
 * @param handoffPoint where the opener stops
 * @param confidenceThreshold for {@link HandoffPoint#CONFIDENCE_DROP}: the word confidence below which the opener stops
 * @param recoveryMethod the {@code ErrorCorrection} method to use when the opener went wrong
 * @param sampling how the opener picks tokens
 * @param cloudFirstTokenDeadlineMs how long to wait for the cloud's first token before finishing locally
 * @param maskPii whether personal data is masked before the conversation leaves the device
 * @param firedRules the names of the rules that decided, in firing order
 * @param speculativeCloudStart whether a hybrid handoff also asks the cloud for a plain answer at its start, used as the
 *        reply when the opener ends up empty (or fails) and cancelled the moment the opener commits words
 */
public record HandoffPlan(String profile, HandoffMode mode, int openerWords, HandoffPoint handoffPoint,
        double confidenceThreshold, String recoveryMethod, Sampling sampling, long cloudFirstTokenDeadlineMs,
        boolean maskPii, List<String> firedRules, boolean speculativeCloudStart) {

    /** A plan without a speculative cloud start. */
    public HandoffPlan(String profile, HandoffMode mode, int openerWords, HandoffPoint handoffPoint,
            double confidenceThreshold, String recoveryMethod, Sampling sampling, long cloudFirstTokenDeadlineMs,
            boolean maskPii, List<String> firedRules) {
        this(profile, mode, openerWords, handoffPoint, confidenceThreshold, recoveryMethod, sampling,
                cloudFirstTokenDeadlineMs, maskPii, firedRules, false);
    }

    public HandoffPlan {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(handoffPoint, "handoffPoint");
        Objects.requireNonNull(recoveryMethod, "recoveryMethod");
        Objects.requireNonNull(sampling, "sampling");
        firedRules = List.copyOf(firedRules);
        if (openerWords < 0) {
            throw new IllegalArgumentException("opener length must be >= 0 words, got " + openerWords);
        }
    }

    /** A copy in another mode, with the reason added to the fired rules so the plan still explains itself. */
    public HandoffPlan withMode(HandoffMode newMode, String reason) {
        List<String> rules = new java.util.ArrayList<>(firedRules);
        rules.add(reason);
        return new HandoffPlan(profile, newMode, newMode == HandoffMode.CLOUD_ONLY ? 0 : openerWords, handoffPoint,
                confidenceThreshold, recoveryMethod, sampling, cloudFirstTokenDeadlineMs, maskPii, rules,
                speculativeCloudStart);
    }

    /** A copy with other sampling settings. */
    public HandoffPlan withSampling(Sampling newSampling) {
        return new HandoffPlan(profile, mode, openerWords, handoffPoint, confidenceThreshold, recoveryMethod,
                newSampling, cloudFirstTokenDeadlineMs, maskPii, firedRules, speculativeCloudStart);
    }
}
