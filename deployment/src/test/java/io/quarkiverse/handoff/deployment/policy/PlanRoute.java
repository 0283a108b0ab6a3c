package io.quarkiverse.handoff.deployment.policy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.PlanningFacts;
import io.quarkiverse.handoff.runtime.policy.PolicyEngine;
import io.vertx.ext.web.Router;

/** GET /plan/PROFILE answers the recovery method and fired rules of a plan: what the dev-mode test observes. */
@ApplicationScoped
public class PlanRoute {

    @Inject
    PolicyEngine engine;

    void routes(@Observes Router router) {
        router.get("/plan/:profile").blockingHandler(ctx -> {
            PlanningFacts facts = PlanningFacts.of(engine.profiles().resolve(ctx.pathParam("profile")),
                    DeviceFacts.NONE);
            HandoffPlan plan = engine.explain(facts);
            ctx.response().end(plan.recoveryMethod() + "\n" + String.join("\n", plan.firedRules()));
        });
    }
}
