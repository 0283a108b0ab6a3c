package io.quarkiverse.handoff.runtime;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkiverse.handoff.ContinuationRequest;
import io.quarkiverse.handoff.Continuator;
import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.HandoffClock.Milestone;
import io.quarkiverse.handoff.HandoffListener;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.Opener;
import io.quarkiverse.handoff.OpenerRequest;
import io.quarkiverse.handoff.event.ContinuationEvent;
import io.quarkiverse.handoff.event.DoneEvent;
import io.quarkiverse.handoff.event.ErrorEvent;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.event.OpenerEvent;
import io.quarkiverse.handoff.event.PlanEvent;
import io.quarkiverse.handoff.event.Timings;
import io.quarkiverse.handoff.policy.HandoffMode;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.runtime.config.OpenerBuildConfig;
import io.quarkiverse.handoff.runtime.continuator.EmbeddedContinuator;
import io.quarkiverse.handoff.runtime.policy.CloudConditions;
import io.quarkiverse.handoff.runtime.policy.PolicyEngine;
import io.quarkiverse.handoff.runtime.seam.Seam;
import io.smallrye.mutiny.Multi;

/**
 * Runs handoffs: the policy plans, the on-device opener writes the first words, the continuator continues the reply
 * mid-sentence, the seam joins the two. Inject it and call {@link #run(HandoffRequest)}.
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

    private final java.util.List<HandoffListener> listeners;

    @Inject
    Handoff(@Any Instance<HandoffListener> listeners) {
        this.listeners = listeners.stream().toList();
    }

    /** Reported among the fired rules when the plan is overridden because there is no on-device opener. */
    static final String OPENER_DISABLED = "No on-device opener (quarkus.handoff.opener.enabled=false): cloud only";

    /**
     * Plans the handoff now (so a bad request, such as an unknown profile, fails here with an
     * {@link IllegalArgumentException}) and returns its stream of events, which starts when subscribed.
     */
    public Multi<HandoffEvent> run(HandoffRequest request) {
        HandoffClock clock = HandoffClock.start();
        HandoffPlan plan = policy.plan(request, continuator.name());
        if (!openerConfig.enabled() && plan.mode() != HandoffMode.CLOUD_ONLY) {
            plan = plan.withMode(HandoffMode.CLOUD_ONLY, OPENER_DISABLED);
        }
        HandoffPlan chosen = plan;
        return Multi.createFrom().deferred(() -> new Run(request, chosen, clock).events())
                .onItem().invoke(event -> listeners.forEach(listener -> listener.onEvent(request, event)));
    }

    /** The state of one handoff while its stream runs. Stages run one after the other, never concurrently. */
    private final class Run {
        private final HandoffRequest request;
        private final HandoffPlan plan;
        private final HandoffClock clock;
        private final StringBuilder openerText = new StringBuilder();
        private final StringBuilder continuationText = new StringBuilder();
        private volatile boolean degraded;
        private volatile String strategy;
        private volatile String continuatorName;

        Run(HandoffRequest request, HandoffPlan plan, HandoffClock clock) {
            this.request = request;
            this.plan = plan;
            this.clock = clock;
        }

        Multi<HandoffEvent> events() {
            Multi<HandoffEvent> openerEvents = plan.mode() == HandoffMode.CLOUD_ONLY
                    ? Multi.createFrom().empty()
                    : opener.open(new OpenerRequest(request.conversation(), plan, clock))
                            .onItem().transform(word -> {
                                openerText.append(word.text());
                                return (HandoffEvent) new OpenerEvent(word.index(), word.text(), word.confidence(),
                                        HandoffClock.toMillis(word.nanosSinceStart()));
                            });
            return Multi.createBy().concatenating().streams(openerEvents,
                    Multi.createFrom().deferred(this::afterOpener))
                    .onFailure().recoverWithItem(this::error);
        }

        private Multi<HandoffEvent> afterOpener() {
            clock.mark(Milestone.OPENER_DONE);
            String committed = openerText.toString();
            boolean local = plan.mode() == HandoffMode.LOCAL_ONLY;
            continuatorName = local ? EmbeddedContinuator.NAME : continuator.name();
            strategy = local ? EmbeddedContinuator.LOCAL : continuator.strategy();
            HandoffEvent handoff = new PlanEvent(plan, committed, continuatorName, clock.elapsedMillis());
            Multi<String> continuation = local
                    ? opener.finishLocally(request.conversation(), committed, plan)
                    : cloud(committed);
            Seam seam = new Seam(committed);
            Multi<HandoffEvent> deltas = continuation
                    .onItem().transform(seam::accept)
                    .onCompletion().continueWith(() -> java.util.List.of(seam.finish()))
                    .select().where(text -> !text.isEmpty())
                    .onItem().transform(this::delta);
            return Multi.createBy().concatenating().streams(Multi.createFrom().item(handoff), deltas,
                    Multi.createFrom().deferred(() -> Multi.createFrom().item(done())));
        }

        private Multi<String> cloud(String committed) {
            long deadline = Math.max(1, plan.cloudFirstTokenDeadlineMs());
            return continuator.continueReply(new ContinuationRequest(request.conversation(), committed, plan))
                    .onSubscription().invoke(() -> clock.mark(Milestone.CLOUD_REQUEST_SENT))
                    .onItem().invoke(this::firstCloudToken)
                    .ifNoItem().after(Duration.ofMillis(deadline)).fail()
                    .onFailure().recoverWithMulti(failure -> finishLocally(committed, failure));
        }

        private void firstCloudToken(String delta) {
            if (!clock.isMarked(Milestone.CLOUD_FIRST_TOKEN)) {
                clock.mark(Milestone.CLOUD_FIRST_TOKEN);
                clock.millisBetween(Milestone.CLOUD_REQUEST_SENT, Milestone.CLOUD_FIRST_TOKEN)
                        .ifPresent(ms -> conditions.recordCloudFirstToken(continuator.name(), ms));
            }
        }

        private Multi<String> finishLocally(String committed, Throwable failure) {
            LOG.warnf("The continuator %s failed (%s): finishing the reply on the device", continuator.name(),
                    failure.toString());
            degraded = true;
            strategy = EmbeddedContinuator.LOCAL;
            return opener.finishLocally(request.conversation(), committed + continuationText, plan);
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
                    continuatorName, degraded, null, Timings.of(clock), clock.elapsedMillis());
        }

        private HandoffEvent error(Throwable failure) {
            LOG.errorf(failure, "Handoff failed");
            String message = failure.getMessage() != null ? failure.getMessage() : failure.toString();
            return new ErrorEvent("handoff-failed", message, clock.elapsedMillis());
        }
    }
}
