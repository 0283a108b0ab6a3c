package io.quarkiverse.handoff.sample.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import picocli.CommandLine;

/**
 * {@code policy explain} against the application's real policy engine and rules: the commands are created by the
 * application's picocli factory (so they get their beans) and run with the same {@link CliErrors} handling as the
 * packaged main, one application start for every case. {@link CliTest} runs it through the packaged main.
 */
@QuarkusTest
class PolicyExplainCommandTest {

    @Inject
    CommandLine.IFactory factory;

    CommandsTest.Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = CliErrors.configure(new CommandLine(DeviceServiceCommand.class, factory));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new CommandsTest.Result(code, out.toString(), err.toString());
    }

    JsonNode explain(String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("policy", "explain"));
        args.addAll(List.of(options));
        args.add("--json");
        return run(args.toArray(String[]::new)).json();
    }

    static List<String> firedRules(JsonNode plan) {
        List<String> rules = new ArrayList<>();
        plan.get("firedRules").forEach(rule -> rules.add(rule.asText()));
        return rules;
    }

    @Test
    void jsonHasThePlanTheFiredRulesAndTheFacts() throws IOException {
        JsonNode watch = explain("--profile", "watch", "--rtt-ms", "2500", "--battery", "80");
        assertThat(watch.get("profile").asText()).isEqualTo("watch");
        assertThat(watch.get("mode").asText()).isEqualTo("HYBRID");
        // 2500 ms round trip + 500 ms for the cloud model, spoken at 2.5 words/s: 8 words
        assertThat(watch.get("openerWords").asInt()).isEqualTo(8);
        assertThat(watch.get("handoffPoint").asText()).isEqualTo("CLAUSE_BOUNDARY");
        assertThat(watch.get("cloudFirstTokenDeadlineMs").asLong()).isEqualTo(6000);
        assertThat(watch.get("sampling").get("temperature").asDouble()).isEqualTo(0.5);
        assertThat(firedRules(watch)).contains("Watch: open with 5 words",
                "Cloud latency: the device's round trip plus 500 ms for the cloud model",
                "Opener covers the expected cloud latency (4-8 words)");
        JsonNode latencyRule = null;
        for (JsonNode rule : watch.get("rules")) {
            assertThat(rule.get("package").asText()).isEqualTo("io.quarkiverse.handoff.policies");
            if (rule.get("name").asText().equals("Opener covers the expected cloud latency (4-8 words)")) {
                latencyRule = rule;
            }
        }
        assertThat(latencyRule.get("reasons").get(0).asText())
                .isEqualTo("the cloud's first token is expected after 3000 ms, which 8 words cover");
        JsonNode facts = watch.get("facts");
        assertThat(facts.get("profile").asText()).isEqualTo("watch");
        assertThat(facts.get("modality").asText()).isEqualTo("SPEECH");
        assertThat(facts.get("rttMs").asDouble()).isEqualTo(2500);
        assertThat(facts.get("batteryPercent").asInt()).isEqualTo(80);
        assertThat(facts.get("assumedCloudFirstTokenMs").asDouble()).as("the application's configuration")
                .isEqualTo(1200);
        assertThat(facts.get("cloudReachable").asBoolean()).isTrue();
    }

    @Test
    void watchAndPhoneDiffer() throws IOException {
        JsonNode watch = explain("--profile", "watch", "--cloud-ttft-ms", "1500");
        JsonNode phone = explain("--profile", "phone", "--cloud-ttft-ms", "1500");
        assertThat(watch.get("openerWords").asInt()).isEqualTo(4);
        assertThat(phone.get("openerWords").asInt()).isEqualTo(6);
        assertThat(watch.get("recoveryMethod").asText()).isEqualTo("natural");
        assertThat(phone.get("recoveryMethod").asText()).isEqualTo("explicit");
        assertThat(phone.get("handoffPoint").asText()).isEqualTo("CONFIDENCE_DROP");
        assertThat(firedRules(watch)).contains("Watch: natural recovery").noneMatch(r -> r.startsWith("Phone:"));
        assertThat(firedRules(phone)).contains("Phone: explicit recovery").noneMatch(r -> r.startsWith("Watch:"));
        // the grounding guard and the speech confidence stop are plan decisions, explained like the others
        for (JsonNode plan : List.of(watch, phone)) {
            assertThat(plan.get("groundedOnly").asBoolean()).isTrue();
            assertThat(plan.get("factClasses").toString())
                    .isEqualTo(
                            "[\"NUMBER\",\"DATE_TIME\",\"NAME\",\"GUESSED_WORD\",\"UNIT\",\"TOPIC\",\"DIRECTION\",\"FEELING\",\"SAFETY\"]");
            assertThat(firedRules(plan)).contains("Grounded opener: stop before a fact the conversation does not hold");
        }
        assertThat(watch.get("confidenceThreshold").asDouble()).isEqualTo(0.15);
        assertThat(firedRules(watch)).contains("Speech: stop at the last clause boundary before a doubtful word");
    }

    @Test
    void speechAndScreenDiffer() throws IOException {
        JsonNode speech = explain("--profile", "desktop", "--modality", "speech", "--cloud-ttft-ms", "1500");
        JsonNode screen = explain("--profile", "desktop", "--modality", "SCREEN", "--cloud-ttft-ms", "1500");
        assertThat(speech.get("facts").get("modality").asText()).isEqualTo("SPEECH");
        assertThat(speech.get("handoffPoint").asText()).isEqualTo("CLAUSE_BOUNDARY");
        assertThat(screen.get("handoffPoint").asText()).isEqualTo("AFTER_WORDS");
        assertThat(firedRules(speech)).contains("Speech: hand off at a clause boundary, recover naturally");
        assertThat(firedRules(screen)).contains("Screen: hand off after the planned words, recover explicitly");
        // the modality decides the recovery and the rate over the desktop's defaults; the desktop's token limit stays
        assertThat(speech.get("recoveryMethod").asText()).isEqualTo("natural");
        assertThat(screen.get("recoveryMethod").asText()).isEqualTo("explicit");
        assertThat(speech.get("facts").get("wordsPerSecond").asDouble()).isEqualTo(2.5);
        assertThat(screen.get("facts").get("wordsPerSecond").asDouble()).as("the desktop's own rate").isEqualTo(5.0);
        assertThat(speech.get("cloud").get("maxTokens").asInt()).isEqualTo(800);
        assertThat(speech.get("cloud").get("temperature").asDouble()).isEqualTo(0.7);
    }

    @Test
    void unreachableCloudIsLocalOnlyAndAFasterCloudSkipsTheOpener() throws IOException {
        JsonNode local = explain("--profile", "earbuds", "--cloud-unreachable");
        assertThat(local.get("mode").asText()).isEqualTo("LOCAL_ONLY");
        assertThat(firedRules(local)).contains("Cloud unreachable: the micro-model answers alone");
        assertThat(local.get("groundedOnly").asBoolean()).as("the device finishes alone, and still says no fact it "
                + "cannot know").isTrue();
        assertThat(local.get("facts").get("cloudReachable").asBoolean()).isFalse();

        JsonNode cloud = explain("--profile", "phone", "--cloud-ttft-ms", "150", "--opener-first-word-ms", "300");
        assertThat(cloud.get("mode").asText()).isEqualTo("CLOUD_ONLY");
        assertThat(cloud.get("openerWords").asInt()).isZero();
        assertThat(firedRules(cloud)).contains("Cloud faster than the opener: skip the opener");
    }

    @Test
    void everyFactFlagReachesTheRules() throws IOException {
        JsonNode plan = explain("--profile", "phone", "--cloud-ttft-ms", "3000", "--battery", "10", "--thermal",
                "Critical", "--privacy", "sensitive", "--turn", "4");
        assertThat(firedRules(plan)).contains("Low battery: a shorter opener that still covers the cloud's latency",
                "Hot device: greedy sampling, a shorter opener that still covers the cloud's latency",
                "Sensitive conversation: mask personal data",
                "Long conversation: at most 5 opener words from the 4th question");
        assertThat(plan.get("maskPii").asBoolean()).isTrue();
        assertThat(plan.get("facts").get("thermalState").asText()).isEqualTo("critical");
        assertThat(plan.get("facts").get("turnIndex").asInt()).isEqualTo(4);
        // 3000 ms -> 8 words; 4th question -> 5; the battery and the heat may not go below what covers 3 s (12 words)
        assertThat(plan.get("openerWords").asInt()).isEqualTo(5);
    }

    @Test
    void textOutputIsReadable() {
        CommandsTest.Result result = run("policy", "explain", "--profile", "glasses", "--rtt-ms", "300");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("Plan for profile glasses (speech, 2.5 words/s)", "mode              hybrid",
                "opener            4 words, hand off at the first clause boundary after them, or at the last one "
                        + "before a word under confidence 0.15",
                "grounded          yes: stops before a number, a date or time, a name, a guessed word, a unit or "
                        + "operation, a subject, a direction or a feeling the conversation does not contain, and "
                        + "before a stance the request does not call for (declining a harmless request, going along "
                        + "with a harmful one)",
                "cloud request     at most 120 tokens, temperature 0.7",
                "round trip        300 ms", "Fired rules, in firing order",
                "Cloud latency: the device's round trip plus 500 ms for the cloud model  [io.quarkiverse.handoff.policies]",
                "Opener covers the expected cloud latency (4-8 words)  [io.quarkiverse.handoff.policies]"
                        + System.lineSeparator()
                        + "      because the cloud's first token is expected after 800 ms, which 2 words cover"
                        + System.lineSeparator());
        assertThat(result.out().strip()).doesNotStartWith("{");
    }

    @Test
    void badInputIsOneClearLineWithExitCode2() {
        assertError(run("policy", "explain", "--profile", "fridge"), "--profile", "fridge", "watch, glasses, phone");
        assertError(run("policy", "explain", "--profile", "watch", "--modality", "smell"), "--modality",
                "speech or screen", "smell");
        assertError(run("policy", "explain", "--profile", "watch", "--battery", "101"), "--battery", "0 to 100");
        assertError(run("policy", "explain", "--profile", "watch", "--battery", "-1"), "--battery", "0 to 100");
        assertError(run("policy", "explain", "--profile", "watch", "--rtt-ms", "-5"), "--rtt-ms", ">= 0");
        assertError(run("policy", "explain", "--profile", "watch", "--cloud-ttft-ms", "-1"), "--cloud-ttft-ms",
                ">= 0");
        assertError(run("policy", "explain", "--profile", "watch", "--thermal", "warm"), "--thermal",
                "nominal, fair, serious, critical");
        assertError(run("policy", "explain", "--profile", "watch", "--rtt-ms", "fast"), "--rtt-ms", "fast");
        assertError(run("policy", "explain"), "--profile");
        assertError(run("policy"), "policy explain");
    }

    @Test
    void helpDescribesTheFlags() {
        CommandsTest.Result result = run("policy", "explain", "--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("--profile", "--rtt-ms", "--cloud-ttft-ms", "--battery", "--modality",
                "--thermal", "--turn", "--privacy", "--cloud-unreachable", "--json");
    }

    static void assertError(CommandsTest.Result result, String... fragments) {
        result.assertOneLineError(fragments);
        assertThat(result.exitCode()).isEqualTo(2);
    }
}
