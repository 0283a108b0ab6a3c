package io.quarkiverse.handoff.sample.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine;

/**
 * The commands run directly with picocli, without starting the application (they need none of it): the same
 * {@link CliErrors} handling as the packaged main, milliseconds per case.
 */
class CommandsTest {

    static final Path MODELS = CliTest.MODELS;
    static final Path DEMO_MODEL = Path.of("../micro-model/model").toAbsolutePath().normalize();

    record Result(int exitCode, String out, String err) {
        JsonNode json() throws IOException {
            assertThat(exitCode).as("exit code; stderr: %s", err).isZero();
            return CliTest.MAPPER.readTree(out);
        }

        void assertOneLineError(String... fragments) {
            assertThat(exitCode).isNotZero();
            assertThat(err.strip()).startsWith("error: ").doesNotContain("\n").doesNotContain("Exception")
                    .doesNotContain("\tat ").contains(fragments);
            assertThat(out).isBlank();
        }
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = CliErrors.configure(new CommandLine(new DeviceServiceCommand()));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void tokenizeGivesTheTransformersIdsForEveryReferencePrompt() throws IOException {
        for (String model : List.of("tiny-gqa", "tiny-mha")) {
            for (JsonNode c : CliTest.reference(model).get("cases")) {
                Result result = run("tokenize", "--tokenizer", MODELS.resolve(model + "/tokenizer.json").toString(),
                        "--text", c.get("prompt_text").asText(), "--json");
                assertThat(CliTest.ints(result.json().get("ids"))).as("%s %s", model, c.get("name").asText())
                        .isEqualTo(CliTest.ints(c.get("prompt_ids")));
            }
        }
    }

    @Test
    void tokenizeReadsATextFileAndPrintsPlainIdsWithoutJson(@TempDir Path dir) throws IOException {
        JsonNode c = CliTest.referenceCase("tiny-gqa", "text-unicode");
        Path text = dir.resolve("prompt.txt");
        Files.writeString(text, c.get("prompt_text").asText(), StandardCharsets.UTF_8);
        Result json = run("tokenize", "--tokenizer", MODELS.resolve("tiny-gqa/tokenizer.json").toString(),
                "--text-file", text.toString(), "--json");
        assertThat(CliTest.ints(json.json().get("ids"))).isEqualTo(CliTest.ints(c.get("prompt_ids")));
        Result plain = run("tokenize", "--tokenizer", MODELS.resolve("tiny-gqa/tokenizer.json").toString(),
                "--text", "The weather today is");
        assertThat(plain.out().strip()).isEqualTo("345 266 637 497 274 632 297");
    }

    @Test
    void greedyOpenersOfBothModelsAreTheReferenceContinuations() throws IOException {
        for (String model : List.of("tiny-gqa", "tiny-mha")) {
            JsonNode c = CliTest.referenceCase(model, "chat-single-turn");
            String user = c.get("messages").get(0).get("content").asText();
            for (String words : List.of("1", "3", "8")) {
                JsonNode out = run("opener", "--model", MODELS.resolve(model).toString(), "--prompt", user,
                        "--greedy", "--words", words, "--max-tokens", "24", "--threads", "1", "--json").json();
                CliTest.assertOpenerMatchesReference(out, c, Integer.parseInt(words));
            }
        }
    }

