package io.quarkiverse.handoff.deployment.policy;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.policy.FactClass;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.PlanningFacts;
import io.quarkiverse.handoff.runtime.policy.DroolsHandoffPlanner;
import io.quarkiverse.handoff.runtime.policy.PolicyEngine;
import io.quarkus.test.QuarkusUnitTest;

/**
 * An application's own rule file, compiled together with the default rules, overrides three defaults through their
 * activation-groups and adds a rule; the other defaults still fire.
 */
class ApplicationOverrideTest {

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar
                    .addAsResource("policy/acme-overrides.drl", "com/acme/handoff/acme-overrides.drl")
                    .addAsResource(new StringAsset(String.join("\n",
                            "quarkus.handoff.opener.enabled=false",
                            "quarkus.handoff.policy.profiles.\"kiosk\".modality=screen",
                            "")), "application.properties"));

    @Inject
    PolicyEngine engine;

    @Inject
    DroolsHandoffPlanner planner;

    private HandoffPlan plan(String profile, double latencyMs) {
        PlanningFacts facts = PlanningFacts.of(engine.profiles().resolve(profile), DeviceFacts.NONE);
        facts.setExpectedCloudFirstTokenMs(latencyMs);
        return engine.explain(facts);
    }

    @Test
    void applicationRulesAreCompiledWithTheDefaults() {
        assertThat(planner.ruleFiles()).contains("com/acme/handoff/acme-overrides.drl",
                "io/quarkiverse/handoff/policies/watch.drl");
    }

    @Test
    void overridesOneDefaultRuleOthersStillFire() {
        HandoffPlan watch = plan("watch", 3000);
        assertThat(watch.recoveryMethod()).isEqualTo("humorous");
        assertThat(watch.firedRules()).contains("Acme: watches recover with humor")
                .doesNotContain("Watch: natural recovery")
                .contains("Watch: open with 5 words", "Watch: wait up to 3.0 s for the cloud's first token",
                        "Opener covers the expected cloud latency (4-8 words)");
        assertThat(watch.openerWords()).isEqualTo(8);
    }

    @Test
    void overrideOfACommonRuleAppliesOnlyWhereItsConditionsHold() {
        HandoffPlan kiosk = plan("kiosk", 300);
        assertThat(kiosk.openerWords()).isEqualTo(7);
        assertThat(kiosk.maskPii()).isTrue();
        assertThat(kiosk.firedRules()).contains("Acme: kiosks always open with 7 words",
                "Acme: every kiosk conversation is masked")
                .doesNotContain("Opener covers the expected cloud latency (4-8 words)");
        // the grounding guard is a plan decision like any other: the kiosk's opener may say names
        assertThat(kiosk.groundedOnly()).isTrue();
        assertThat(kiosk.factClasses()).containsExactly(FactClass.NUMBER);
        assertThat(kiosk.firedRules()).contains("Acme: kiosk openers may say names, never an ungrounded number")
                .doesNotContain("Grounded opener: stop before a fact the conversation does not hold");

        HandoffPlan phone = plan("phone", 300);
        assertThat(phone.openerWords()).isEqualTo(4);
        assertThat(phone.factClasses()).containsExactly(FactClass.values());
        assertThat(phone.recoveryMethod()).isEqualTo("explicit");
        assertThat(phone.maskPii()).isFalse();
        assertThat(phone.firedRules()).contains("Opener covers the expected cloud latency (4-8 words)")
                .noneMatch(name -> name.startsWith("Acme:"));
    }
}
