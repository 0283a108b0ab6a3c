package io.quarkiverse.handoff;

import io.quarkiverse.handoff.policy.HandoffPlan;
import io.smallrye.mutiny.Multi;

/**
 * Writes the first words of a reply on the device, fast.
 * <p>
 * Implementations stream each word the moment it is complete, never split a word, stop at the plan's handoff point,
 * and stop decoding when the subscription is cancelled. They may say where and why they stopped
 * ({@link OpenerRequest#onStop()}): the handoff's {@code done} event reports it.
 */
public interface Opener {

    /** Streams the opener's words. The stream completes at the handoff point or at end of reply. */
    Multi<OpenerWord> open(OpenerRequest request);

    /**
     * Finishes a reply locally when the cloud cannot: continues {@code replySoFar} briefly and closes politely.
     * Streams text deltas.
     */
    Multi<String> finishLocally(Conversation conversation, String replySoFar, HandoffPlan plan);

    /** A short name for timings and events, e.g. the model's directory name. */
    String name();

    /**
     * Whether the opener answers at its usual speed now: false while its model is still loading, so that the
     * planner's estimate of the opener's first-word time is not fed the loading time.
     */
    default boolean isReady() {
        return true;
    }
}
