package io.quarkiverse.handoff.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import dev.langchain4j.exception.HttpException;
import io.quarkiverse.handoff.ContinuationRequest;
import io.quarkiverse.handoff.Continuator;
import io.quarkiverse.handoff.ErrorCorrection;
import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.HandoffClock.Milestone;
import io.quarkiverse.handoff.HandoffListener;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.Opener;
import io.quarkiverse.handoff.OpenerRequest;
import io.quarkiverse.handoff.OpenerWord;
import io.quarkiverse.handoff.event.ContinuationEvent;
import io.quarkiverse.handoff.event.CorrectionEvent;
import io.quarkiverse.handoff.event.DoneEvent;
import io.quarkiverse.handoff.event.ErrorEvent;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.event.OpenerEvent;
import io.quarkiverse.handoff.event.PlanEvent;
import io.quarkiverse.handoff.event.Timings;
import io.quarkiverse.handoff.policy.HandoffMode;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.runtime.config.OpenerBuildConfig;
import io.quarkiverse.handoff.runtime.continuator.CloudContinuationException;
import io.quarkiverse.handoff.runtime.continuator.ContinuationGuard;
import io.quarkiverse.handoff.runtime.continuator.ContinuationStrategy;
import io.quarkiverse.handoff.runtime.continuator.EmbeddedContinuator;
import io.quarkiverse.handoff.runtime.correction.CorrectionConfig;
import io.quarkiverse.handoff.runtime.correction.CorrectionDetector;
import io.quarkiverse.handoff.runtime.correction.ErrorCorrections;
import io.quarkiverse.handoff.runtime.policy.CloudConditions;
import io.quarkiverse.handoff.runtime.policy.PolicyEngine;
import io.quarkiverse.handoff.runtime.seam.Seam;
import io.smallrye.mutiny.Multi;

/**
 * Runs handoffs: the policy plans, the on-device opener writes the first words, the continuator continues the reply
 * mid-sentence, the seam joins the two. Inject it and call {@link #run(HandoffRequest)}.
 * <p>
 * One handoff is one {@link Multi} of events, from the first opener word to {@code done}; nothing blocks the caller's
 * thread, and cancelling the stream stops the opener's decoding and cancels the cloud request. The cloud call goes
 * through the {@link ContinuationGuard} (first-token deadline, idle timeout, retry before the first token, circuit
 * breaker); whenever the cloud fails, the reply is finished on the device and marked degraded.
 */
@ApplicationScoped
public class Handoff {

    private static final Logger LOG = Logger.getLogger(Handoff.class);

    @Inject
    Opener opener;

    @Inject
    Continuator continuator;

    @Inject
    PolicyEngine policy;

    @Inject
    CloudConditions conditions;

    @Inject
    OpenerBuildConfig openerConfig;

    @Inject
    ContinuationGuard guard;

    @Inject
    ErrorCorrections corrections;

    @Inject
    CorrectionDetector detector;

