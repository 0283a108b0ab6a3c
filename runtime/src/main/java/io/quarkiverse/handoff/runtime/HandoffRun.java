package io.quarkiverse.handoff.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.quarkiverse.handoff.ContinuationKind;
import io.quarkiverse.handoff.ContinuationRequest;
import io.quarkiverse.handoff.Continuator;
import io.quarkiverse.handoff.ErrorCorrection;
import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.HandoffClock.Milestone;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.Opener;
import io.quarkiverse.handoff.OpenerRequest;
import io.quarkiverse.handoff.OpenerStop;
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
import io.quarkiverse.handoff.runtime.continuator.CloudContinuationException;
import io.quarkiverse.handoff.runtime.continuator.ContinuationGuard;
import io.quarkiverse.handoff.runtime.continuator.EmbeddedContinuator;
import io.quarkiverse.handoff.runtime.correction.CorrectionDetector;
import io.quarkiverse.handoff.runtime.opener.ModelException;
import io.quarkiverse.handoff.runtime.opener.WordAssembler;
import io.quarkiverse.handoff.runtime.policy.CloudConditions;
import io.quarkiverse.handoff.runtime.seam.Seam;
import io.smallrye.mutiny.Multi;

/**
 * One handoff while its stream runs: the opener's words, then the plan, the continuation through the seam, and
 * {@code done} (or {@code error}). Stages run one after the other, never concurrently.
 */
final class HandoffRun {

    // the category docs/recovery.md names for the continuator's failures
    private static final Logger LOG = Logger.getLogger(Handoff.class);

    private final HandoffRequest request;
    private final HandoffPlan plan;
    private final HandoffClock clock;
    private final ErrorCorrection method;
    /** Whether the opener's model was loaded when the handoff started, so its timing is representative. */
    private final boolean openerWasReady;
    private final Duration cloudFirstTokenDeadline;

    private final Opener opener;
    private final Continuator continuator;
    private final CloudConditions conditions;
    private final ContinuationGuard guard;
    private final CorrectionDetector detector;

    private final DoneReport report = new DoneReport();
    private final List<OpenerWord> openerWords = new ArrayList<>();
    private volatile SpeculativeStart speculation;
    private volatile Seam seam;
    private volatile Optional<String> suspicion = Optional.empty();

    /** A run of the handoff planned as {@code plan}, with the collaborators of {@code handoff}. */
    HandoffRun(Handoff handoff, HandoffRequest request, HandoffPlan plan, HandoffClock clock, ErrorCorrection method) {
        this.request = request;
        this.plan = plan;
        this.clock = clock;
        this.method = method;
        this.opener = handoff.opener;
        this.continuator = handoff.continuator;
        this.conditions = handoff.conditions;
        this.guard = handoff.guard;
        this.detector = handoff.detector;
        this.openerWasReady = opener.isReady();
        this.cloudFirstTokenDeadline = Duration.ofMillis(Math.max(1, plan.cloudFirstTokenDeadlineMs()));
    }