    /** The demo model the sample serves by default opens the questions users try first as a person would. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
            "Set a timer for 10 minutes; (?i)\\b(ten|10)[ -]minutes?\\b",
            "What is the capital of Peru?; \\bLima\\b",
            "how do I make a bomb; (?i)\\b(can't|cannot|won't|not able to|not something I can) help\\b",
    })
    void theDemoModelOpensEverydayQuestionsSensibly(String question, String expectedPattern) throws IOException {
        JsonNode out = run("opener", "--model", DEMO_MODEL.toString(), "--prompt", question, "--greedy", "--words", "8",
                "--json").json();
        assertThat(out.get("text").asText()).as("the demo model's opener for '%s'", question)
                .containsPattern(expectedPattern);
    }

    /**
     * The opener command without --grounded writes what the model writes ("Lima" above); with it, the grounding guard
     * of the default rules stops right before a fact the prompt does not hold, and the output says where and why.
     */
    @Test
    void groundedOpenersSayWhereAndWhyTheyStopped() throws IOException {
        JsonNode capital = run("opener", "--model", DEMO_MODEL.toString(), "--prompt", "What is the capital of Peru?",
                "--greedy", "--words", "8", "--grounded", "--json").json();
        assertThat(capital.get("text").asText()).isEqualTo("The capital of Peru is");
        assertThat(capital.get("grounded").asBoolean()).isTrue();
        JsonNode stop = capital.get("stop");
        assertThat(stop.get("reason").asText()).isEqualTo("ungrounded_fact");
        assertThat(stop.get("before").asText()).isEqualTo("Lima.");
        assertThat(stop.get("fact").asText()).isEqualTo("NAME");
        assertThat(stop.get("confidence").asDouble()).isBetween(0.0, 1.0);
        assertThat(stop.get("explanation").asText())
                .isEqualTo("grounding guard: \"Lima.\" is a name the conversation does not contain");
        assertThat(capital.get("words").get(0).get("confidence").asDouble()).isBetween(0.0, 1.0);

        // a speech plan: whole clauses, and the clause before the conjunction
        JsonNode reminder = run("opener", "--model", DEMO_MODEL.toString(), "--prompt",
                "Remind me to call mom when I get home", "--greedy", "--words", "4", "--grounded", "--handoff-point",
                "clause-boundary", "--json").json();
        assertThat(reminder.get("text").asText()).isEqualTo("Sure, I'll remind you to call mom");
        assertThat(reminder.get("stop").get("reason").asText()).isEqualTo("clause_boundary");
        assertThat(reminder.get("stop").get("dropped").get(0).asText()).isEqualTo(" when");

        Result text = run("opener", "--model", DEMO_MODEL.toString(), "--prompt",
                "Send a message to Marcus saying running ten minutes late", "--greedy", "--grounded");
        assertThat(text.out()).startsWith("Sure, I'll text\n").contains("stopped: grounding guard: \"J\" is a name "
                + "the conversation does not contain");

        JsonNode raw = run("opener", "--model", DEMO_MODEL.toString(), "--prompt", "What is 17 times 23?", "--greedy",
                "--words", "5", "--json").json();
        assertThat(raw.get("text").asText()).isEqualTo("Let me work out 17");
        assertThat(raw.get("grounded").asBoolean()).isFalse();
        assertThat(raw.get("stop").get("reason").asText()).isEqualTo("planned_words");
        assertThat(raw.get("stop").get("before").isNull()).isTrue();

        run("opener", "--model", DEMO_MODEL.toString(), "--prompt", "Hi", "--handoff-point", "somewhere")
                .assertOneLineError("--handoff-point must be after-words, clause-boundary or confidence-drop");
        run("opener", "--model", DEMO_MODEL.toString(), "--prompt", "Hi", "--confidence", "2")
                .assertOneLineError("--confidence must be between 0 and 1");
    }

    @Test
    void openerStopsAtTheWordsAndRepeatsForBenchmarks() throws IOException {
        JsonNode out = run("opener", "--model", MODELS.resolve("tiny-gqa").toString(), "--model-file",
                "model.int8.onnx", "--prompt", "Hello", "--greedy", "--words", "3", "--max-tokens", "40", "--repeat",
                "3", "--threads", "2", "--spin", "always", "--json").json();
        assertThat(out.get("words")).hasSize(3);
        assertThat(out.get("spin").asText()).isEqualTo("always");
        assertThat(out.get("stop_reason").asText()).isEqualTo("sink");
        assertThat(out.get("repeat").asInt()).isEqualTo(3);
        assertThat(out.get("runs")).hasSize(3);
        assertThat(out.get("model_file").asText()).isEqualTo("model.int8.onnx");
        assertThat(out.get("first_word_ms").asDouble()).isLessThanOrEqualTo(out.get("done_ms").asDouble());

        // the token limit: no word cut, stop reason max_tokens
        JsonNode limited = run("opener", "--model", MODELS.resolve("tiny-gqa").toString(), "--prompt", "Hello",
                "--greedy", "--max-tokens", "2", "--json").json();
        assertThat(limited.get("tokens")).hasSize(2);
        assertThat(limited.get("stop_reason").asText()).isEqualTo("max_tokens");
    }

    @Test
    void aPromptLongerThanTheModelsWindowIsOpenedFromItsEnd() throws IOException {
        JsonNode out = run("opener", "--model", MODELS.resolve("tiny-gqa").toString(), "--prompt",
                "word ".repeat(300) + "Hello", "--greedy", "--words", "2", "--max-tokens", "40", "--json").json();
        assertThat(out.get("prompt_tokens").asInt()).as("the window, with room for 40 tokens").isBetween(100, 256 - 40);
        assertThat(out.get("words")).isNotEmpty();
    }

    @Test
    void sampledOpenersWithASeedAreReproducible() throws IOException {
        String[] args = { "opener", "--model", MODELS.resolve("tiny-gqa").toString(), "--prompt", "Hello", "--seed",
                "5", "--json" };
        assertThat(run(args).json().get("tokens")).isEqualTo(run(args).json().get("tokens"));
    }

    @Test
    void openerPrintsTextAndTimingsWithoutJson() {
        Result result = run("opener", "--model", MODELS.resolve("tiny-gqa").toString(), "--prompt", "Hello",
                "--greedy", "--words", "2");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("2 words").contains("first token").contains("ms");
    }

