package io.quarkiverse.handoff.deployment.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.policy.HandoffMode;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPoint;
import io.quarkiverse.handoff.policy.Modality;
import io.quarkiverse.handoff.policy.PlanDraft;
import io.quarkiverse.handoff.policy.PlanningFacts;
import io.quarkiverse.handoff.runtime.policy.DeviceProfiles;
import io.quarkiverse.handoff.runtime.policy.DroolsHandoffPlanner;
import io.quarkiverse.handoff.runtime.policy.HandoffRules;
import io.quarkus.test.QuarkusUnitTest;

/**
 * What planning one handoff costs: the default Drools rules (compiled at build time, as the application runs them)
 * side by side with a hand-coded Java planner that takes the same decisions, per built-in profile; and the first plan
 * after startup against the steady state. Not part of the default build (surefire excludes *Benchmark); run it with
 * {@code ./mvnw -B -o verify -pl extension,policies,runtime,deployment -Dtest=PlanningBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}. Prints a table and writes it to {@code deployment/bench/planning-benchmark.md}.
 */
class PlanningBenchmark {

    @RegisterExtension
    static final QuarkusUnitTest unitTest = new QuarkusUnitTest()
            .withApplicationRoot(jar -> jar.addAsResource(new StringAsset("quarkus.handoff.opener.enabled=false\n"),
                    "application.properties"));

    static final Path REPORT = Path.of("bench/planning-benchmark.md");
    static final int WARM_UP_PLANS = 20_000;
    static final int MEASURED_PLANS = 20_000;
    static final int COLD_PLANNERS = 5;

    @Inject
    DroolsHandoffPlanner planner;

    @Inject
    HandoffRules rules;

