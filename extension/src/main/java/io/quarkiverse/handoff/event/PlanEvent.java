package io.quarkiverse.handoff.event;

import io.quarkiverse.handoff.policy.HandoffPlan;

/**
 * The opener is committed and the cloud takes over: the plan and the rules that chose it.
 *
 * @param plan the plan, with the names of the rules that fired
 * @param committedOpener the opener text the continuation must follow
 * @param continuator who continues the reply
 */
public record PlanEvent(HandoffPlan plan, String committedOpener, String continuator, double ms)
        implements
            HandoffEvent {

    @Override
    public String type() {
        return "handoff";
    }
}
