package io.quarkiverse.handoff.deployment.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.inject.Inject;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.handoff.event.PlanEvent;
import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.policy.FiredRule;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.PlanningFacts;
import io.quarkiverse.handoff.runtime.policy.PolicyEngine;
import io.quarkus.test.QuarkusUnitTest;

/**
 * What rules say through {@code $draft.because(...)} reaches the plan with the rule that said it, and every fired rule
 * names its package: an application's rule named like a default one is told apart from it.
 */
class RuleReasonsTest {

    private static final String DEFAULTS = "io.quarkiverse.handoff.policies";
    private static final String NAME = "Watch: open with 5 words";
    private static final String LATENCY_RULE = "Opener covers the expected cloud latency (4-8 words)";

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar
                    .addAsResource("policy/acme-reasons.drl", "com/acme/reasons/acme-reasons.drl")
                    .addAsResource(new StringAsset("quarkus.handoff.opener.enabled=false\n"),
                            "application.properties"));

    @Inject
    PolicyEngine engine;

    @Inject
    ObjectMapper mapper;

    private HandoffPlan plan(int turn) {
        PlanningFacts facts = PlanningFacts.of(engine.profiles().resolve("watch"), DeviceFacts.NONE);
        facts.setExpectedCloudFirstTokenMs(2000.0);
        facts.setTurnIndex(turn);
        return engine.explain(facts);
    }

    @Test
    void theDefaultRuleFiresWithItsPackageAndTheApplicationsNamesakeWithItsOwn() {
        HandoffPlan first = plan(0);
        assertThat(first.rules()).contains(new FiredRule(NAME, DEFAULTS, List.of()));
        assertThat(first.rules()).noneMatch(rule -> "com.acme.reasons".equals(rule.packageName()));

        HandoffPlan later = plan(2);
        assertThat(later.firedRules()).as("the names alone cannot tell them apart").contains(NAME);
        assertThat(later.rules()).contains(new FiredRule(NAME, "com.acme.reasons",
                List.of("Acme watches keep 5 words in a conversation", "turn 2 of the conversation")));
        assertThat(later.rules()).doesNotContain(new FiredRule(NAME, DEFAULTS, List.of()));
    }

    @Test
    void rulesAndFiredRulesListTheSameFiringsInOrder() {
        HandoffPlan plan = plan(2);
        assertThat(plan.rules()).extracting(FiredRule::name).containsExactlyElementsOf(plan.firedRules());
        assertThat(plan.rules()).allMatch(rule -> rule.packageName() != null);
        // a default rule that explains its number
        assertThat(plan.rules()).filteredOn(rule -> rule.name().equals(LATENCY_RULE)).singleElement()
                .satisfies(rule -> assertThat(rule.reasons())
                        .containsExactly("the cloud's first token is expected after 2000 ms, which 5 words cover"));
    }

    @Test
    void theHandoffEventCarriesTheRulesWithPackageAndReasons() {
        JsonNode event = mapper.valueToTree(new PlanEvent(plan(2), "It is", "embedded", 12));
        assertThat(event.get("type").asText()).isEqualTo("handoff");
        JsonNode acme = null;
        for (JsonNode rule : event.get("plan").get("rules")) {
            assertThat(rule.has("package")).as(rule.toString()).isTrue();
            if ("com.acme.reasons".equals(rule.get("package").asText())) {
                acme = rule;
            }
        }
        assertThat(acme).isNotNull();
        assertThat(acme.get("name").asText()).isEqualTo(NAME);
        assertThat(acme.get("reasons").get(0).asText()).isEqualTo("Acme watches keep 5 words in a conversation");
        assertThat(event.get("plan").get("firedRules").get(0).isTextual()).as("firedRules stays a list of names")
                .isTrue();
    }
}
