package io.quarkiverse.handoff.policy;

/**
 * Chooses the plan of one handoff from the facts of the request. The default planner runs Drools rules; an application
 * can replace it with its own bean.
 */
public interface HandoffPlanner {

    HandoffPlan plan(PlanningFacts facts);
}
