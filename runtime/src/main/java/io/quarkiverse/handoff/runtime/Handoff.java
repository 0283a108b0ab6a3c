package io.quarkiverse.handoff.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkiverse.handoff.ContinuationKind;
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
import io.quarkiverse.handoff.policy.CloudRequest;
import io.quarkiverse.handoff.policy.HandoffMode;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.Sampling;
import io.quarkiverse.handoff.runtime.config.OpenerBuildConfig;
import io.quarkiverse.handoff.runtime.continuator.CloudContinuationException;
import io.quarkiverse.handoff.runtime.continuator.ContinuationGuard;
import io.quarkiverse.handoff.runtime.continuator.EmbeddedContinuator;
import io.quarkiverse.handoff.runtime.correction.CorrectionConfig;
import io.quarkiverse.handoff.runtime.correction.CorrectionDetector;
import io.quarkiverse.handoff.runtime.correction.ErrorCorrections;
import io.quarkiverse.handoff.runtime.opener.ModelException;
import io.quarkiverse.handoff.runtime.opener.WordAssembler;
import io.quarkiverse.handoff.runtime.policy.CloudConditions;
import io.quarkiverse.handoff.runtime.policy.PolicyEngine;
import io.quarkiverse.handoff.runtime.privacy.PersonalDataMask;
import io.quarkiverse.handoff.runtime.seam.Seam;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.Cancellable;

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
        HandoffPlan plan = narrowed(policy.plan(request, continuator.name()), request.limits());
        if (!openerConfig.enabled() && plan.mode() != HandoffMode.CLOUD_ONLY) {
            plan = plan.withMode(HandoffMode.CLOUD_ONLY, OPENER_DISABLED);
        }
        ErrorCorrection method = plan.mode() != HandoffMode.LOCAL_ONLY && correctionConfig.enabled()
                ? corrections.get(plan.recoveryMethod())
                : null;
        HandoffPlan chosen = plan;
        return Multi.createFrom().deferred(() -> {
            listeners.forEach(listener -> listener.onStart(request, clock));
            return new Run(request, chosen, clock, method, opener.isReady()).events();
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
        private volatile String degradedCode;
        private volatile String strategy;
        private volatile String continuatorName;
        private volatile String correction;
        private volatile int cloudAttempts;
        /** The plan's speculative answer while it may still be needed, else null. */
        private volatile Speculation speculation;
        private volatile String speculationOutcome;

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
                if (plan.speculativeCloudStart()) {
                    speculation = new Speculation(new ContinuationRequest(request.conversation(), "", plan));
                }
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
            if (speculation != null) {
                openerEvents = openerEvents.onFailure().recoverWithMulti(failure -> {
                    LOG.warnf("The opener failed (%s): the cloud takes over from the words already shown",
                            failure.toString());
                    return Multi.createFrom().empty();
                });
            }
            return Multi.createBy().concatenating().streams(openerEvents,
                    Multi.createFrom().deferred(this::afterOpener))
                    .onFailure().recoverWithItem(this::error)
                    // a cancelled or failed handoff leaves no speculative request behind (no-op once it completed)
                    .onTermination().invoke(() -> {
                        if (speculation != null) {
                            speculation.cancel();
                        }
                    });
        }

        private Multi<HandoffEvent> afterOpener() {
            clock.mark(Milestone.OPENER_DONE);
            if (openerWasReady) {
                // the planner compares this with the cloud's first-token time to decide whether an opener helps
                clock.millisAt(Milestone.OPENER_FIRST_WORD).ifPresent(conditions::recordOpenerFirstWord);
            }
            String committed = openerText.toString();
            boolean local = plan.mode() == HandoffMode.LOCAL_ONLY;
            // nothing was said: the cloud answers the question instead of continuing an empty reply
            boolean answer = !local && continuator.remote() && committed.isBlank();
            continuatorName = local ? EmbeddedContinuator.NAME : continuator.name();
            ContinuationKind kind = local ? ContinuationKind.LOCAL : answer ? ContinuationKind.ANSWER : continuator.kind();
            strategy = local || answer ? kind.strategy() : continuator.strategy();
            Speculation speculative = speculation;
            if (speculative != null) {
                speculationOutcome = answer ? DoneEvent.SPECULATION_USED : DoneEvent.SPECULATION_UNUSED;
                if (!answer) {
                    speculative.cancel();
                }
            }
            HandoffEvent handoff = new PlanEvent(plan, committed, continuatorName, clock.elapsedMillis());
            seam = new Seam(committed, Seam.Mode.of(kind));
            Multi<String> continuation;
            if (local) {
                if (conditions.isCloudReachable()) {
                    degrade(DoneEvent.LOCAL_ONLY, "a rule kept this reply on the device");
                } else {
                    degrade(DoneEvent.CLOUD_UNAVAILABLE, "the cloud is unreachable: the device finished the reply");
                }
                continuation = opener.finishLocally(request.conversation(), committed, plan);
            } else {
                if (continuator instanceof EmbeddedContinuator) {
                    degrade(DoneEvent.NO_CLOUD, "no cloud model is configured: the device finished the reply");
                }
                suspicion = answer ? Optional.empty() : detector.suspicion(openerWords);
                Optional<String> instruction = method == null || answer ? Optional.empty()
                        : Optional.of(method.instruction(new ErrorCorrection.CorrectionContext(
                                request.conversation(), committed, suspicion.orElse(null))));
                ContinuationRequest continuationRequest = new ContinuationRequest(request.conversation(), committed,
                        plan, instruction);
                continuation = speculative != null && answer ? speculative.use()
                        .onFailure().recoverWithMulti(failure -> finishLocally(committed, failure))
                        : continuator.remote() ? cloud(continuationRequest, committed)
                                : continuator.continueReply(continuationRequest)
                                        .onFailure().recoverWithMulti(failure -> finishLocally(committed, failure));
            }
            Multi<HandoffEvent> deltas = continuation
                    .onItem().transformToIterable(delta -> emit(seam.accept(delta)))
                    .onCompletion().continueWith(this::endOfContinuation);
            return Multi.createBy().concatenating().streams(Multi.createFrom().item(handoff), deltas,
                    Multi.createFrom().deferred(() -> Multi.createFrom().item(done())));
        }

        /**
         * The continuation ended: what the seam still held, and, when the model pivoted and then said nothing, the
         * correction method's sentence for that, so that the reply does not end on the opener it found wrong.
         */
        private List<HandoffEvent> endOfContinuation() {
            List<HandoffEvent> events = new ArrayList<>(emit(seam.finish()));
            if (seam.endsWithMarker()) {
                String shown = openerText.toString() + continuationText;
                String ending = method == null ? ErrorCorrection.UNANSWERED_PIVOT : method.unansweredPivot();
                // one space before the ending: the one the model sent before its marker, if it passed, or a new one
                String joint = WordAssembler.endsSentence(shown) ? " " : "\u2026 ";
                if (!shown.isEmpty() && Character.isWhitespace(shown.charAt(shown.length() - 1))) {
                    joint = joint.stripLeading();
                }
                events.addAll(emit(joint + ending));
                degrade(DoneEvent.PIVOT_UNANSWERED, "the cloud found the opener wrong and gave no answer after it");
            }
            return events;
        }

        /** The events for text that passed the seam: a correction when the seam just saw the pivot, then the text. */
        private List<HandoffEvent> emit(String text) {
            List<HandoffEvent> out = new ArrayList<>(2);
            if (correction == null && method != null && (seam.pivoted() || seam.pivotedInProse())) {
                correction = method.method();
                out.add(new CorrectionEvent(correction, detector.reason(suspicion, seam.pivoted()),
                        clock.elapsedMillis()));
            }
            if (!text.isEmpty()) {
                out.add(delta(text));
            }
            return out;
        }

        /**
         * Streams the cloud's continuation. When the plan masks personal data, the request leaves with placeholders and
         * the reply is restored before the seam, so the seam and the user only ever see the real values.
         */
        private Multi<String> cloud(ContinuationRequest continuationRequest, String committed) {
            Outgoing outgoing = outgoing(continuationRequest);
            Multi<String> deltas = guarded(outgoing, attempt -> {
                cloudAttempts = attempt;
                clock.mark(Milestone.CLOUD_REQUEST_SENT);
            })
                    .onItem().invoke(this::firstCloudToken);
            return outgoing.restore(deltas).onFailure().recoverWithMulti(failure -> finishLocally(committed, failure));
        }

        /** The outgoing request streamed through the guard, under the plan's first-token deadline. */
        private Multi<String> guarded(Outgoing outgoing, ContinuationGuard.Listener listener) {
            Duration deadline = Duration.ofMillis(Math.max(1, plan.cloudFirstTokenDeadlineMs()));
            return guard.stream(() -> continuator.continueReply(outgoing.request()), deadline, listener);
        }

        /**
         * The request as it leaves the device: when the plan masks personal data, with placeholders, and a restorer
         * that puts the values back into the reply before the seam, so the seam and the user only see real values.
         */
        private Outgoing outgoing(ContinuationRequest continuationRequest) {
            if (!plan.maskPii()) {
                return new Outgoing(continuationRequest, null);
            }
            PersonalDataMask.MaskedRequest masked = PersonalDataMask.mask(continuationRequest);
            return new Outgoing(masked.request(), masked.mask().restorer());
        }

        private void firstCloudToken(String delta) {
            if (!clock.isMarked(Milestone.CLOUD_FIRST_TOKEN)) {
                clock.mark(Milestone.CLOUD_FIRST_TOKEN);
                clock.millisBetween(Milestone.CLOUD_REQUEST_SENT, Milestone.CLOUD_FIRST_TOKEN)
                        .ifPresent(ms -> conditions.recordCloudFirstToken(continuator.name(), ms));
            }
        }

        private Multi<String> finishLocally(String committed, Throwable failure) {
            CloudContinuationException named = CloudContinuationException.of(failure,
                    clock.isMarked(Milestone.CLOUD_FIRST_TOKEN));
            if (named.kind() == CloudContinuationException.Kind.CONVERSATION_TOO_LONG) {
                // the request's fault, not the cloud's: a local finish would answer a conversation cut to fit
                return Multi.createFrom().failure(named);
            }
            if (named.kind() == CloudContinuationException.Kind.FIRST_TOKEN_TIMEOUT) {
                // the cloud took at least the deadline: without this the estimate would only ever learn from the
                // answers that came in time, and the policy would never see the cloud slowing down
                conditions.recordCloudFirstToken(continuator.name(), plan.cloudFirstTokenDeadlineMs());
            }
            degrade(named.code(), named.getMessage());
            // once, without a stack trace: the code and the underlying detail say what happened
            LOG.warnf("The continuator %s failed (%s: %s): finishing the reply on the device", continuator.name(),
                    named.code(), named.detail());
            if (LOG.isDebugEnabled()) {
                LOG.debugf(failure, "The continuator %s failed", continuator.name());
            }
            strategy = ContinuationKind.LOCAL.strategy();
            String shown = committed + continuationText;
            // text the seam still held never reached the user: join the local finish to what did
            seam = new Seam(shown);
            return opener.finishLocally(request.conversation(), shown, plan);
        }

        /** The device finishes the reply alone: {@code done} says so, why as a code and for people. */
        private void degrade(String code, String reason) {
            degraded = true;
            degradedCode = code;
            degradedReason = reason;
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
                    DoneEvent.SPECULATION_USED.equals(speculationOutcome) ? speculation.attempts : cloudAttempts,
                    speculationOutcome, degradedCode);
        }

        /**
         * The speculative cloud start: a plain answer requested when the handoff starts, under the same guard as every
         * cloud call, its text held until the opener decides whether it is needed.
         */
        private final class Speculation {
            private final UnicastProcessor<String> held = UnicastProcessor.create();
            private final Cancellable request;
            private final Outgoing outgoing;
            private volatile boolean used;
            private volatile int attempts;
            private volatile long sentNanos = -1;
            private volatile long firstTokenNanos = -1;

            Speculation(ContinuationRequest answer) {
                outgoing = outgoing(answer);
                request = guarded(outgoing, attempt -> {
                    attempts = attempt;
                    if (sentNanos < 0) {
                        sentNanos = clock.elapsedNanos();
                        markIfUsed();
                    }
                })
                        .onItem().invoke(delta -> {
                            if (firstTokenNanos < 0) {
                                firstTokenNanos = clock.elapsedNanos();
                                markIfUsed();
                                // an answer's first token measures the cloud as well as a continuation's, used or not
                                conditions.recordCloudFirstToken(continuator.name(),
                                        HandoffClock.toMillis(firstTokenNanos - sentNanos));
                            }
                        })
                        .subscribe().with(held::onNext, held::onError, held::onComplete);
            }

            /** The opener committed words, or the handoff ended: the answer is not needed. */
            void cancel() {
                if (!used) {
                    request.cancel();
                }
            }

            /** The answer becomes the reply: its request and first token are the handoff's cloud timings. */
            Multi<String> use() {
                used = true;
                markIfUsed();
                return outgoing.restore(held.onCancellation().invoke(request::cancel));
            }

            private void markIfUsed() {
                if (!used) {
                    return;
                }
                if (sentNanos >= 0) {
                    clock.markAt(Milestone.CLOUD_REQUEST_SENT, sentNanos);
                }
                if (firstTokenNanos >= 0) {
                    clock.markAt(Milestone.CLOUD_FIRST_TOKEN, firstTokenNanos);
                }
            }
        }

        /** A request ready to leave the device and how to restore what comes back (null: nothing was masked). */
        private record Outgoing(ContinuationRequest request, PersonalDataMask.Restorer restorer) {
            Multi<String> restore(Multi<String> deltas) {
                return restorer == null ? deltas
                        : deltas.onItem().transform(restorer::accept)
                                .onCompletion().continueWith(() -> List.of(restorer.finish()));
            }
        }

        private HandoffEvent error(Throwable failure) {
            return Handoff.error(failure, clock.elapsedMillis());
        }
    }

    /**
     * The error event a failed handoff ends with: a code and a message for people, never an exception class or an
     * internal address. Only a fault of the service itself is logged with its stack trace.
     */
    static ErrorEvent error(Throwable failure, double ms) {
        if (failure instanceof CloudContinuationException tooLong
                && tooLong.kind() == CloudContinuationException.Kind.CONVERSATION_TOO_LONG) {
            LOG.warnf("The cloud refused the conversation as too long (%s)", tooLong.detail());
            return new ErrorEvent(ErrorEvent.CONVERSATION_TOO_LONG, tooLong.getMessage(), ms);
        }
        if (failure instanceof ModelException model) {
            LOG.warnf("The handoff cannot run: %s", model.getMessage());
            return new ErrorEvent(ErrorEvent.OPENER_UNAVAILABLE,
                    "the on-device opener model cannot be used: the service log says why", ms);
        }
        LOG.errorf(failure, "Handoff failed");
        return new ErrorEvent(ErrorEvent.HANDOFF_FAILED,
                "the handoff failed on the device: the service log has the details", ms);
    }
}