    Multi<HandoffEvent> events() {
        if (plan.mode() == HandoffMode.HYBRID && continuator.remote()) {
            // the cloud will be needed once the opener commits: open the connection while the opener speaks
            continuator.prewarm();
            if (plan.speculativeCloudStart()) {
                Outgoing answer = Outgoing.of(new ContinuationRequest(request.conversation(), "", plan));
                speculation = new SpeculativeStart(answer, continuator, guard, cloudFirstTokenDeadline, conditions,
                        clock);
            }
        }
        Multi<HandoffEvent> openerEvents = plan.mode() == HandoffMode.CLOUD_ONLY
                ? Multi.createFrom().empty()
                : opener.open(new OpenerRequest(request.conversation(), plan, clock, stop -> report.openerStop = stop))
                        .onItem().transform(word -> {
                            report.opener.append(word.text());
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
        String committed = report.opener.toString();
        boolean local = plan.mode() == HandoffMode.LOCAL_ONLY;
        // nothing was said: the cloud answers the question instead of continuing an empty reply
        boolean answer = !local && continuator.remote() && committed.isBlank();
        report.continuator = local ? EmbeddedContinuator.NAME : continuator.name();
        ContinuationKind kind = local ? ContinuationKind.LOCAL : answer ? ContinuationKind.ANSWER : continuator.kind();
        report.strategy = local || answer ? kind.strategy() : continuator.strategy();
        SpeculativeStart speculative = speculation;
        if (speculative != null) {
            report.speculation = answer ? DoneEvent.SPECULATION_USED : DoneEvent.SPECULATION_UNUSED;
            if (!answer) {
                speculative.cancel();
            }
        }
        HandoffEvent handoff = new PlanEvent(plan, committed, report.continuator, clock.elapsedMillis());
        seam = new Seam(committed, Seam.Mode.of(kind));
        Multi<String> continuation;
        if (local) {
            if (conditions.isCloudReachable()) {
                report.degrade(DoneEvent.LOCAL_ONLY, "a rule kept this reply on the device");
            } else {
                report.degrade(DoneEvent.CLOUD_UNAVAILABLE, "the cloud is unreachable: the device finished the reply");
            }
            continuation = opener.finishLocally(request.conversation(), committed, plan);
        } else {
            if (continuator instanceof EmbeddedContinuator) {
                report.degrade(DoneEvent.NO_CLOUD, "no cloud model is configured: the device finished the reply");
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
     * Streams the cloud's continuation. When the plan masks personal data, the request leaves with placeholders and the
     * reply is restored before the seam, so the seam and the user only ever see the real values.
     */
    private Multi<String> cloud(ContinuationRequest continuationRequest, String committed) {
        Outgoing outgoing = Outgoing.of(continuationRequest);
        Multi<String> deltas = guard.stream(() -> continuator.continueReply(outgoing.request()),
                cloudFirstTokenDeadline, attempt -> {
                    report.cloudAttempts = attempt;
                    clock.mark(Milestone.CLOUD_REQUEST_SENT);
                })
                .onItem().invoke(this::firstCloudToken);
        return outgoing.restore(deltas).onFailure().recoverWithMulti(failure -> finishLocally(committed, failure));
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
        report.degrade(named.code(), named.getMessage());
        // once, without a stack trace: the code and the underlying detail say what happened
        LOG.warnf("The continuator %s failed (%s: %s): finishing the reply on the device", continuator.name(),
                named.code(), named.detail());
        if (LOG.isDebugEnabled()) {
            LOG.debugf(failure, "The continuator %s failed", continuator.name());
        }
        report.strategy = ContinuationKind.LOCAL.strategy();
        String shown = committed + report.continuation;
        // text the seam still held never reached the user: join the local finish to what did
        seam = new Seam(shown);
        return opener.finishLocally(request.conversation(), shown, plan);
    }

    /**
     * The continuation ended: what the seam still held, and, when the model pivoted and then said nothing, the
     * correction method's sentence for that, so that the reply does not end on the opener it found wrong.
     */
    private List<HandoffEvent> endOfContinuation() {
        List<HandoffEvent> events = new ArrayList<>(emit(seam.finish()));
        if (seam.endsWithMarker()) {
            String shown = report.opener.toString() + report.continuation;
            String ending = method == null ? ErrorCorrection.UNANSWERED_PIVOT : method.unansweredPivot();
            // one space before the ending: the one the model sent before its marker, if it passed, or a new one
            String joint = WordAssembler.endsSentence(shown) ? " " : "\u2026 ";
            if (!shown.isEmpty() && Character.isWhitespace(shown.charAt(shown.length() - 1))) {
                joint = joint.stripLeading();
            }
            events.addAll(emit(joint + ending));
            report.degrade(DoneEvent.PIVOT_UNANSWERED, "the cloud found the opener wrong and gave no answer after it");
        }
        return events;
    }

    /** The events for text that passed the seam: a correction when the seam just saw the pivot, then the text. */
    private List<HandoffEvent> emit(String text) {
        List<HandoffEvent> out = new ArrayList<>(2);
        if (report.correction == null && method != null && (seam.pivoted() || seam.pivotedInProse())) {
            report.correction = method.method();
            out.add(new CorrectionEvent(report.correction, detector.reason(suspicion, seam.pivoted()),
                    clock.elapsedMillis()));
        }
        if (!text.isEmpty()) {
            out.add(delta(text));
        }
        return out;
    }

    private HandoffEvent delta(String text) {
        clock.mark(Milestone.CONTINUATION_FIRST_DELTA);
        report.continuation.append(text);
        return new ContinuationEvent(text, clock.elapsedMillis());
    }

    private HandoffEvent done() {
        clock.mark(Milestone.DONE);
        String openerText = report.opener.toString();
        String continuationText = report.continuation.toString();
        return DoneEvent.builder()
                .text(openerText + continuationText)
                .opener(openerText)
                .continuation(continuationText)
                .strategy(report.strategy)
                .continuator(report.continuator)
                .degraded(report.degradedCode != null)
                .correction(report.correction)
                .timings(Timings.of(clock))
                .ms(clock.elapsedMillis())
                .degradedReason(report.degradedReason)
                .cloudAttempts(DoneEvent.SPECULATION_USED.equals(report.speculation) ? speculation.attempts()
                        : report.cloudAttempts)
                .speculation(report.speculation)
                .degradedCode(report.degradedCode)
                .openerStop(report.openerStop)
                .build();
    }

    /**
     * The error event a failed handoff ends with: a code and a message for people, never an exception class or an
     * internal address. Only a fault of the service itself is logged with its stack trace.
     */
    private HandoffEvent error(Throwable failure) {
        double ms = clock.elapsedMillis();
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

    /** What the {@code done} event reports, gathered while the handoff runs. */
    private static final class DoneReport {
        /** The committed opener, word by word. */
        final StringBuilder opener = new StringBuilder();
        /** The continuation as it passed the seam. */
        final StringBuilder continuation = new StringBuilder();
        volatile String continuator;
        volatile String strategy;
        volatile String correction;
        volatile int cloudAttempts;
        volatile String speculation;
        /** Why the device finished the reply alone, as a code and for people; null while it was not degraded. */
        volatile String degradedCode;
        volatile String degradedReason;
        /** Where and why the opener stopped, as it reported it; null until then, or when it does not report it. */
        volatile OpenerStop openerStop;

        /** The device finishes the reply alone: {@code done} says so, why as a code and for people. */
        void degrade(String code, String reason) {
            degradedCode = code;
            degradedReason = reason;
        }
    }
}
