package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkiverse.handoff.policy.Sampling;

/**
 * The end-of-sequence ids of generation_config.json stop the decode, like transformers' generate(); a malformed file
 * fails the load with a message naming it.
 */
class GenerationConfigTest {

    static final String FILE = "generation_config.json";
    /** tiny-gqa's stop ids without generation_config.json: eos_token_id 2 and the named <|endoftext|>, <|im_end|> */
    static final Set<Integer> BUILT_IN_STOPS = Set.of(0, 2);

    @TempDir
    Path dir;

    int[] prompt;
    int[] continuation;

    @BeforeEach
    void copyTinyGqa() throws IOException {
        for (String file : ModelErrorsTest.FILES) {
            ModelErrorsTest.copyResource("models/tiny-gqa/" + file, dir.resolve(file));
        }
        // greedy ids of transformers: 24 tokens, none of them a stop token of the opener
        JsonNode story = ReferenceDecodingTest.reference("tiny-gqa").get("cases").get(1);
        assertThat(story.get("name").asText()).isEqualTo("text-story");
        prompt = ReferenceDecodingTest.ints(story.get("prompt_ids"));
        continuation = ReferenceDecodingTest.ints(story.get("continuation_ids"));
        assertThat(list(continuation)).hasSize(24).doesNotContainAnyElementsOf(BUILT_IN_STOPS);
    }

    record Decoded(List<Integer> tokens, OpenerEngine.StopReason reason) {
    }

    Decoded greedy() {
        List<Integer> tokens = new ArrayList<>();
        try (OpenerEngine engine = ModelErrorsTest.load(dir)) {
            OpenerEngine.StopReason reason = engine.generate(prompt, Sampling.GREEDY, continuation.length,
                    OpenerEngineTest.collecting(tokens), () -> false);
            return new Decoded(tokens, reason);
        }
    }

    /** The first continuation token, after a few, that occurs for the first time and is no stop token yet. */
    int firstFreshToken() {
        for (int k = 3; k < continuation.length; k++) {
            int token = continuation[k];
            if (!BUILT_IN_STOPS.contains(token) && Arrays.stream(continuation, 0, k).noneMatch(t -> t == token)) {
                return k;
            }
        }
        throw new AssertionError("no fresh token in " + Arrays.toString(continuation));
    }

    static List<Integer> list(int[] ids) {
        return Arrays.stream(ids).boxed().toList();
    }

    @Test
    void theShippedFileDeclaresOnlyConfigJsonsEosAndChangesNothing() throws IOException {
        ModelErrorsTest.copyResource("models/tiny-gqa/" + FILE, dir.resolve(FILE));
        assertThat(Files.readString(dir.resolve(FILE))).contains("\"eos_token_id\": 2");
        Decoded decoded = greedy();
        assertThat(decoded.reason()).isEqualTo(OpenerEngine.StopReason.MAX_TOKENS);
        assertThat(decoded.tokens()).isEqualTo(list(continuation));
    }

    @Test
    void anExtraEosIdInAListStopsTheDecodeThere() throws IOException {
        int stopAt = firstFreshToken();
        Files.writeString(dir.resolve(FILE), "{\"bos_token_id\": 1, \"eos_token_id\": [2, " + continuation[stopAt] + "]}");
        Decoded decoded = greedy();
        assertThat(decoded.reason()).isEqualTo(OpenerEngine.StopReason.END_OF_SEQUENCE);
        assertThat(decoded.tokens()).isEqualTo(list(Arrays.copyOf(continuation, stopAt)));
    }

    @Test
    void aSingleEosIdAddsToConfigJsonsInsteadOfReplacingIt() throws IOException {
        int stopAt = firstFreshToken();
        Files.writeString(dir.resolve(FILE), "{\"eos_token_id\": " + continuation[stopAt] + "}");
        assertThat(greedy().tokens()).isEqualTo(list(Arrays.copyOf(continuation, stopAt)));

        // config.json's eos_token_id 2 still ends generation: a union, not a replacement
        try (InputStream config = Files.newInputStream(dir.resolve("config.json"));
                InputStream generation = Files.newInputStream(dir.resolve(FILE))) {
            List<Integer> extra = GenerationConfig.read(generation, FILE, 640).eosTokenIds();
            assertThat(ModelConfig.read(config, "config.json").withEosTokenIds(extra).eosTokenIds())
                    .containsExactly(2, continuation[stopAt]);
        }
    }

    @Test
    void aFileWithoutEosIdsChangesNothing() throws IOException {
        Files.writeString(dir.resolve(FILE), "{\"do_sample\": false, \"eos_token_id\": null}");
        assertThat(greedy().tokens()).isEqualTo(list(continuation));
    }

    @Test
    void anEosIdThatIsNotAnInteger() throws IOException {
        for (String bad : List.of("\"<|im_end|>\"", "[2, \"<|eot_id|>\"]", "2.5", "{\"id\": 2}", "true")) {
            Files.writeString(dir.resolve(FILE), "{\"eos_token_id\": " + bad + "}");
            assertThat(ModelErrorsTest.loadError(dir)).as(bad)
                    .contains(dir.resolve(FILE).toString())
                    .contains("eos_token_id must be a token id or a list of token ids (integers), not " + bad.replace(" ", ""))
                    .contains("or delete generation_config.json");
        }
    }

    @Test
    void anEosIdOutsideTheVocabulary() throws IOException {
        Files.writeString(dir.resolve(FILE), "{\"eos_token_id\": [2, 640]}");
        assertThat(ModelErrorsTest.loadError(dir))
                .contains(dir.resolve(FILE).toString())
                .contains("eos_token_id 640 is outside the model's vocabulary (ids 0..639, vocab_size in config.json)");

        Files.writeString(dir.resolve(FILE), "{\"eos_token_id\": -1}");
        assertThat(ModelErrorsTest.loadError(dir)).contains("eos_token_id -1 is outside the model's vocabulary");
    }

    @Test
    void aFileThatIsNotAJsonObject() throws IOException {
        Files.writeString(dir.resolve(FILE), "eos_token_id = 2");
        assertThat(ModelErrorsTest.loadError(dir))
                .contains(dir.resolve(FILE).toString())
                .contains("is not valid JSON")
                .contains("Use the generation_config.json written by the model's export");

        Files.writeString(dir.resolve(FILE), "[2]");
        assertThat(ModelErrorsTest.loadError(dir)).contains(dir.resolve(FILE).toString())
                .contains("is not a JSON object: expected the Hugging Face generation_config.json");
    }
}
