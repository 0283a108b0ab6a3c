package io.quarkiverse.handoff;

import io.quarkiverse.handoff.event.HandoffEvent;

/**
 * Sees every event of every handoff, in order, as it is emitted: for metrics, tracing or audit. Implementations must
 * be fast and must not block: they run on the thread that emits the event.
 */
public interface HandoffListener {

    void onEvent(HandoffRequest request, HandoffEvent event);
}
