package io.quarkiverse.handoff.sample.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * {@code ask} through the application's real main, on embedded defaults: the demo opener model and, with no cloud
 * configured, the embedded continuator.
 */
@QuarkusMainTest
class AskCommandTest {

    static final Pattern QUARKUS_LOG_LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d+ [A-Z]+ ");

    @AfterEach
    void letTheOpenerLoaderFinish() throws InterruptedException {
        CliTest.awaitOpenerLoader();
    }

    @Test
    @Launch({ "ask", "Why is the sky blue?", "--profile", "watch", "--no-color" })
    void printsTheReplyThenTheTimingsStrategyAndFiredRules(LaunchResult result) {
        // the colours are checked on the packaged jar (PackagedCliTest): the test launcher's console drops them
        List<String> lines = result.getOutputStream().stream()
                .filter(line -> !QUARKUS_LOG_LINE.matcher(line).lookingAt()).toList();
        assertThat(lines.get(0).strip()).isNotEmpty().doesNotContain("\u001B[").doesNotStartWith("timings");
        assertThat(lines.get(1)).isBlank();
        assertThat(lines.get(2)).startsWith("timings: opener first token ").contains(" ms, first word ",
                "opener done ", "cloud request sent -", "cloud first token -", "seam gap ", "total ");
        // no cloud configured: the device closed the sentence and said it cannot finish the answer
        assertThat(lines.get(0)).endsWith(" Sorry, I can't finish this answer right now.");
        assertThat(lines.get(3)).isEqualTo("strategy: local (continued by embedded), degraded: yes (no-cloud), no cloud "
                + "model is configured: the device finished the reply");
        assertThat(lines.get(4)).startsWith("plan: profile watch, hybrid, ").endsWith("hand off clause boundary");
        assertThat(lines.get(5)).isEqualTo("fired rules:");
        assertThat(lines.subList(6, lines.size())).contains("  - Watch: natural recovery");
    }

    @Test
    void jsonPrintsOneEventPerLineAsTheSseEndpoint(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = launcher.launch("ask", "Set a timer for 10 minutes", "--profile", "phone", "--json",
                "--modality", "speech", "--battery", "80");
        assertThat(result.exitCode()).as("stderr: %s", result.getErrorOutput()).isZero();
        List<JsonNode> events = new ArrayList<>();
        for (String line : result.getOutput().strip().split("\\R")) {
            if (QUARKUS_LOG_LINE.matcher(line).lookingAt()) {
                continue; // the test launcher's console also carries the log of an application restarted in this JVM
            }
            assertThat(line).as("an event line").startsWith("{").endsWith("}");
            events.add(CliTest.MAPPER.readTree(line));
        }
        List<String> types = new ArrayList<>();
        StringBuilder opener = new StringBuilder();
        StringBuilder continuation = new StringBuilder();
        for (JsonNode event : events) {
            String type = event.get("type").asText();
            types.add(type);
            assertThat(event.get("ms").asDouble()).isPositive();
            if (type.equals("opener")) {
                opener.append(event.get("text").asText());
            } else if (type.equals("continuation")) {
                continuation.append(event.get("delta").asText());
            }
        }
        // opener words, the handoff plan, continuation deltas (and corrections), done
        assertThat(String.join(",", types)).matches("(opener,)+handoff,((continuation|correction),)*done")
                .contains("continuation");
        JsonNode plan = events.stream().filter(e -> e.get("type").asText().equals("handoff")).findFirst()
                .orElseThrow().get("plan");
        assertThat(plan.get("profile").asText()).isEqualTo("phone");
        // --modality speech overrides the phone's screen
        assertThat(plan.get("firedRules").toString()).contains("Speech: hand off at a clause boundary");
        JsonNode done = events.get(events.size() - 1);
        assertThat(done.get("opener").asText()).isEqualTo(opener.toString());
        assertThat(done.get("continuation").asText()).isEqualTo(continuation.toString());
        assertThat(done.get("degraded").asBoolean()).isTrue();
        assertThat(done.get("degradedCode").asText()).isEqualTo("no-cloud");
        assertThat(done.get("text").asText()).endsWith(" Sorry, I can't finish this answer right now.");
        JsonNode timings = done.get("timings");
        assertThat(timings.get("openerFirstWordMs").asDouble()).isPositive()
                .isLessThanOrEqualTo(timings.get("openerDoneMs").asDouble())
                .isLessThanOrEqualTo(timings.get("totalMs").asDouble());
    }

    @Test
    @Launch(value = { "ask", "Hello", "--profile", "moon" }, exitCode = 2)
    void anUnknownProfileIsOneClearLineWithExitCodeTwo(LaunchResult result) {
        CliTest.assertOneLineError(result, "Unknown device profile 'moon'", "watch, glasses, phone", "ask --help");
    }

    @Test
    @Launch(value = { "ask", "Hello", "--modality", "smell" }, exitCode = 2)
    void anUnknownModalityIsOneClearLineWithExitCodeTwo(LaunchResult result) {
        CliTest.assertOneLineError(result, "--modality must be speech or screen", "smell");
    }

    @Test
    @Launch(value = { "ask", "Hello", "--timeout", "0.001" }, exitCode = 1)
    void aHandoffThatDoesNotFinishInTimeIsOneClearLine(LaunchResult result) {
        // the limit can fall before the opener model is loaded or after its first words were printed (a fast machine
        // with the model loaded early): either way one error line, and no trace or summary after the words
        String err = result.getErrorOutput().strip();
        assertThat(err).startsWith("error: ").doesNotContain("\n").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(err).contains("within 0.001 s", "--timeout");
        assertThat(result.getOutput()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("timings:");
    }
}
