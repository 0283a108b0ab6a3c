package io.quarkiverse.handoff.deployment.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.policy.DeviceProfile;
import io.quarkiverse.handoff.policy.FactClass;
import io.quarkiverse.handoff.policy.HandoffMode;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPoint;
import io.quarkiverse.handoff.policy.Modality;
import io.quarkiverse.handoff.policy.PlanningFacts;
import io.quarkiverse.handoff.runtime.policy.DroolsHandoffPlanner;
import io.quarkiverse.handoff.runtime.policy.PolicyEngine;
import io.quarkiverse.handoff.runtime.policy.UnknownProfileException;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The default policies of the quarkus-handoff-policies jar, compiled at build time although that jar is only a
 * transitive dependency, over every built-in profile x cloud latency x battery x reachability.
 */
class DefaultPoliciesTest {

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addAsResource(new StringAsset(String.join("\n",
                    "quarkus.handoff.opener.enabled=false",
                    "quarkus.handoff.policy.profiles.\"kiosk\".modality=screen",
                    "quarkus.handoff.policy.profiles.\"kiosk\".words-per-second=3.5",
                    "")), "application.properties"));

    static final List<String> PROFILES = List.of("watch", "glasses", "phone", "earbuds", "desktop");
    static final double[] LATENCIES_MS = { 300, 800, 1500, 3000, 6000 };
    static final double[] ROUND_TRIPS_MS = { 0, 100, 700, 1800, 4000 };
    /** What the round-trip rule adds for the cloud model's own time to its first token. */
    static final double CLOUD_MODEL_ALLOWANCE_MS = 500;
    static final Integer[] BATTERIES = { null, 80, 15 };
    static final double OPENER_FIRST_WORD_MS = 400;

    static final String LATENCY_RULE = "Opener covers the expected cloud latency (4-8 words)";
    static final String MEASURED_RULE = "Cloud latency: as measured on recent handoffs";
    static final String ROUND_TRIP_RULE = "Cloud latency: the device's round trip plus 500 ms for the cloud model";
    static final String ASSUMED_RULE = "Cloud latency: the configured assumption";
    static final String UNREACHABLE_RULE = "Cloud unreachable: the micro-model answers alone";
    static final String CLOUD_FASTER_RULE = "Cloud faster than the opener: skip the opener";
    static final String GROUNDED_RULE = "Grounded opener: stop before a fact the conversation does not hold";
    static final String SPEECH_CONFIDENCE_RULE = "Speech: stop at the last clause boundary before a doubtful word";

    /** How the cloud latency is known in a scenario: measured first tokens, or only the device's round trip. */
    enum LatencyKnowledge {
        MEASURED_FIRST_TOKEN(LATENCIES_MS, MEASURED_RULE),
        DEVICE_ROUND_TRIP(ROUND_TRIPS_MS, ROUND_TRIP_RULE);

        final double[] values;
        final String rule;

        LatencyKnowledge(double[] values, String rule) {
            this.values = values;
            this.rule = rule;
        }

        double expectedCloudMs(double value) {
            return this == MEASURED_FIRST_TOKEN ? value : value + CLOUD_MODEL_ALLOWANCE_MS;
        }
    }

    @Inject
    PolicyEngine engine;

    @Inject
    DroolsHandoffPlanner planner;

    private HandoffPlan plan(String profileName, double latencyMs, Integer battery, boolean reachable) {
        return plan(profileName, LatencyKnowledge.MEASURED_FIRST_TOKEN, latencyMs, battery, reachable);
    }

    private HandoffPlan plan(String profileName, LatencyKnowledge knowledge, double value, Integer battery,
            boolean reachable) {
        DeviceProfile profile = engine.profiles().resolve(profileName);
        Double rtt = knowledge == LatencyKnowledge.DEVICE_ROUND_TRIP ? value : null;
        PlanningFacts facts = PlanningFacts.of(profile, new DeviceFacts(battery, null, rtt, null, null));
        if (knowledge == LatencyKnowledge.MEASURED_FIRST_TOKEN) {
            facts.setExpectedCloudFirstTokenMs(value);
        }
        facts.setAssumedCloudFirstTokenMs(1200.0);
        facts.setExpectedOpenerFirstWordMs(OPENER_FIRST_WORD_MS);
        facts.setCloudReachable(reachable);
        return engine.explain(facts);
    }

    @Test
    void theDefaultRulesOfTheTransitivePoliciesJarAreCompiled() {
        assertThat(planner.ruleFiles()).contains(
                "io/quarkiverse/handoff/policies/common.drl",
                "io/quarkiverse/handoff/policies/watch.drl",
                "io/quarkiverse/handoff/policies/glasses.drl",
                "io/quarkiverse/handoff/policies/phone.drl",
                "io/quarkiverse/handoff/policies/earbuds.drl",
                "io/quarkiverse/handoff/policies/desktop.drl");
        assertThat(planner.ruleNames()).contains("io.quarkiverse.handoff.policies: " + LATENCY_RULE);
    }

    @Test
    void table() {
        List<String> failures = new ArrayList<>();
        int rows = 0;
        for (String profile : PROFILES) {
            for (LatencyKnowledge knowledge : LatencyKnowledge.values()) {
                for (Integer battery : BATTERIES) {
                    for (boolean reachable : new boolean[] { true, false }) {
                        int previousWords = -1;
                        for (double value : knowledge.values) {
                            rows++;
                            double expectedCloudMs = knowledge.expectedCloudMs(value);
                            HandoffPlan plan = plan(profile, knowledge, value, battery, reachable);
                            String row = profile + " " + knowledge + "=" + value + " battery=" + battery
                                    + " reachable=" + reachable + " -> " + plan;
                            if (plan.firedRules().isEmpty()) {
                                failures.add("no fired rule reported: " + row);
                            }
                            if (!plan.firedRules().contains(knowledge.rule)) {
                                failures.add("the expected cloud latency did not come from " + knowledge.rule + ": "
                                        + row);
                            }
                            if (plan.openerWords() < previousWords) {
                                failures.add("opener got shorter as the cloud got slower: " + row);
                            }
                            previousWords = plan.openerWords();
                            if (!plan.groundedOnly()) {
                                failures.add("the grounding guard must be on in every default plan: " + row);
                            }
                            if (!reachable) {
                                if (plan.mode() != HandoffMode.LOCAL_ONLY
                                        || !plan.firedRules().contains(UNREACHABLE_RULE)) {
                                    failures.add("unreachable cloud but not local-only: " + row);
                                }
                            } else if (knowledge == LatencyKnowledge.MEASURED_FIRST_TOKEN
                                    && expectedCloudMs <= OPENER_FIRST_WORD_MS) {
                                if (plan.mode() != HandoffMode.CLOUD_ONLY || plan.openerWords() != 0
                                        || !plan.firedRules().contains(CLOUD_FASTER_RULE)) {
                                    failures.add("cloud measured faster than the opener but not cloud-only: " + row);
                                }
                            } else {
                                // a low battery shortens the opener, never below what covers the cloud's latency
                                double wordsPerSecond = engine.profiles().resolve(profile).wordsPerSecond();
                                int cover = (int) Math.ceil(expectedCloudMs * wordsPerSecond / 1000 - 1e-9);
                                int min = battery != null && battery <= 20 ? Math.max(2, Math.min(4, cover)) : 4;
                                if (plan.mode() != HandoffMode.HYBRID || plan.openerWords() < min
                                        || plan.openerWords() > 8) {
                                    failures.add("expected a hybrid plan of " + min + "-8 words: " + row);
                                }
                                if (plan.openerWords() < Math.min(8, cover)) {
                                    failures.add("the opener does not cover the cloud's latency: " + row);
                                }
                                if (!plan.firedRules().contains(LATENCY_RULE)) {
                                    failures.add("latency rule did not fire: " + row);
                                }
                                if (plan.cloudFirstTokenDeadlineMs() < Math.min(10000, 2 * expectedCloudMs)) {
                                    failures.add("deadline shorter than twice the expected latency: " + row);
                                }
                            }
                        }
                    }
                }
            }
        }
        assertThat(rows).isEqualTo(PROFILES.size() * 2 * BATTERIES.length * 2 * LATENCIES_MS.length);
        assertThat(failures).isEmpty();
    }

    @Test
    void theDevicesRoundTripSizesTheOpenerUntilTheCloudIsMeasured() {
        // watch speaks 2.5 words/s: a 100 ms round trip -> 600 ms -> bounded to 4 words; 2500 ms -> 3000 ms -> 8 words
        assertThat(plan("watch", LatencyKnowledge.DEVICE_ROUND_TRIP, 100, null, true).openerWords()).isEqualTo(4);
        assertThat(plan("watch", LatencyKnowledge.DEVICE_ROUND_TRIP, 1500, null, true).openerWords()).isEqualTo(5);
        assertThat(plan("watch", LatencyKnowledge.DEVICE_ROUND_TRIP, 2500, null, true).openerWords()).isEqualTo(8);
        // phone is read at 4 words/s: 1000 ms + 500 ms -> 6 words
        assertThat(plan("phone", LatencyKnowledge.DEVICE_ROUND_TRIP, 1000, null, true).openerWords()).isEqualTo(6);

        // a measurement beats the round trip
        PlanningFacts facts = PlanningFacts.of(engine.profiles().resolve("watch"),
                new DeviceFacts(null, null, 2500.0, null, null));
        facts.setExpectedCloudFirstTokenMs(800.0);
        facts.setAssumedCloudFirstTokenMs(1200.0);
        HandoffPlan measured = engine.explain(facts);
        assertThat(measured.openerWords()).isEqualTo(4);
        assertThat(measured.firedRules()).contains(MEASURED_RULE).doesNotContain(ROUND_TRIP_RULE, ASSUMED_RULE);

        // a round trip alone never skips the opener: only a measured cloud faster than the measured opener does
        HandoffPlan fastNetwork = plan("desktop", LatencyKnowledge.DEVICE_ROUND_TRIP, 0, null, true);
        assertThat(fastNetwork.mode()).isEqualTo(HandoffMode.HYBRID);
    }

    @Test
    void withoutMeasurementOrRoundTripTheAssumptionThenTheProfileDecide() {
        PlanningFacts assumed = PlanningFacts.of(engine.profiles().resolve("watch"), DeviceFacts.NONE);
        assumed.setAssumedCloudFirstTokenMs(3000.0);
        HandoffPlan plan = engine.explain(assumed);
        assertThat(plan.openerWords()).isEqualTo(8);
        assertThat(plan.firedRules()).contains(ASSUMED_RULE, LATENCY_RULE);

        HandoffPlan nothingKnown = engine.explain(PlanningFacts.of(engine.profiles().resolve("watch"),
                DeviceFacts.NONE));
        assertThat(nothingKnown.openerWords()).isEqualTo(5);
        assertThat(nothingKnown.cloudFirstTokenDeadlineMs()).isEqualTo(3000);
        assertThat(nothingKnown.firedRules()).contains("Watch: open with 5 words")
                .doesNotContain(LATENCY_RULE, MEASURED_RULE, ROUND_TRIP_RULE, ASSUMED_RULE);
    }

    @Test
    void openerCoversTheLatencyAtTheProfilesSpeed() {
        // watch speaks 2.5 words/s: 1500 ms -> 3.75 -> 4 words; 3000 ms -> 7.5 -> 8 words
        assertThat(plan("watch", 1500, null, true).openerWords()).isEqualTo(4);
        assertThat(plan("watch", 3000, null, true).openerWords()).isEqualTo(8);
        // phone is read at 4 words/s: 1500 ms -> 6 words; 6000 ms -> capped at 8
        assertThat(plan("phone", 1500, null, true).openerWords()).isEqualTo(6);
        assertThat(plan("phone", 6000, null, true).openerWords()).isEqualTo(8);
        // 800 ms is covered by the minimum of 4 words everywhere
        for (String profile : PROFILES) {
            assertThat(plan(profile, 800, null, true).openerWords()).as(profile).isEqualTo(4);
        }
    }

    @Test
    void speechAndScreenDiffer() {
        for (String profile : PROFILES) {
            HandoffPlan plan = plan(profile, 1500, null, true);
            Modality modality = engine.profiles().resolve(profile).modality();
            if (modality == Modality.SPEECH) {
                assertThat(plan.handoffPoint()).as(profile).isEqualTo(HandoffPoint.CLAUSE_BOUNDARY);
                assertThat(plan.recoveryMethod()).as(profile).isIn("natural", "humorous");
                assertThat(plan.firedRules()).as(profile)
                        .contains("Speech: hand off at a clause boundary, recover naturally");
            } else {
                assertThat(plan.handoffPoint()).as(profile).isIn(HandoffPoint.AFTER_WORDS, HandoffPoint.CONFIDENCE_DROP);
                assertThat(plan.recoveryMethod()).as(profile).isEqualTo("explicit");
                assertThat(plan.firedRules()).as(profile)
                        .contains("Screen: hand off after the planned words, recover explicitly");
            }
        }
        assertThat(plan("watch", 1500, null, true).openerWords())
                .isLessThan(plan("phone", 1500, null, true).openerWords());
        assertThat(plan("earbuds", 1500, null, true).recoveryMethod()).isEqualTo("humorous");
        assertThat(plan("phone", 1500, null, true).handoffPoint()).isEqualTo(HandoffPoint.CONFIDENCE_DROP);
    }

    @Test
    void everyOpenerIsGroundedAndASpeechOpenerStopsBeforeADoubtfulWord() {
        for (String profile : List.of("watch", "glasses", "phone", "earbuds", "desktop", "kiosk")) {
            HandoffPlan plan = plan(profile, 1500, null, true);
            assertThat(plan.groundedOnly()).as(profile).isTrue();
            assertThat(plan.factClasses()).as(profile).containsExactly(FactClass.values());
            assertThat(plan.firedRules()).as(profile).contains(GROUNDED_RULE);
            if (engine.profiles().resolve(profile).modality() == Modality.SPEECH) {
                assertThat(plan.confidenceThreshold()).as(profile).isEqualTo(0.15);
                assertThat(plan.firedRules()).as(profile).contains(SPEECH_CONFIDENCE_RULE);
            } else {
                assertThat(plan.firedRules()).as(profile).doesNotContain(SPEECH_CONFIDENCE_RULE);
            }
        }
        assertThat(plan("phone", 1500, null, true).confidenceThreshold()).isEqualTo(0.2);
        // without the cloud the device finishes alone, and still says no fact it cannot know
        HandoffPlan local = plan("watch", 1500, null, false);
        assertThat(local.mode()).isEqualTo(HandoffMode.LOCAL_ONLY);
        assertThat(local.groundedOnly()).isTrue();
        assertThat(local.openerWords()).isEqualTo(plan("watch", 1500, null, true).openerWords());
        assertThat(local.firedRules()).containsSubsequence(GROUNDED_RULE, UNREACHABLE_RULE);
    }

    @Test
    void aModalityTheDeviceReportsDecidesOverTheProfilesDefaults() {
        // a phone that speaks: clause boundaries, the speech confidence stop, natural recovery, the speaking rate
        PlanningFacts speakingPhone = PlanningFacts.of(engine.profiles().resolve("phone"),
                new DeviceFacts(null, null, null, Modality.SPEECH, null));
        assertThat(speakingPhone.getWordsPerSecond()).isEqualTo(Modality.SPEECH.defaultWordsPerSecond());
        speakingPhone.setExpectedCloudFirstTokenMs(2000.0);
        HandoffPlan spoken = engine.explain(speakingPhone);
        assertThat(spoken.handoffPoint()).isEqualTo(HandoffPoint.CLAUSE_BOUNDARY);
        assertThat(spoken.confidenceThreshold()).isEqualTo(0.15);
        assertThat(spoken.recoveryMethod()).isEqualTo("natural");
        assertThat(spoken.openerWords()).as("2 s at 2.5 words per second").isEqualTo(5);
        assertThat(spoken.firedRules()).doesNotContain("Phone: explicit recovery",
                "Phone: hand off when the opener's confidence drops");
        // a watch that shows the reply: after the planned words, explicit recovery, the reading rate
        PlanningFacts showingWatch = PlanningFacts.of(engine.profiles().resolve("watch"),
                new DeviceFacts(null, null, null, Modality.SCREEN, null));
        showingWatch.setExpectedCloudFirstTokenMs(2000.0);
        HandoffPlan shown = engine.explain(showingWatch);
        assertThat(shown.handoffPoint()).isEqualTo(HandoffPoint.AFTER_WORDS);
        assertThat(shown.recoveryMethod()).isEqualTo("explicit");
        assertThat(shown.openerWords()).as("2 s at 4 words per second").isEqualTo(8);
        assertThat(shown.firedRules()).doesNotContain("Watch: natural recovery");
    }

    @Test
    void conflictingDecisionsAreAllReportedInOrderAndTheLastWins() {
        HandoffPlan plan = plan("watch", 3000, 15, true);
        // three rules set the opener length: the profile's 5 words, the latency's 8, the low battery's, which may not
        // go below the 8 words (7.5) that cover 3 s at 2.5 words per second
        assertThat(plan.firedRules()).containsSubsequence("Watch: open with 5 words", LATENCY_RULE,
                "Low battery: a shorter opener that still covers the cloud's latency");
        assertThat(plan.openerWords()).isEqualTo(8);
        // 1.2 s is covered by 3 words: the latency rule's minimum of 4 may lose one
        assertThat(plan("watch", 1200, 15, true).openerWords()).isEqualTo(3);
        // without the cloud nothing is to be covered: two words off
        HandoffPlan local = plan("watch", 3000, 15, false);
        assertThat(local.firedRules()).contains("Low battery: two words shorter opener");
        assertThat(local.openerWords()).isEqualTo(6);
        // profile rules fire after the modality defaults and before the mode decision
        assertThat(plan.firedRules().get(0)).isIn("Speech: hand off at a clause boundary, recover naturally",
                "Paper sampling: temperature 0.5, top-p 0.9");
    }

    @Test
    void hotDeviceSamplesGreedilyAndSensitiveConversationsAreMasked() {
        DeviceProfile phone = engine.profiles().resolve("phone");
        // every fact the CLI exposes reaches the rules: thermal state, privacy, turn
        PlanningFacts facts = PlanningFacts.of(phone, new DeviceFacts(90, "Serious", null, null, "SENSITIVE"));
        facts.setExpectedCloudFirstTokenMs(1500.0);
        HandoffPlan plan = engine.explain(facts);
        assertThat(plan.sampling().greedy()).isTrue();
        // 1.5 s at 4 words per second: 6 words, which the heat may not shorten
        assertThat(plan.openerWords()).isEqualTo(6);
        assertThat(plan.maskPii()).isTrue();
        assertThat(plan.firedRules()).contains(
                "Hot device: greedy sampling, a shorter opener that still covers the cloud's latency",
                "Sensitive conversation: mask personal data");

        HandoffPlan normal = plan("phone", 1500, 90, true);
        assertThat(normal.sampling().temperature()).isEqualTo(0.5);
        assertThat(normal.sampling().topP()).isEqualTo(0.9);
        assertThat(normal.maskPii()).isFalse();
    }

    @Test
    void planFromARequestUsesTheMeasuredCloudLatency() {
        engine.cloud().reset();
        HandoffRequest request = new HandoffRequest(Conversation.of("What is the weather like?"), "Watch",
                DeviceFacts.NONE);
        // assumed default: 1200 ms -> 3 words at 2.5 w/s -> bounded to 4
        assertThat(engine.plan(request, "slow-cloud").openerWords()).isEqualTo(4);
        assertThat(engine.plan(request, "slow-cloud").firedRules()).contains(ASSUMED_RULE);
        // the device's round trip, before any measurement: 2000 + 500 ms -> 7 words
        HandoffRequest farAway = new HandoffRequest(Conversation.of("What is the weather like?"), "watch",
                new DeviceFacts(null, null, 2000.0, null, null));
        assertThat(engine.plan(farAway, "slow-cloud").openerWords()).isEqualTo(7);
        engine.cloud().recordCloudFirstToken("slow-cloud", 3000);
        HandoffPlan slow = engine.plan(request, "slow-cloud");
        assertThat(slow.profile()).isEqualTo("watch");
        assertThat(slow.mode()).isEqualTo(HandoffMode.HYBRID);
        assertThat(slow.openerWords()).isEqualTo(8);

        engine.cloud().recordOpenerFirstWord(500);
        engine.cloud().recordCloudFirstToken("fast-cloud", 200);
        assertThat(engine.plan(request, "fast-cloud").mode()).isEqualTo(HandoffMode.CLOUD_ONLY);

        engine.cloud().setCloudReachable(false);
        assertThat(engine.plan(request, "slow-cloud").mode()).isEqualTo(HandoffMode.LOCAL_ONLY);
        engine.cloud().reset();
    }

    @Test
    void deepIntoAConversationTheOpenerIsShorter() {
        PlanningFacts facts = PlanningFacts.of(engine.profiles().resolve("phone"), DeviceFacts.NONE);
        facts.setExpectedCloudFirstTokenMs(3000.0);
        assertThat(engine.explain(facts).openerWords()).isEqualTo(8);
        facts.setTurnIndex(3);
        HandoffPlan late = engine.explain(facts);
        assertThat(late.openerWords()).isEqualTo(5);
        assertThat(late.firedRules()).contains("Long conversation: at most 5 opener words from the 4th question");
    }

    @Test
    void customProfileFromConfigurationIsPlannedByTheCommonRules() {
        HandoffPlan plan = plan("kiosk", 2000, null, true);
        // 2000 ms at 3.5 words/s -> 7 words
        assertThat(plan.openerWords()).isEqualTo(7);
        assertThat(plan.recoveryMethod()).isEqualTo("explicit");
        assertThat(plan.firedRules()).noneMatch(name -> name.startsWith("Phone:") || name.startsWith("Desktop:"));
    }

    @Test
    void unknownProfile() {
        HandoffRequest request = new HandoffRequest(Conversation.of("hi"), "fridge", DeviceFacts.NONE);
        assertThatThrownBy(() -> engine.plan(request, "any"))
                .isInstanceOf(UnknownProfileException.class)
                .hasMessageContaining("fridge")
                .hasMessageContaining("kiosk");
    }

    @Test
    void everyProfileHasItsOwnRules() {
        for (String profile : PROFILES) {
            String prefix = Character.toUpperCase(profile.charAt(0)) + profile.substring(1) + ":";
            HandoffPlan plan = plan(profile, 1500, null, true);
            assertThat(plan.firedRules()).as(profile).anyMatch(name -> name.startsWith(prefix + " open with"));
            assertThat(plan.firedRules()).as(profile).anyMatch(name -> name.startsWith(prefix) && name.contains("recovery"));
            assertThat(plan.firedRules()).as(profile).anyMatch(name -> name.startsWith(prefix + " wait up to"));
        }
    }
}
