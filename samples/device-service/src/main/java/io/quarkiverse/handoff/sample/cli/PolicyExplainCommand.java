package io.quarkiverse.handoff.sample.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.handoff.policy.CloudRequest;
import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.policy.DeviceProfile;
import io.quarkiverse.handoff.policy.FactClass;
import io.quarkiverse.handoff.policy.FiredRule;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.PlanningFacts;
import io.quarkiverse.handoff.runtime.policy.PolicyEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Plans one handoff for facts given on the command line, through the application's real policy engine and rules,
 * and prints the plan with the rules that fired: a what-if tool for the people who tune the rules.
 */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false, description = "Plan one handoff for the given facts with the application's handoff rules and print the plan "
        + "and the rules that fired, in firing order, with their packages and the reasons they gave. Facts not given are unknown to the rules; "
        + "the cloud latency assumed before any measurement comes from "
        + "quarkus.handoff.policy.cloud.initial-first-token-ms.")
public class PolicyExplainCommand implements Callable<Integer> {

    @Option(names = "--profile", required = true, paramLabel = "P", description = "the device profile: watch, glasses, phone, earbuds, desktop or a configured one")
    String profile;

    @Mixin
    DeviceFactOptions device;

    @Option(names = "--cloud-ttft-ms", paramLabel = "N", description = "the cloud's measured first-token latency, in ms (the moving average a running service keeps)")
    Double cloudTtftMs;

    @Option(names = "--opener-first-word-ms", paramLabel = "N", description = "the opener's measured first-word latency, in ms: with --cloud-ttft-ms at or below it, the "
            + "cloud answers alone")
    Double openerFirstWordMs;

    @Option(names = "--turn", paramLabel = "N", defaultValue = "0", description = "the conversation turn: 0 for the first question (default: ${DEFAULT-VALUE})")
    int turn;

    @Option(names = "--cloud-unreachable", description = "plan as if the cloud could not be reached (breaker open)")
    boolean cloudUnreachable;

    @Option(names = "--json", description = "print one JSON object: the plan's fields, firedRules, rules (with package and reasons) and "
            + "the facts used")
    boolean json;

    @Spec
    CommandSpec spec;

    @Inject
    PolicyEngine engine;

    @Inject
    ObjectMapper mapper;

