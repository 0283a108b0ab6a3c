package io.quarkiverse.handoff.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The decisions a policy took for one handoff. Every plan explains itself through {@link #firedRules()} (the names)
 * and {@link #rules()} (the same firings with each rule's package and reasons).
 *
 * @param profile the device profile the plan is for
 * @param mode who writes the reply
 * @param openerWords the opener length in words
 * @param handoffPoint where the opener stops
 * @param confidenceThreshold the word confidence below which the opener stops: right before the word for
 *        {@link HandoffPoint#CONFIDENCE_DROP}, at the last clause boundary before it for
 *        {@link HandoffPoint#CLAUSE_BOUNDARY} (0: no confidence stop); not used by {@link HandoffPoint#AFTER_WORDS}
 * @param recoveryMethod the {@code ErrorCorrection} method to use when the opener went wrong
 * @param sampling how the opener picks tokens
 * @param cloudFirstTokenDeadlineMs how long to wait for the cloud's first token before finishing locally
 * @param maskPii whether personal data is masked before the conversation leaves the device
 * @param firedRules the names of the rules that decided, in firing order
 * @param speculativeCloudStart whether a hybrid handoff also asks the cloud for a plain answer at its start, used as the
 *        reply when the opener ends up empty (or fails) and cancelled the moment the opener commits words
 * @param groundedOnly whether the opener stops right before a fact-bearing word of {@code factClasses} that the
 *        conversation does not contain (a number, a date, a name the micro-model would be guessing), so that the cloud
 *        says it
 * @param factClasses which fact-bearing words must be grounded in the conversation when {@code groundedOnly} is set
 * @param cloud how the request to the cloud is shaped: its token limit, temperature and stop sequences
 * @param rules the rules that decided, in firing order, one per entry of {@code firedRules}: each with its package
 *        and the reasons it gave ({@link PlanDraft#because(String)}); null makes them from {@code firedRules}, with no
 *        package and no reasons
 */
public record HandoffPlan(String profile, HandoffMode mode, int openerWords, HandoffPoint handoffPoint,
        double confidenceThreshold, String recoveryMethod, Sampling sampling, long cloudFirstTokenDeadlineMs,
        boolean maskPii, List<String> firedRules, boolean speculativeCloudStart, boolean groundedOnly,
        Set<FactClass> factClasses, CloudRequest cloud, List<FiredRule> rules) {

    /** A plan whose rules are known by name only. */
    public HandoffPlan(String profile, HandoffMode mode, int openerWords, HandoffPoint handoffPoint,
            double confidenceThreshold, String recoveryMethod, Sampling sampling, long cloudFirstTokenDeadlineMs,
            boolean maskPii, List<String> firedRules, boolean speculativeCloudStart, boolean groundedOnly,
            Set<FactClass> factClasses, CloudRequest cloud) {
        this(profile, mode, openerWords, handoffPoint, confidenceThreshold, recoveryMethod, sampling,
                cloudFirstTokenDeadlineMs, maskPii, firedRules, speculativeCloudStart, groundedOnly, factClasses, cloud,
                null);
    }

    /** A plan that leaves the cloud request to the provider's settings. */
    public HandoffPlan(String profile, HandoffMode mode, int openerWords, HandoffPoint handoffPoint,
            double confidenceThreshold, String recoveryMethod, Sampling sampling, long cloudFirstTokenDeadlineMs,
            boolean maskPii, List<String> firedRules, boolean speculativeCloudStart, boolean groundedOnly,
            Set<FactClass> factClasses) {
        this(profile, mode, openerWords, handoffPoint, confidenceThreshold, recoveryMethod, sampling,
                cloudFirstTokenDeadlineMs, maskPii, firedRules, speculativeCloudStart, groundedOnly, factClasses,
                CloudRequest.PROVIDER_DEFAULTS);
    }

    /** A plan without a speculative cloud start and without the grounding guard. */
    public HandoffPlan(String profile, HandoffMode mode, int openerWords, HandoffPoint handoffPoint,
            double confidenceThreshold, String recoveryMethod, Sampling sampling, long cloudFirstTokenDeadlineMs,
            boolean maskPii, List<String> firedRules) {
        this(profile, mode, openerWords, handoffPoint, confidenceThreshold, recoveryMethod, sampling,
                cloudFirstTokenDeadlineMs, maskPii, firedRules, false, false, EnumSet.allOf(FactClass.class));
    }

    public HandoffPlan {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(handoffPoint, "handoffPoint");
        Objects.requireNonNull(recoveryMethod, "recoveryMethod");
        Objects.requireNonNull(sampling, "sampling");
        firedRules = List.copyOf(firedRules);
        rules = rules == null ? firedRules.stream().map(FiredRule::nameOnly).toList() : List.copyOf(rules);
        if (!rules.stream().map(FiredRule::name).toList().equals(firedRules)) {
            throw new IllegalArgumentException("the rules " + rules + " are not the fired rules " + firedRules);
        }
        Objects.requireNonNull(factClasses, "factClasses");
        cloud = cloud == null ? CloudRequest.PROVIDER_DEFAULTS : cloud;
        // in declaration order, so the plan's JSON lists them the same way every time
        factClasses = Collections.unmodifiableSet(FactClass.copyOf(factClasses));
        if (openerWords < 0) {
            throw new IllegalArgumentException("opener length must be >= 0 words, got " + openerWords);
        }
    }

    /**
     * A copy in another mode, with the reason added to the fired rules (as a decision taken outside the rules, with no
     * package) so the plan still explains itself.
     */
    public HandoffPlan withMode(HandoffMode newMode, String reason) {
        List<String> names = new ArrayList<>(firedRules);
        names.add(reason);
        List<FiredRule> withReason = new ArrayList<>(rules);
        withReason.add(FiredRule.outsideTheRules(reason));
        return new HandoffPlan(profile, newMode, newMode == HandoffMode.CLOUD_ONLY ? 0 : openerWords, handoffPoint,
                confidenceThreshold, recoveryMethod, sampling, cloudFirstTokenDeadlineMs, maskPii, names,
                speculativeCloudStart, groundedOnly, factClasses, cloud, withReason);
    }

    /** A copy with other sampling settings. */
    public HandoffPlan withSampling(Sampling newSampling) {
        return new HandoffPlan(profile, mode, openerWords, handoffPoint, confidenceThreshold, recoveryMethod,
                newSampling, cloudFirstTokenDeadlineMs, maskPii, firedRules, speculativeCloudStart, groundedOnly,
                factClasses, cloud, rules);
    }

    /** A copy whose cloud request is shaped otherwise. */
    public HandoffPlan withCloud(CloudRequest newCloud) {
        return new HandoffPlan(profile, mode, openerWords, handoffPoint, confidenceThreshold, recoveryMethod,
                sampling, cloudFirstTokenDeadlineMs, maskPii, firedRules, speculativeCloudStart, groundedOnly,
                factClasses, newCloud, rules);
    }

    /** A copy with the grounding guard on or off, for these fact classes. */
    public HandoffPlan withGrounding(boolean grounded, Set<FactClass> classes) {
        return new HandoffPlan(profile, mode, openerWords, handoffPoint, confidenceThreshold, recoveryMethod,
                sampling, cloudFirstTokenDeadlineMs, maskPii, firedRules, speculativeCloudStart, grounded, classes,
                cloud, rules);
    }
}
