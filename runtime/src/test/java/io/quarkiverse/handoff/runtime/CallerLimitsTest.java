package io.quarkiverse.handoff.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.policy.CloudRequest;
import io.quarkiverse.handoff.policy.FactClass;
import io.quarkiverse.handoff.policy.FiredRule;
import io.quarkiverse.handoff.policy.HandoffMode;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPoint;
import io.quarkiverse.handoff.policy.Sampling;

/** What a caller asks of the reply (HandoffRequest.limits) narrows the plan the rules chose, never widens it. */
class CallerLimitsTest {

    static final HandoffPlan PLAN = new HandoffPlan("watch", HandoffMode.HYBRID, 4, HandoffPoint.CLAUSE_BOUNDARY, 0.15,
            "natural", Sampling.PAPER_DEFAULT, 800, false, List.of("a rule"), false, false,
            EnumSet.allOf(FactClass.class), new CloudRequest(100, 0.7, List.of("\n\n")));

    @Test
    void aCallerAskingLessGetsLess() {
        HandoffPlan narrowed = Handoff.narrowed(PLAN, new CloudRequest(5, 0.0, List.of("buzz")));
        assertThat(narrowed.cloud()).isEqualTo(new CloudRequest(5, 0.0, List.of("\n\n", "buzz")));
        assertThat(narrowed.sampling().temperature()).as("the opener samples greedily too").isZero();
        assertThat(narrowed.sampling().topP()).isEqualTo(Sampling.PAPER_DEFAULT.topP());
        assertThat(narrowed.firedRules()).isEqualTo(PLAN.firedRules());
    }

    @Test
    void theRulesPackagesAndReasonsSurviveTheNarrowing() {
        HandoffPlan explained = new HandoffPlan("watch", HandoffMode.HYBRID, 4, HandoffPoint.CLAUSE_BOUNDARY, 0.15,
                "natural", Sampling.PAPER_DEFAULT, 800, false, List.of("a rule"), false, false,
                EnumSet.allOf(FactClass.class), new CloudRequest(100, 0.7, List.of()),
                List.of(new FiredRule("a rule", "com.acme.rules", List.of("because the test says so"))));

        HandoffPlan narrowed = Handoff.narrowed(explained, new CloudRequest(5, null, List.of()));

        assertThat(narrowed.rules()).isEqualTo(explained.rules());
    }

    @Test
    void theCloudGetsAtMostFourStopSequencesThePlansFirst() {
        HandoffPlan narrowed = Handoff.narrowed(PLAN, new CloudRequest(null, null, List.of("a", "b", "c", "d")));
        assertThat(narrowed.cloud().stop()).containsExactly("\n\n", "a", "b", "c");
    }

    @Test
    void aCallerAskingMoreKeepsThePlansLimits() {
        HandoffPlan narrowed = Handoff.narrowed(PLAN, new CloudRequest(4000, 1.5, List.of("\n\n")));
        assertThat(narrowed.cloud()).isEqualTo(PLAN.cloud());
        assertThat(narrowed.sampling()).isEqualTo(PLAN.sampling());
    }

    @Test
    void whatThePlanLeavesToTheProviderTheCallerSets() {
        HandoffPlan providerDefaults = PLAN.withCloud(CloudRequest.PROVIDER_DEFAULTS);
        assertThat(Handoff.narrowed(providerDefaults, new CloudRequest(42, 1.2, List.of())).cloud())
                .isEqualTo(new CloudRequest(42, 1.2, List.of()));
        assertThat(Handoff.narrowed(PLAN, CloudRequest.PROVIDER_DEFAULTS)).isEqualTo(PLAN);
    }
}