    @Test
    void planningCostsWellUnderAMillisecond() throws IOException {
        // first thing in the application: the planner bean was warmed by dry plans at startup
        List<PlanningFacts> scenarios = scenarios("watch");
        double firstPlanAfterStartupUs = timeOnce(planner::plan, scenarios.get(0));
        // a planner that did not warm up: its first plan builds the rule base from the compiled model
        double[] coldFirstPlansUs = new double[COLD_PLANNERS];
        for (int i = 0; i < COLD_PLANNERS; i++) {
            DroolsHandoffPlanner cold = new DroolsHandoffPlanner(rules);
            coldFirstPlansUs[i] = timeOnce(cold::plan, scenarios.get(0));
        }

        StringBuilder table = new StringBuilder();
        table.append("| profile | scenarios | Drools mean µs | Drools p50 µs | Drools p99 µs | Java mean µs | Java p50 µs "
                + "| Java p99 µs | Drools / Java (mean) |\n");
        table.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        double worstDroolsP99 = 0;
        for (String profile : List.of("watch", "glasses", "phone", "earbuds", "desktop")) {
            List<PlanningFacts> facts = scenarios(profile);
            for (PlanningFacts f : facts) {
                assertThat(withoutRules(planner.plan(f))).as("the Java planner takes the rules' decisions for %s", f)
                        .isEqualTo(withoutRules(JavaPlanner.plan(f)));
            }
            Stats drools = measure(planner::plan, facts);
            Stats java = measure(JavaPlanner::plan, facts);
            worstDroolsP99 = Math.max(worstDroolsP99, drools.p99());
            table.append(String.format(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.1f | %.2f | %.2f | %.2f | %.0fx |%n",
                    profile, facts.size(), drools.mean(), drools.p50(), drools.p99(), java.mean(), java.p50(),
                    java.p99(), drools.mean() / java.mean()));
        }
        double steadyMedianUs = measure(planner::plan, scenarios).p50();
        Arrays.sort(coldFirstPlansUs);

        String report = "# Planning one handoff: Drools rules vs hand-coded Java\n\n"
                + "Each plan fires the default rules (policies/, compiled to the Drools executable model at build time) "
                + "in a fresh session on one set of facts. The Java planner takes exactly the same decisions (checked "
                + "on every scenario before timing) without rules, explanations or overrides: it is the floor. "
                + "Scenarios per profile: cloud latency measured (300-6000 ms), from the device's round trip or "
                + "assumed; battery unknown, 80 % and 15 %; hot device; 1st and 5th question; cloud reachable or "
                + "not; cloud measured faster than the opener. " + WARM_UP_PLANS + " warm-up plans, then "
                + MEASURED_PLANS + " timed plans per planner and profile, one System.nanoTime() pair per plan, on a "
                + "shared 2-core machine.\n\n"
                + "Generated by `./mvnw -B -o verify -pl extension,policies,runtime,deployment -Dtest=PlanningBenchmark "
                + "-Dsurefire.failIfNoSpecifiedTests=false` (deployment/src/test/.../PlanningBenchmark.java).\n\n"
                + "## Steady state\n\n" + table
                + "\n## First plan vs steady state (Drools)\n\n"
                + "| plan | µs |\n|---|---:|\n"
                + String.format(Locale.ROOT, "| first plan of the application's planner (warmed by a dry plan per "
                        + "profile at startup) | %.1f |%n", firstPlanAfterStartupUs)
                + String.format(Locale.ROOT, "| first plan of a planner without warm-up (builds its rule base; "
                        + "median of %d, classes already loaded) | %.1f |%n", COLD_PLANNERS,
                        coldFirstPlansUs[COLD_PLANNERS / 2])
                + String.format(Locale.ROOT, "| steady state, median | %.1f |%n", steadyMedianUs)
                + "\nThe first plan of a fresh JVM without the startup warm-up also loads the generated rule classes "
                + "and Drools itself: the application pays that at startup (DroolsHandoffPlanner's dry plans), not on "
                + "its first request.\n";
        System.out.println(report);
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, report);
        assertThat(worstDroolsP99).as("p99 of one plan, µs").isLessThan(1000);
    }

    record Stats(double mean, double p50, double p99) {
    }

    private static double timeOnce(Function<PlanningFacts, HandoffPlan> plan, PlanningFacts facts) {
        long start = System.nanoTime();
        plan.apply(facts);
        return (System.nanoTime() - start) / 1_000.0;
    }

    private static Stats measure(Function<PlanningFacts, HandoffPlan> plan, List<PlanningFacts> facts) {
        long sink = 0;
        for (int i = 0; i < WARM_UP_PLANS; i++) {
            sink += plan.apply(facts.get(i % facts.size())).openerWords();
        }
        long[] nanos = new long[MEASURED_PLANS];
        for (int i = 0; i < MEASURED_PLANS; i++) {
            PlanningFacts f = facts.get(i % facts.size());
            long start = System.nanoTime();
            sink += plan.apply(f).openerWords();
            nanos[i] = System.nanoTime() - start;
        }
        assertThat(sink).isPositive();
        Arrays.sort(nanos);
        double mean = Arrays.stream(nanos).average().orElseThrow() / 1_000.0;
        return new Stats(mean, nanos[MEASURED_PLANS / 2] / 1_000.0, nanos[(int) (MEASURED_PLANS * 0.99)] / 1_000.0);
    }

    /** A spread of the situations a profile meets: every branch of the default rules. */
    static List<PlanningFacts> scenarios(String profileName) {
        var profile = DeviceProfiles.BUILT_IN.stream().filter(p -> p.name().equals(profileName)).findFirst()
                .orElseThrow();
        List<PlanningFacts> all = new ArrayList<>();
        for (Integer battery : new Integer[] { null, 80, 15 }) {
            for (double measured : new double[] { 300, 1500, 6000 }) {
                for (boolean reachable : new boolean[] { true, false }) {
                    PlanningFacts f = PlanningFacts.of(profile, new DeviceFacts(battery, null, null, null, null));
                    f.setExpectedCloudFirstTokenMs(measured);
                    f.setExpectedOpenerFirstWordMs(400.0);
                    f.setAssumedCloudFirstTokenMs(1200.0);
                    f.setCloudReachable(reachable);
                    all.add(f);
                }
            }
            PlanningFacts roundTrip = PlanningFacts.of(profile, new DeviceFacts(battery, "serious", 900.0, null,
                    "sensitive"));
            roundTrip.setAssumedCloudFirstTokenMs(1200.0);
            roundTrip.setTurnIndex(4);
            all.add(roundTrip);
            PlanningFacts assumed = PlanningFacts.of(profile, new DeviceFacts(battery, "nominal", null, null, null));
            assumed.setAssumedCloudFirstTokenMs(1200.0);
            all.add(assumed);
        }
        return all;
    }

    private static HandoffPlan withoutRules(HandoffPlan plan) {
        return new HandoffPlan(plan.profile(), plan.mode(), plan.openerWords(), plan.handoffPoint(),
                plan.confidenceThreshold(), plan.recoveryMethod(), plan.sampling(), plan.cloudFirstTokenDeadlineMs(),
                plan.maskPii(), List.of(), plan.speculativeCloudStart(), plan.groundedOnly(), plan.factClasses());
    }

    /** The default rules of policies/, hand-coded: the cost floor of the same decisions. */
    static final class JavaPlanner {

        static HandoffPlan plan(PlanningFacts facts) {
            PlanDraft draft = new PlanDraft();
            if (facts.getModality() == Modality.SPEECH) {
                draft.setHandoffPoint(HandoffPoint.CLAUSE_BOUNDARY);
                draft.setRecoveryMethod("natural");
                draft.setConfidenceThreshold(0.15);
            } else if (facts.getModality() == Modality.SCREEN) {
                draft.setHandoffPoint(HandoffPoint.AFTER_WORDS);
                draft.setRecoveryMethod("explicit");
            }
            draft.setTemperature(0.5);
            draft.setTopP(0.9);
            draft.setGroundedOnly(true);
            switch (facts.getProfile()) {
                case "watch", "glasses" -> profile(draft, 5, "natural", 3000);
                case "earbuds" -> profile(draft, 6, "humorous", 3500);
                case "desktop" -> profile(draft, 4, "explicit", 5000);
                case "phone" -> {
                    profile(draft, 6, "explicit", 4000);
                    draft.setHandoffPoint(HandoffPoint.CONFIDENCE_DROP);
                    draft.setConfidenceThreshold(0.2);
                }
                default -> {
                }
            }
            Double cloudMs = facts.getExpectedCloudFirstTokenMs() != null ? facts.getExpectedCloudFirstTokenMs()
                    : facts.getRttMs() != null ? Double.valueOf(facts.getRttMs() + 500)
                            : facts.getAssumedCloudFirstTokenMs();
            if (cloudMs != null) {
                draft.setOpenerWords(Math.min(8, Math.max(4, facts.wordsToCover(cloudMs))));
                draft.setCloudFirstTokenDeadlineMs(
                        Math.min(10000L, Math.max(draft.getCloudFirstTokenDeadlineMs(), Math.round(cloudMs * 2))));
            }
            if (facts.getTurnIndex() >= 3) {
                draft.setOpenerWords(Math.min(5, draft.getOpenerWords()));
            }
            // while the cloud is expected, a tired device's opener still covers its latency
            boolean covers = facts.isCloudReachable() && cloudMs != null;
            if (facts.getBatteryPercent() != null && facts.getBatteryPercent() <= 20) {
                draft.setOpenerWords(covers ? facts.shortened(draft.getOpenerWords(), 2, cloudMs)
                        : Math.max(2, draft.getOpenerWords() - 2));
            }
            if ("serious".equals(facts.getThermalState()) || "critical".equals(facts.getThermalState())) {
                draft.setTemperature(0);
                draft.setTopP(1);
                draft.setOpenerWords(covers ? facts.shortened(draft.getOpenerWords(), 1, cloudMs)
                        : Math.max(2, draft.getOpenerWords() - 1));
            }
            if ("sensitive".equals(facts.getPrivacyLevel())) {
                draft.setMaskPii(true);
            }
            if (!facts.isCloudReachable()) {
                draft.setMode(HandoffMode.LOCAL_ONLY);
            } else if (facts.getExpectedOpenerFirstWordMs() != null && facts.getExpectedCloudFirstTokenMs() != null
                    && facts.getExpectedCloudFirstTokenMs() <= facts.getExpectedOpenerFirstWordMs()) {
                draft.setMode(HandoffMode.CLOUD_ONLY);
                draft.setOpenerWords(0);
            }
            return draft.toPlan(facts.getProfile(), List.of("hand-coded"));
        }

        private static void profile(PlanDraft draft, int words, String recovery, long deadlineMs) {
            draft.setOpenerWords(words);
            draft.setRecoveryMethod(recovery);
            draft.setCloudFirstTokenDeadlineMs(deadlineMs);
        }
    }
}
