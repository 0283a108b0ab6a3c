package io.quarkiverse.handoff.sample.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    static final Pattern COLOURED = Pattern.compile("\u001B\\[(\\d+)m(.*?)\u001B\\[0m", Pattern.DOTALL);

    @Test
    void printsTheOpenerInOneColourThenTheContinuationInAnotherThenTheTimings(QuarkusMainLauncher launcher) {
        // picocli.ansi=true forces the colours a terminal would get
        System.setProperty("picocli.ansi", "true");
        LaunchResult result;
        try {
            result = launcher.launch("ask", "Why is the sky blue?", "--profile", "watch");
        } finally {
            System.clearProperty("picocli.ansi");
        }
        assertThat(result.exitCode()).as("stderr: %s", result.getErrorOutput()).isZero();
        String out = result.getOutput();
        List<String> colours = new ArrayList<>();
        StringBuilder reply = new StringBuilder();
        Matcher m = COLOURED.matcher(out);
        while (m.find()) {
            colours.add(m.group(1));
            reply.append(m.group(2));
        }
        // cyan (36) opener words first, then green (32) continuation deltas, never mixed
        assertThat(colours).isNotEmpty().startsWith("36").endsWith("32");
        assertThat(String.join(",", colours)).matches("(36,)+32(,32)*");
        assertThat(out).startsWith("\u001B[36m");
        String plain = COLOURED.matcher(out).replaceAll("$2");
        assertThat(plain).startsWith(reply.toString()).contains(
                "timings: opener first token ", " ms, first word ", "opener done ", "cloud request sent -",
                "cloud first token -", "seam gap ", "total ", "strategy: local (continued by embedded), degraded: no",
                "plan: profile watch, hybrid", "fired rules:", "  - Watch: natural recovery");
        assertThat(reply.toString().strip()).isNotEmpty();
    }

    @Test
    void jsonPrintsOneEventPerLineAsTheSseEndpoint(QuarkusMainLauncher launcher) throws IOException {
        LaunchResult result = launcher.launch("ask", "Set a timer for 10 minutes", "--profile", "phone", "--json",
                "--modality", "speech", "--battery", "80");
        assertThat(result.exitCode()).as("stderr: %s", result.getErrorOutput()).isZero();
        List<JsonNode> events = new ArrayList<>();
        for (String line : result.getOutput().strip().split("\\R")) {
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
        assertThat(done.get("degraded").asBoolean()).isFalse();
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
        CliTest.assertOneLineError(result, "--modality 'smell' is unknown: use speech or screen");
    }

    @Test
    @Launch(value = { "ask", "Hello", "--timeout", "0.001" }, exitCode = 1)
    void aHandoffThatDoesNotFinishInTimeIsOneClearLine(LaunchResult result) {
        CliTest.assertOneLineError(result, "within 0.001 s", "--timeout");
    }
}
