package io.quarkiverse.handoff.deployment.policy;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.PlanningFacts;
import io.quarkiverse.handoff.runtime.policy.DroolsHandoffPlanner;
import io.quarkiverse.handoff.runtime.policy.PolicyEngine;
import io.quarkus.test.QuarkusUnitTest;

/** quarkus.handoff.policy.default-rules=false: the application's rules alone decide. */
class ApplicationRulesOnlyTest {

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar
                    .addAsResource("policy/acme-overrides.drl", "com/acme/handoff/acme-overrides.drl")
                    .addAsResource(new StringAsset(String.join("\n",
                            "quarkus.handoff.opener.enabled=false",
                            "quarkus.handoff.policy.default-rules=false",
                            "")), "application.properties"));

    @Inject
    PolicyEngine engine;

    @Inject
    DroolsHandoffPlanner planner;

    @Test
    void onlyTheApplicationsRulesFire() {
        assertThat(planner.ruleFiles()).containsExactly("com/acme/handoff/acme-overrides.drl");
        PlanningFacts facts = PlanningFacts.of(engine.profiles().resolve("watch"), DeviceFacts.NONE);
        facts.setExpectedCloudFirstTokenMs(3000.0);
        HandoffPlan plan = engine.explain(facts);
        assertThat(plan.firedRules()).containsExactly("Acme: watches recover with humor");
        assertThat(plan.recoveryMethod()).isEqualTo("humorous");
        assertThat(plan.openerWords()).isEqualTo(6); // the PlanDraft default
        assertThat(plan.groundedOnly()).as("the grounding guard is a default rule, the draft starts without").isFalse();
    }
}
