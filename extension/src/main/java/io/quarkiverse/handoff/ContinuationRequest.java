package io.quarkiverse.handoff;

import java.util.Optional;

import io.quarkiverse.handoff.policy.HandoffPlan;

/**
 * What a {@link Continuator} is asked to continue.
 *
 * @param conversation the conversation, the user's latest message last
 * @param committedOpener the reply text already shown or spoken to the user; the continuation must follow it seamlessly.
 *        Blank when nothing was said (the opener ended at once, the plan is cloud only, or this is a speculative
 *        request): the continuator then answers the question from scratch
 * @param plan the plan chosen by policy
 * @param correction guidance from the plan's {@link ErrorCorrection} on how to pivot if the opener went wrong (the
 *        model follows it only when it finds the opener wrong, starting with {@link Continuator#PIVOT_MARKER}), else
 *        empty
 */
public record ContinuationRequest(Conversation conversation, String committedOpener, HandoffPlan plan,
        Optional<String> correction) {

    public ContinuationRequest(Conversation conversation, String committedOpener, HandoffPlan plan) {
        this(conversation, committedOpener, plan, Optional.empty());
    }
}