    @Override
    public Integer call() throws JsonProcessingException {
        if (engine == null) {
            throw new IllegalStateException("'policy explain' needs the application's policy engine: run it through "
                    + "the device service's main");
        }
        PlanningFacts facts = facts();
        HandoffPlan plan = engine.explain(facts);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode result = mapper.valueToTree(plan);
            result.set("facts", mapper.valueToTree(facts));
            out.println(mapper.writeValueAsString(result));
        } else {
            printText(out, plan, facts);
        }
        out.flush();
        return 0;
    }

    /** The facts from the options, each checked, with the application's assumed cloud latency. */
    PlanningFacts facts() {
        List<String> profiles = engine.profiles().names();
        if (!engine.profiles().contains(profile)) {
            throw invalid("--profile: unknown device profile '" + profile + "'; valid profiles: "
                    + String.join(", ", profiles) + " (declare more with quarkus.handoff.policy.profiles.\"NAME\""
                    + ".modality)");
        }
        DeviceProfile deviceProfile = engine.profiles().resolve(profile);
        DeviceFacts reported = device.deviceFacts(spec.commandLine());
        if (turn < 0) {
            throw invalid("--turn must be 0 or more (0 is the first question), got " + turn);
        }
        PlanningFacts facts = PlanningFacts.of(deviceProfile, reported);
        facts.setTurnIndex(turn);
        facts.setExpectedCloudFirstTokenMs(DeviceFactOptions.millis(spec.commandLine(), "--cloud-ttft-ms", cloudTtftMs));
        facts.setExpectedOpenerFirstWordMs(
                DeviceFactOptions.millis(spec.commandLine(), "--opener-first-word-ms", openerFirstWordMs));
        engine.cloud().assumedCloudFirstTokenMs().ifPresent(facts::setAssumedCloudFirstTokenMs);
        facts.setCloudReachable(!cloudUnreachable);
        return facts;
    }

    private ParameterException invalid(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static void printText(PrintWriter out, HandoffPlan plan, PlanningFacts facts) {
        out.printf("Plan for profile %s (%s, %s words/s)%n", plan.profile(), lower(facts.getModality()),
                number(facts.getWordsPerSecond()));
        out.printf("  mode              %s%n", lower(plan.mode()));
        out.printf("  opener            %d words, hand off %s%n", plan.openerWords(), handoffPoint(plan));
        out.printf("  grounded          %s%n", grounding(plan));
        out.printf("  recovery          %s%n", plan.recoveryMethod());
        out.printf("  sampling          %s%n", plan.sampling().greedy() ? "greedy"
                : "temperature " + number(plan.sampling().temperature()) + ", top-p "
                        + number(plan.sampling().topP()));
        out.printf("  cloud deadline    %d ms%n", plan.cloudFirstTokenDeadlineMs());
        out.printf("  cloud request     %s%n", cloudRequest(plan.cloud()));
        out.printf("  mask PII          %s%n", plan.maskPii() ? "yes" : "no");
        out.println("Facts");
        out.printf("  round trip        %s%n", ms(facts.getRttMs()));
        out.printf("  cloud first token %s measured, %s assumed%n", ms(facts.getExpectedCloudFirstTokenMs()),
                ms(facts.getAssumedCloudFirstTokenMs()));
        out.printf("  opener first word %s measured%n", ms(facts.getExpectedOpenerFirstWordMs()));
        out.printf("  battery           %s%n", facts.getBatteryPercent() == null ? "unknown"
                : facts.getBatteryPercent() + " %");
        out.printf("  thermal state     %s%n", facts.getThermalState() == null ? "unknown" : facts.getThermalState());
        out.printf("  turn              %d%n", facts.getTurnIndex());
        out.printf("  privacy           %s%n", facts.getPrivacyLevel());
        out.printf("  cloud reachable   %s%n", facts.isCloudReachable() ? "yes" : "no");
        out.println("Fired rules, in firing order (the last one to set a decision wins), each with its package");
        for (int i = 0; i < plan.rules().size(); i++) {
            FiredRule rule = plan.rules().get(i);
            out.printf("  %2d. %s%s%n", i + 1, rule.name(),
                    rule.packageName() == null ? "" : "  [" + rule.packageName() + "]");
            for (String reason : rule.reasons()) {
                out.printf("      because %s%n", reason);
            }
        }
    }

    private static String handoffPoint(HandoffPlan plan) {
        return switch (plan.handoffPoint()) {
            case AFTER_WORDS -> "after them";
            case CLAUSE_BOUNDARY -> "at the first clause boundary after them" + (plan.confidenceThreshold() > 0
                    ? ", or at the last one before a word under confidence " + number(plan.confidenceThreshold())
                    : "");
            case CONFIDENCE_DROP -> "when the opener's confidence drops below " + number(plan.confidenceThreshold());
        };
    }

    private static String grounding(HandoffPlan plan) {
        if (!plan.groundedOnly() || plan.factClasses().isEmpty()) {
            return "no: the opener may say any fact";
        }
        List<String> classes = plan.factClasses().stream().filter(fact -> fact != FactClass.SAFETY)
                .map(FactClass::label).toList();
        String safety = plan.factClasses().contains(FactClass.SAFETY)
                ? "before a " + FactClass.SAFETY.label() + " (" + FactClass.UNWARRANTED_STANCES + ")"
                : "";
        if (classes.isEmpty()) {
            return "yes: stops " + safety;
        }
        String last = classes.get(classes.size() - 1);
        String kinds = classes.size() == 1 ? last
                : String.join(", a ", classes.subList(0, classes.size() - 1)) + " or a " + last;
        return "yes: stops before a " + kinds + " the conversation does not contain" + (safety.isEmpty() ? ""
                : ", and " + safety);
    }

    private static String lower(Enum<?> value) {
        return value == null ? "unknown" : value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String ms(Double value) {
        return value == null ? "unknown" : number(value) + " ms";
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** The plan's shape of the cloud request, what it leaves to the provider included. */
    private static String cloudRequest(CloudRequest cloud) {
        return "at most " + (cloud.maxTokens() == null ? "the provider's" : cloud.maxTokens()) + " tokens, temperature "
                + (cloud.temperature() == null ? "the provider's" : cloud.temperature())
                + (cloud.stop().isEmpty() ? "" : ", stop at " + cloud.stop());
    }
}
