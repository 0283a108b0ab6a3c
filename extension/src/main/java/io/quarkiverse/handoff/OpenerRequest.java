package io.quarkiverse.handoff;

import io.quarkiverse.handoff.policy.HandoffPlan;

/**
 * What an {@link Opener} is asked to do.
 *
 * @param conversation the conversation to open a reply for
 * @param plan the plan chosen by policy: opener length, handoff point, sampling
 * @param clock the handoff's clock: word timestamps and timings are taken on it
 */
public record OpenerRequest(Conversation conversation, HandoffPlan plan, HandoffClock clock) {
}
