package io.quarkiverse.handoff.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import io.quarkiverse.handoff.Continuator;
import io.quarkiverse.handoff.ErrorCorrection;
import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.HandoffListener;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.Opener;
import io.quarkiverse.handoff.event.ErrorEvent;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.policy.CloudRequest;
import io.quarkiverse.handoff.policy.HandoffMode;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.Sampling;
import io.quarkiverse.handoff.runtime.config.HandoffBuildConfig;
import io.quarkiverse.handoff.runtime.config.HandoffRuntimeConfig;
import io.quarkiverse.handoff.runtime.continuator.CloudContinuationException;
import io.quarkiverse.handoff.runtime.continuator.ContinuationGuard;
import io.quarkiverse.handoff.runtime.correction.CorrectionDetector;
import io.quarkiverse.handoff.runtime.correction.ErrorCorrections;
import io.quarkiverse.handoff.runtime.policy.CloudConditions;
import io.quarkiverse.handoff.runtime.policy.PolicyEngine;
import io.smallrye.mutiny.Multi;

/**
 * Runs handoffs: the policy plans, the on-device opener writes the first words, the continuator continues the reply
 * mid-sentence, the seam joins the two. Inject it and call {@link #run(HandoffRequest)}.
 * <p>
 * One handoff is one {@link Multi} of events, from the first opener word to {@code done}; nothing blocks the caller's
 * thread, and cancelling the stream stops the opener's decoding and cancels the cloud request. The cloud call goes
 * through the {@link ContinuationGuard} (first-token deadline, idle timeout, retry before the first token, circuit
 * breaker); whenever the cloud fails, the reply is finished on the device and marked degraded, with the failure's
 * {@link CloudContinuationException.Kind code}. Only a conversation the cloud refuses as too long ends the handoff with
 * an {@link ErrorEvent error} instead: no reply written on the device would answer it.
 * <p>
 * When the plan asks for a {@link HandoffPlan#speculativeCloudStart() speculative cloud start}, a plain answer is
 * requested from the cloud as the handoff starts: it becomes the reply when the opener ends up empty (or fails before
 * its first word), and is cancelled the moment the opener commits words.
 */
@ApplicationScoped
public class Handoff {

    @Inject
    Opener opener;

    @Inject
    Continuator continuator;

    @Inject
    PolicyEngine policy;

    @Inject
    CloudConditions conditions;

    @Inject
    HandoffBuildConfig buildConfig;

    @Inject
    ContinuationGuard guard;

    @Inject
    ErrorCorrections corrections;

    @Inject
    CorrectionDetector detector;

    @Inject
    HandoffRuntimeConfig config;

    @Inject
    @Any
    Instance<HandoffListener> listeners;

    /** Reported among the fired rules when the plan is overridden because there is no on-device opener. */
    static final String OPENER_DISABLED = "No on-device opener (quarkus.handoff.opener.enabled=false): cloud only";

    /**
     * Plans the handoff now (so a bad request, such as an unknown profile, fails here with an
     * {@link IllegalArgumentException}, and a plan naming an unknown recovery method with an
     * {@link IllegalStateException}) and returns its stream of events, which starts when subscribed.
     */
    public Multi<HandoffEvent> run(HandoffRequest request) {
        HandoffClock clock = HandoffClock.start();
        HandoffPlan plan = narrowed(policy.plan(request, continuator.name()), request.limits());
        if (!buildConfig.opener().enabled() && plan.mode() != HandoffMode.CLOUD_ONLY) {
            plan = plan.withMode(HandoffMode.CLOUD_ONLY, OPENER_DISABLED);
        }
        ErrorCorrection method = plan.mode() != HandoffMode.LOCAL_ONLY && config.correction().enabled()
                ? corrections.get(plan.recoveryMethod())
                : null;
        HandoffPlan chosen = plan;
        return Multi.createFrom().deferred(() -> {
            listeners.forEach(listener -> listener.onStart(request, clock));
            return new HandoffRun(this, request, chosen, clock, method).events();
        })
                .onItem().invoke(event -> listeners.forEach(listener -> listener.onEvent(request, event)));
    }

    /**
     * The plan narrowed by what the caller asked of the reply: the cloud request by its token limit, temperature and
     * stop sequences, the opener's sampling by its temperature (never raised above the plan's).
     */
    static HandoffPlan narrowed(HandoffPlan plan, CloudRequest limits) {
        HandoffPlan narrowed = plan.withCloud(plan.cloud().narrowedBy(limits));
        Double temperature = limits.temperature();
        Sampling sampling = plan.sampling();
        if (temperature != null && temperature < sampling.temperature()) {
            narrowed = narrowed.withSampling(new Sampling(temperature, sampling.topP(), sampling.topK(),
                    sampling.repetitionPenalty(), sampling.seed()));
        }
        return narrowed;
    }
}
