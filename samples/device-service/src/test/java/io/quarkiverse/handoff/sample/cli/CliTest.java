package io.quarkiverse.handoff.sample.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * The packaged command line (the application's real main, Quarkus started in tool mode) against the runtime's test
 * models and their transformers references (runtime/src/test/resources/models/NAME/reference.json). Each launch starts
 * the application, so the many other cases run the commands directly in {@link CommandsTest}.
 */
@QuarkusMainTest
class CliTest {

    static final Path MODELS = Path.of("../../runtime/src/test/resources/models").toAbsolutePath().normalize();
    static final ObjectMapper MAPPER = new ObjectMapper();

    static JsonNode reference(String model) throws IOException {
        return MAPPER.readTree(MODELS.resolve(model).resolve("reference.json").toFile());
    }

    static JsonNode referenceCase(String model, String name) throws IOException {
        for (JsonNode c : reference(model).get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no case " + name);
    }

    static JsonNode json(LaunchResult result) throws IOException {
        assertThat(result.exitCode()).as("exit code; stderr: %s", result.getErrorOutput()).isZero();
        return MAPPER.readTree(result.getOutput());
    }

    static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    /**
     * Waits for the opener model loader of the last launch: it runs on a thread of its own that outlives an
     * application stopped before the model was loaded (a usage error, a short --timeout), and what it logs then must
     * not land in the next launch's output.
     */
    static void awaitOpenerLoader() throws InterruptedException {
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().equals("handoff-opener-loader")) {
                thread.join(60_000);
            }
        }
    }

    @AfterEach
    void letTheOpenerLoaderFinish() throws InterruptedException {
        awaitOpenerLoader();
    }

    static void assertOneLineError(LaunchResult result, String... fragments) {
        assertThat(result.exitCode()).isNotZero();
        String err = result.getErrorOutput().strip();
        assertThat(err).startsWith("error: ").doesNotContain("\n").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(err).contains(fragments);
        assertThat(result.getOutput()).isBlank();
    }

    @Test
    void tokenizeGivesTheTransformersIds(QuarkusMainLauncher launcher) throws IOException {
        JsonNode c = referenceCase("tiny-gqa", "chat-multi-turn");
        LaunchResult result = launcher.launch("tokenize", "--tokenizer",
                MODELS.resolve("tiny-gqa/tokenizer.json").toString(), "--text", c.get("prompt_text").asText(),
                "--json");
        assertThat(result.getOutput().strip()).startsWith("{\"ids\":[");
        assertThat(ints(json(result).get("ids"))).isEqualTo(ints(c.get("prompt_ids")));
    }

    @Test
    void greedyOpenerTokensAreTheReferenceContinuation(QuarkusMainLauncher launcher) throws IOException {
        JsonNode c = referenceCase("tiny-gqa", "chat-single-turn");
        String user = c.get("messages").get(0).get("content").asText();
        JsonNode out = json(launcher.launch("opener", "--model", MODELS.resolve("tiny-gqa").toString(), "--prompt",
                user, "--greedy", "--max-tokens", "24", "--json"));
        assertOpenerMatchesReference(out, c, 8);
    }

    static void assertOpenerMatchesReference(JsonNode out, JsonNode c, int maxWords) {
        List<Integer> tokens = ints(out.get("tokens"));
        List<Integer> expected = ints(c.get("continuation_ids"));
        assertThat(tokens).isNotEmpty().hasSizeLessThanOrEqualTo(expected.size());
        assertThat(tokens).isEqualTo(expected.subList(0, tokens.size()));
        assertThat(out.get("prompt_tokens").asInt()).isEqualTo(c.get("prompt_ids").size());
        StringBuilder text = new StringBuilder();
        out.get("words").forEach(w -> {
            text.append(w.get("word").asText());
            assertThat(w.get("ms").asDouble()).isPositive();
        });
        assertThat(out.get("text").asText()).isEqualTo(text.toString());
        assertThat(out.get("words").size()).isLessThanOrEqualTo(maxWords);
        assertThat(out.get("first_token_ms").asDouble()).isPositive()
                .isLessThanOrEqualTo(out.get("done_ms").asDouble());
        // when each token was generated: one time per token, in order, none before the first token's milestone
        List<Double> tokenMillis = new ArrayList<>();
        out.get("token_ms").forEach(t -> tokenMillis.add(t.asDouble()));
        assertThat(tokenMillis).hasSize(tokens.size()).isSorted();
        assertThat(tokenMillis.get(0)).isGreaterThanOrEqualTo(out.get("first_token_ms").asDouble());
    }

    @Test
    @Launch(value = { "opener", "--model", "../../runtime/src/test/resources/models/no-such-model", "--prompt",
            "Hi" }, exitCode = 1)
    void aMissingModelDirectoryIsOneClearLine(LaunchResult result) {
        assertThat(result.getErrorOutput().strip()).startsWith("error: ").doesNotContain("\n")
                .doesNotContain("Exception").contains("no-such-model", "does not exist", "--model");
        assertThat(result.getOutput()).isBlank();
    }

    @Test
    @Launch("-V")
    void theVersionIsTheBuildsVersion(LaunchResult result) {
        assertThat(result.getOutput().strip()).matches("quarkus-handoff device service \\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    @Launch("--help")
    void helpListsTheCommands(LaunchResult result) {
        assertThat(result.getOutput()).contains("serve", "ask", "bench", "eval", "policy", "tokenize", "opener");
    }

    @Test
    void policyExplainPlansWithTheApplicationsRules(QuarkusMainLauncher launcher) throws IOException {
        JsonNode plan = json(launcher.launch("policy", "explain", "--profile", "watch", "--cloud-ttft-ms", "3000",
                "--json"));
        assertThat(plan.get("mode").asText()).isEqualTo("HYBRID");
        assertThat(plan.get("openerWords").asInt()).isEqualTo(8);
        assertThat(plan.get("firedRules").toString()).contains("Opener covers the expected cloud latency");
        assertThat(plan.get("facts").get("expectedCloudFirstTokenMs").asDouble()).isEqualTo(3000);
    }

    @Test
    @Launch(value = { "policy", "explain", "--profile", "fridge", "--json" }, exitCode = 2)
    void policyExplainOfAnUnknownProfileIsOneClearLine(LaunchResult result) {
        assertOneLineError(result, "--profile", "fridge", "watch");
    }
}
