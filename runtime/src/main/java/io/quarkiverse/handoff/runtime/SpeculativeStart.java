package io.quarkiverse.handoff.runtime;

import java.time.Duration;

import io.quarkiverse.handoff.Continuator;
import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.HandoffClock.Milestone;
import io.quarkiverse.handoff.runtime.continuator.ContinuationGuard;
import io.quarkiverse.handoff.runtime.policy.CloudConditions;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * The speculative cloud start: a plain answer requested when the handoff starts, under the same guard as every cloud
 * call, its text held until the opener decides whether it is needed.
 */
final class SpeculativeStart {
    private final HandoffClock clock;
    private final Outgoing outgoing;
    private final UnicastProcessor<String> held = UnicastProcessor.create();
    private final Cancellable request;
    private volatile boolean used;
    private volatile int attempts;
    private volatile long sentNanos = -1;
    private volatile long firstTokenNanos = -1;

    /** Sends the answer's request at once. */
    SpeculativeStart(Outgoing answer, Continuator continuator, ContinuationGuard guard, Duration firstTokenDeadline,
            CloudConditions conditions, HandoffClock clock) {
        this.clock = clock;
        this.outgoing = answer;
        request = guard.stream(() -> continuator.continueReply(answer.request()), firstTokenDeadline, attempt -> {
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

    /** How many requests were sent for the answer (more than one when a failure before the first token was retried). */
    int attempts() {
        return attempts;
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