    @Inject
    CorrectionConfig correctionConfig;

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
        HandoffPlan plan = policy.plan(request, continuator.name());
        if (!openerConfig.enabled() && plan.mode() != HandoffMode.CLOUD_ONLY) {
            plan = plan.withMode(HandoffMode.CLOUD_ONLY, OPENER_DISABLED);
        }
        ErrorCorrection method = plan.mode() != HandoffMode.LOCAL_ONLY && correctionConfig.enabled()
                ? corrections.get(plan.recoveryMethod())
                : null;
        HandoffPlan chosen = plan;
        return Multi.createFrom().deferred(() -> new Run(request, chosen, clock, method, opener.isReady()).events())
                .onItem().invoke(event -> listeners.forEach(listener -> listener.onEvent(request, event)));
    }

    /** The state of one handoff while its stream runs. Stages run one after the other, never concurrently. */
    private final class Run {
        private final HandoffRequest request;
        private final HandoffPlan plan;
        private final HandoffClock clock;
        private final ErrorCorrection method;
        /** Whether the opener's model was loaded when the handoff started, so its timing is representative. */
        private final boolean openerWasReady;
        private final StringBuilder openerText = new StringBuilder();
        private final List<OpenerWord> openerWords = new ArrayList<>();
        private final StringBuilder continuationText = new StringBuilder();
        private volatile Seam seam;
        private volatile Optional<String> suspicion = Optional.empty();
        private volatile boolean degraded;
        private volatile String degradedReason;
        private volatile String strategy;
        private volatile String continuatorName;
        private volatile String correction;
        private volatile int cloudAttempts;

        Run(HandoffRequest request, HandoffPlan plan, HandoffClock clock, ErrorCorrection method,
                boolean openerWasReady) {
            this.request = request;
            this.plan = plan;
            this.clock = clock;
            this.method = method;
            this.openerWasReady = openerWasReady;
        }

        Multi<HandoffEvent> events() {
            if (plan.mode() == HandoffMode.HYBRID && continuator.remote()) {
                // the cloud will be needed once the opener commits: open the connection while the opener speaks
                continuator.prewarm();
            }
            Multi<HandoffEvent> openerEvents = plan.mode() == HandoffMode.CLOUD_ONLY
                    ? Multi.createFrom().empty()
                    : opener.open(new OpenerRequest(request.conversation(), plan, clock))
                            .onItem().transform(word -> {
                                openerText.append(word.text());
                                openerWords.add(word);
                                return (HandoffEvent) new OpenerEvent(word.index(), word.text(), word.confidence(),
                                        HandoffClock.toMillis(word.nanosSinceStart()));
                            });
            return Multi.createBy().concatenating().streams(openerEvents,
                    Multi.createFrom().deferred(this::afterOpener))
                    .onFailure().recoverWithItem(this::error);
        }

        private Multi<HandoffEvent> afterOpener() {
            clock.mark(Milestone.OPENER_DONE);
            if (openerWasReady) {
                // the planner compares this with the cloud's first-token time to decide whether an opener helps
                clock.millisAt(Milestone.OPENER_FIRST_WORD).ifPresent(conditions::recordOpenerFirstWord);
            }
            String committed = openerText.toString();
            boolean local = plan.mode() == HandoffMode.LOCAL_ONLY;
            continuatorName = local ? EmbeddedContinuator.NAME : continuator.name();
            strategy = local ? EmbeddedContinuator.LOCAL : continuator.strategy();
            HandoffEvent handoff = new PlanEvent(plan, committed, continuatorName, clock.elapsedMillis());
            seam = new Seam(committed, seamMode(strategy));
            Multi<String> continuation;
            if (local) {
                continuation = opener.finishLocally(request.conversation(), committed, plan);
            } else {
                suspicion = detector.suspicion(openerWords);
                Optional<String> instruction = method == null ? Optional.empty()
                        : Optional.of(method.instruction(new ErrorCorrection.CorrectionContext(
                                request.conversation(), committed, suspicion.orElse(null))));
                ContinuationRequest continuationRequest = new ContinuationRequest(request.conversation(), committed,
                        plan, instruction);
                continuation = continuator.remote() ? cloud(continuationRequest)
                        : continuator.continueReply(continuationRequest)
                                .onFailure().recoverWithMulti(failure -> finishLocally(committed, failure));
            }
            Multi<HandoffEvent> deltas = continuation
                    .onItem().transformToIterable(delta -> emit(seam.accept(delta)))
                    .onCompletion().continueWith(() -> emit(seam.finish()));
            return Multi.createBy().concatenating().streams(Multi.createFrom().item(handoff), deltas,
                    Multi.createFrom().deferred(() -> Multi.createFrom().item(done())));
        }

        private Seam.Mode seamMode(String strategyName) {
            if (ContinuationStrategy.PREFILL.wireName().equals(strategyName)) {
                return Seam.Mode.LITERAL;
            }
            if (ContinuationStrategy.SPLICE.wireName().equals(strategyName)) {
                return Seam.Mode.SPLICE;
            }
            return Seam.Mode.CONTINUATION;
        }

        /** The events for text that passed the seam: a correction when the seam just saw the pivot, then the text. */
        private List<HandoffEvent> emit(String text) {
            List<HandoffEvent> out = new ArrayList<>(2);
            if (correction == null && method != null && seam.pivoted()) {
                correction = method.method();
                out.add(new CorrectionEvent(correction, detector.reason(suspicion), clock.elapsedMillis()));
            }
            if (!text.isEmpty()) {
                out.add(delta(text));
            }
            return out;
        }

        private Multi<String> cloud(ContinuationRequest continuationRequest) {
            Duration deadline = Duration.ofMillis(Math.max(1, plan.cloudFirstTokenDeadlineMs()));
            return guard.stream(() -> continuator.continueReply(continuationRequest), deadline, attempt -> {
                cloudAttempts = attempt;
                clock.mark(Milestone.CLOUD_REQUEST_SENT);
            })
                    .onItem().invoke(this::firstCloudToken)
                    .onFailure().recoverWithMulti(failure -> finishLocally(continuationRequest.committedOpener(),
                            failure));
        }

        private void firstCloudToken(String delta) {
            if (!clock.isMarked(Milestone.CLOUD_FIRST_TOKEN)) {
                clock.mark(Milestone.CLOUD_FIRST_TOKEN);
                clock.millisBetween(Milestone.CLOUD_REQUEST_SENT, Milestone.CLOUD_FIRST_TOKEN)
                        .ifPresent(ms -> conditions.recordCloudFirstToken(continuator.name(), ms));
            }
        }

        private Multi<String> finishLocally(String committed, Throwable failure) {
            degradedReason = describe(failure);
            LOG.warnf("The continuator %s failed (%s): finishing the reply on the device", continuator.name(),
                    degradedReason);
            degraded = true;
            strategy = EmbeddedContinuator.LOCAL;
            String shown = committed + continuationText;
            // text the seam still held never reached the user: join the local finish to what did
            seam = new Seam(shown);
            return opener.finishLocally(request.conversation(), shown, plan);
        }

        private HandoffEvent delta(String text) {
            clock.mark(Milestone.CONTINUATION_FIRST_DELTA);
            continuationText.append(text);
            return new ContinuationEvent(text, clock.elapsedMillis());
        }

        private HandoffEvent done() {
            clock.mark(Milestone.DONE);
            String openerString = openerText.toString();
            String continuationString = continuationText.toString();
            return new DoneEvent(openerString + continuationString, openerString, continuationString, strategy,
                    continuatorName, degraded, correction, Timings.of(clock), clock.elapsedMillis(), degradedReason,
                    cloudAttempts);
        }

        private HandoffEvent error(Throwable failure) {
            LOG.errorf(failure, "Handoff failed");
            String message = failure.getMessage() != null ? failure.getMessage() : failure.toString();
            return new ErrorEvent("handoff-failed", message, clock.elapsedMillis());
        }
    }

    /** Why the cloud failed, for the done event and the log. */
    static String describe(Throwable failure) {
        if (failure instanceof CloudContinuationException) {
            return failure.getMessage();
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return "the cloud's circuit breaker is open after repeated failures";
        }
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof HttpException http) {
                return "the cloud answered HTTP " + http.statusCode();
            }
        }
        String message = failure.getMessage();
        return "the cloud request failed: " + (message == null || message.isBlank() ? failure.getClass().getName()
                : failure.getClass().getSimpleName() + ": " + message);
    }
}
