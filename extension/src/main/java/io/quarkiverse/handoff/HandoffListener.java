package io.quarkiverse.handoff;

import io.quarkiverse.handoff.event.HandoffEvent;

/**
 * Sees every event of every handoff, in order, as it is emitted: for metrics, tracing or audit. Implementations must
 * be fast and must not block: they run on the thread that emits the event.
 */
public interface HandoffListener {

    /**
     * A handoff's stream was subscribed; its events follow. Called on the subscribing thread, before the first event.
     *
     * @param clock the handoff's clock: its zero is when the handoff started (was planned), and
     *        {@link HandoffClock#elapsedNanos()} tells how long ago that was, exactly, whenever it is asked
     */
    default void onStart(HandoffRequest request, HandoffClock clock) {
    }

    void onEvent(HandoffRequest request, HandoffEvent event);
}
