package io.quarkiverse.handoff.deployment.policy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.handoff.policy.HandoffMode;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPlanner;
import io.quarkiverse.handoff.policy.HandoffPoint;
import io.quarkiverse.handoff.policy.PlanningFacts;
import io.quarkiverse.handoff.policy.Sampling;
import io.quarkiverse.handoff.runtime.policy.DroolsHandoffPlanner;
import io.quarkus.test.QuarkusUnitTest;

/**
 * An application that plans with its own planner: the rules are neither warmed at startup nor waited for by readiness.
 */
class ApplicationPlannerTest {

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addClass(FixedPlanner.class)
                    .addAsResource(new StringAsset("quarkus.handoff.opener.enabled=false\n"), "application.properties"));

    @ApplicationScoped
    public static class FixedPlanner implements HandoffPlanner {
        @Override
        public HandoffPlan plan(PlanningFacts facts) {
            return new HandoffPlan("fixed", HandoffMode.HYBRID, 4, HandoffPoint.AFTER_WORDS, 0, "natural",
                    Sampling.GREEDY, 1000, false, List.of("the application's planner"));
        }
    }

    @Inject
    DroolsHandoffPlanner drools;

    @Test
    void theRulesAreNotWarmedAndReadinessDoesNotWaitForThem() {
        assertThat(drools.inUse()).isFalse();
        assertThat(drools.isWarmUpStarted()).as("no warm-up of unused rules").isFalse();
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Handoff rules' }.data.status",
                        is("not used: the application plans with its own planner"));
    }
}
