package io.quarkiverse.handoff;

import java.util.function.Consumer;

import io.quarkiverse.handoff.policy.HandoffPlan;

/**
 * What an {@link Opener} is asked to do.
 *
 * @param conversation the conversation to open a reply for
 * @param plan the plan chosen by policy: opener length, handoff point, sampling
 * @param clock the handoff's clock: word timestamps and timings are taken on it
 * @param onStop takes where and why the opener stopped, once, before its stream completes: the handoff's {@code done}
 *        event carries it as {@code openerStop}. Reporting is optional: an opener that does not leaves that field
 *        null
 */
public record OpenerRequest(Conversation conversation, HandoffPlan plan, HandoffClock clock,
        Consumer<OpenerStop> onStop) {

    public OpenerRequest {
        onStop = onStop == null ? stop -> {
        } : onStop;
    }

    /** A request whose opener's stop nobody asks for. */
    public OpenerRequest(Conversation conversation, HandoffPlan plan, HandoffClock clock) {
        this(conversation, plan, clock, null);
    }
}