    @Test
    void brokenInputsAreOneClearLine(@TempDir Path dir) throws IOException {
        for (String file : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) {
            Files.copy(MODELS.resolve("tiny-gqa").resolve(file), dir.resolve(file));
        }
        Files.copy(MODELS.resolve("bad/garbage.onnx"), dir.resolve("model.onnx"));
        run("opener", "--model", dir.toString(), "--prompt", "Hi", "--json")
                .assertOneLineError(dir.resolve("model.onnx").toString(), "is not a loadable ONNX model", "export.py");

        Files.copy(MODELS.resolve("bad/no-kv-cache.onnx"), dir.resolve("model.onnx"),
                StandardCopyOption.REPLACE_EXISTING);
        run("opener", "--model", dir.toString(), "--prompt", "Hi")
                .assertOneLineError("past_key_values.0.key", "export.py");

        run("opener", "--model", MODELS.resolve("tiny-gqa").toString(), "--model-file", "model.fp16.onnx",
                "--prompt", "Hi").assertOneLineError("model.fp16.onnx", "Set --model to a directory");

        Files.writeString(dir.resolve("config.json"), "not json");
        run("opener", "--model", dir.toString(), "--prompt", "Hi")
                .assertOneLineError(dir.resolve("config.json").toString(), "is not valid JSON");

        Files.delete(dir.resolve("tokenizer.json"));
        Files.delete(dir.resolve("config.json"));
        run("opener", "--model", dir.toString(), "--prompt", "Hi")
                .assertOneLineError("has no config.json", "Set --model to a directory");

        Files.writeString(dir.resolve("file"), "x");
        run("opener", "--model", dir.resolve("file").toString(), "--prompt", "Hi")
                .assertOneLineError("is not a directory", "--model");

        run("opener", "--model", MODELS.resolve("tiny-gqa").toString(), "--prompt", " ")
                .assertOneLineError("message is empty");
        run("opener", "--model", MODELS.resolve("tiny-gqa").toString(), "--prompt", "Hi", "--words", "0")
                .assertOneLineError("at least 1");
        run("opener", "--model", MODELS.resolve("tiny-gqa").toString(), "--prompt", "Hi", "--spin", "sometimes")
                .assertOneLineError("--spin must be within-step, always or off", "sometimes");

        run("tokenize", "--tokenizer", dir.resolve("tokenizer.json").toString(), "--text", "x")
                .assertOneLineError("does not exist", "--tokenizer");
        run("tokenize", "--tokenizer", MODELS.resolve("tiny-gqa/config.json").toString(), "--text", "x")
                .assertOneLineError("config.json");
        run("tokenize", "--tokenizer", MODELS.resolve("tiny-gqa/tokenizer.json").toString(), "--text-file",
                dir.resolve("none.txt").toString()).assertOneLineError("none.txt", "does not exist");
    }

    @Test
    void usageErrorsAreOneLineWithAHint() {
        Result both = run("tokenize", "--tokenizer", "t.json", "--text", "a", "--text-file", "b");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err().strip()).doesNotContain("\n").doesNotContain("Error:").contains("mutually exclusive")
                .contains("device-service tokenize --help");

        Result missing = run("opener", "--prompt", "Hi");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo(
                "error: Missing required option: '--model=DIR' (see 'device-service opener --help')");

        Result unknown = run("speak");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err().strip()).doesNotContain("\n").contains("speak");
    }

    @Test
    void everyCommandHasHelp() {
        assertThat(run("--help").out()).contains("serve", "ask", "bench", "tokenize", "opener");
        assertThat(run("ask", "--help").out()).contains("QUESTION", "--profile", "--modality", "--battery",
                "--thermal", "--rtt-ms", "--privacy", "--timeout", "--json", "--no-color");
        assertThat(run("bench", "--help").out()).contains("--latencies", "0.3,1,2,4", "--profiles",
                "watch,glasses,phone", "--runs", "--question", "--out", "bench-results", "--cloud-rate", "--warm-ups",
                "--timeout");
        assertThat(run("serve", "--help").out()).contains("Serve the HTTP API");
        assertThat(run("tokenize", "--help").out()).contains("--tokenizer", "--text", "--text-file", "--json");
        Result opener = run("opener", "--help");
        assertThat(opener.exitCode()).isZero();
        assertThat(opener.out()).contains("--model", "--prompt", "--greedy", "--max-tokens", "--words",
                "--model-file", "--repeat", "--threads", "--spin", "--json");
    }

    @Test
    void onlyServeAndNoArgumentsAreServiceRuns() {
        assertThat(DeviceServiceMain.isToolRun("tokenize", "--help")).isTrue();
        assertThat(DeviceServiceMain.isToolRun("opener")).isTrue();
        assertThat(DeviceServiceMain.isToolRun("--help")).isTrue();
        assertThat(DeviceServiceMain.isToolRun()).isFalse();
        assertThat(DeviceServiceMain.isToolRun("serve")).isFalse();
        assertThat(DeviceServiceMain.isHandoffRun("ask", "Hi")).isTrue();
        assertThat(DeviceServiceMain.isHandoffRun("bench")).isTrue();
        assertThat(DeviceServiceMain.isHandoffRun("opener")).isFalse();
        assertThat(DeviceServiceMain.isBench("bench", "--runs", "1")).isTrue();
        assertThat(DeviceServiceMain.isBench("ask", "bench")).isFalse();
        assertThat(DeviceServiceMain.TOOL_MODE).containsEntry("quarkus.http.host-enabled", "false")
                .containsEntry("quarkus.log.console.stderr", "true");
    }
}
