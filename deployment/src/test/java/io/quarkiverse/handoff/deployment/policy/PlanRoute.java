package io.quarkiverse.handoff.deployment.policy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.PlanningFacts;
import io.quarkiverse.handoff.runtime.policy.PolicyEngine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** A test endpoint: {@code GET /test/plan/PROFILE} answers the plan of a request from that profile. */
@ApplicationScoped
public class PlanRoute {

    @Inject
    PolicyEngine engine;

    void register(@Observes Router router) {
        router.get("/test/plan/:profile").handler(context -> {
            PlanningFacts facts = PlanningFacts.of(engine.profiles().resolve(context.pathParam("profile")),
                    DeviceFacts.NONE);
            HandoffPlan plan = engine.explain(facts);
            context.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("openerWords", plan.openerWords())
                    .put("firedRules", new JsonArray(plan.firedRules())).encode());
        });
    }
}
