package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.policy.Sampling;

/**
 * Broken model directories fail at load time with a {@link ModelException} whose message names the file and says how
 * to fix it; bad requests fail with a clear message. The broken ONNX files come from
 * samples/micro-model/reference/bad_models.py.
 */
class ModelErrorsTest {

    static final List<String> FILES = List.of("config.json", "tokenizer.json", "tokenizer_config.json", "model.onnx");

    @TempDir
    Path dir;

    static OpenerEngine engine;

    @BeforeAll
    static void load() {
        engine = TestModels.engine("tiny-gqa");
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /** A copy of a test model's directory, to break. */
    Path copyOf(String model) throws IOException {
        for (String file : FILES) {
            copyResource("models/" + model + "/" + file, dir.resolve(file));
        }
        return dir;
    }

    static void copyResource(String resource, Path target) throws IOException {
        try (InputStream in = ModelErrorsTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static OpenerEngine load(Path dir) {
        return OpenerEngine.load(ModelDirectory.of(dir.toString()), "model.onnx", TestModels.config(1));
    }

    static String loadError(Path dir) {
        Throwable thrown = catchModelException(() -> load(dir).close());
        return thrown.getMessage();
    }

    static Throwable catchModelException(Runnable action) {
        try {
            action.run();
        } catch (ModelException e) {
            assertThat(e.getMessage()).as("one line").doesNotContain("\n");
            return e;
        }
        throw new AssertionError("expected a ModelException");
    }

    @Test
    void theIntactCopyLoads() throws IOException {
        load(copyOf("tiny-gqa")).close();
    }

    @Test
    void aCorruptOnnxFile() throws IOException {
        copyOf("tiny-gqa");
        copyResource("models/bad/garbage.onnx", dir.resolve("model.onnx"));
        assertThat(loadError(dir))
                .contains(dir.resolve("model.onnx").toString())
                .contains("is not a loadable ONNX model")
                .contains("Re-export it with samples/micro-model/export.py");
    }

    @Test
    void aTruncatedOnnxFile() throws IOException {
        copyOf("tiny-gqa");
        byte[] bytes = Files.readAllBytes(dir.resolve("model.onnx"));
        Files.write(dir.resolve("model.onnx"), Arrays.copyOf(bytes, bytes.length / 3));
        assertThat(loadError(dir)).contains(dir.resolve("model.onnx").toString()).contains("export.py");
    }

    @Test
    void anOnnxModelWithoutKvCache() throws IOException {
        copyOf("tiny-gqa");
        copyResource("models/bad/no-kv-cache.onnx", dir.resolve("model.onnx"));
        assertThat(loadError(dir))
                .contains(dir.resolve("model.onnx").toString())
                .contains("has no input 'past_key_values.0.key'")
                .contains("needs a decoder exported with its KV cache")
                .contains("Export it with samples/micro-model/export.py");
    }

    @Test
    void anOnnxModelWithAFusedOperatorThisRuntimeLacks() throws IOException {
        copyOf("tiny-gqa");
        copyResource("models/bad/unknown-fused-op.onnx", dir.resolve("model.onnx"));
        assertThat(loadError(dir))
                .contains(dir.resolve("model.onnx").toString())
                .contains("needs an operator of ONNX Runtime's com.microsoft domain that this ONNX Runtime lacks")
                .contains("NoSuchFusedOperator")
                .contains("Re-export it with samples/micro-model/export.py --graph plain");
    }

    @Test
    void bothWaysOnnxRuntimeRefusesAFusedOperatorAreRecognized() {
        // the messages of ONNX Runtime 1.29 for an unknown operator and for one without a kernel on this provider
        assertThat(OnnxCausalLm.lacksAFusedOperator(
                "Load model from model.onnx failed:Fatal error: com.microsoft:GroupQueryAttention(-1) is not a registered function/op"))
                .isTrue();
        assertThat(OnnxCausalLm.lacksAFusedOperator(
                "Could not find an implementation for RotaryEmbedding(1) node with name 'RotaryEmbedding_12'")).isTrue();
        assertThat(OnnxCausalLm.lacksAFusedOperator(
                "Could not find an implementation for MatMul(13) node with name 'MatMul_3'")).isFalse();
        assertThat(OnnxCausalLm.lacksAFusedOperator("Protobuf parsing failed.")).isFalse();
    }

    @Test
    void aTokenizerWithMoreIdsThanTheModel() throws IOException {
        // tiny-mha has 600 embedding rows, tiny-gqa's tokenizer 640 ids
        copyOf("tiny-mha");
        copyResource("models/tiny-gqa/tokenizer.json", dir.resolve("tokenizer.json"));
        assertThat(loadError(dir))
                .contains(dir.resolve("tokenizer.json").toString())
                .contains("640 token ids")
                .contains(dir.resolve("config.json").toString())
                .contains("vocab_size=600")
                .contains("Use the tokenizer.json exported with this model");
    }

    @Test
    void aConfigWhoseVocabularyIsNotTheGraphs() throws IOException {
        copyOf("tiny-gqa");
        rewrite("config.json", "\"vocab_size\": 640", "\"vocab_size\": 700");
        assertThat(loadError(dir))
                .contains(dir.resolve("model.onnx").toString())
                .contains("vocab_size=700")
                .contains("[-1, -1, 640]")
                .contains("put the config.json exported with this model next to it");
    }

    @Test
    void aConfigWithOtherLayers() throws IOException {
        copyOf("tiny-gqa");
        rewrite("config.json", "\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3");
        assertThat(loadError(dir))
                .contains(dir.resolve("model.onnx").toString())
                .contains("past_key_values.2.key")
                .contains("num_hidden_layers=3");
    }

    @Test
    void aConfigWhoseEosIdIsNotATokenOfTheModel() throws IOException {
        copyOf("tiny-gqa");
        rewrite("config.json", "\"eos_token_id\": 2", "\"eos_token_id\": \"</s>\"");
        assertThat(loadError(dir))
                .contains(dir.resolve("config.json").toString())
                .contains("eos_token_id must be a token id or a list of token ids (integers), not \"</s>\"")
                .contains("use the config.json exported with this model");

        rewrite("config.json", "\"eos_token_id\": \"</s>\"", "\"eos_token_id\": [2, 5000]");
        assertThat(loadError(dir)).contains("eos_token_id 5000 is outside the model's vocabulary (ids 0..639");
    }

    @Test
    void aMissingConfigJson() throws IOException {
        copyOf("tiny-gqa");
        Files.delete(dir.resolve("config.json"));
        assertThat(loadError(dir))
                .contains(dir.resolve("config.json").toString())
                .contains("has no config.json")
                .contains("Set quarkus.handoff.opener.model to a directory holding");
    }

    @Test
    void aMissingTokenizerJson() throws IOException {
        copyOf("tiny-gqa");
        Files.delete(dir.resolve("tokenizer.json"));
        assertThat(loadError(dir))
                .contains(dir.resolve("tokenizer.json").toString())
                .contains("has no tokenizer.json")
                .contains("Set quarkus.handoff.opener.model to a directory holding");
    }

    @Test
    void aMissingModelFileOrDirectoryNamesTheCommandLineOption() throws IOException {
        copyOf("tiny-gqa");
        Throwable thrown = catchModelException(() -> OpenerEngine.load(ModelDirectory.of(dir.toString(), "--model"),
                "model.int8.onnx", TestModels.config(1)));
        assertThat(thrown.getMessage())
                .contains(dir.resolve("model.int8.onnx").toString())
                .contains("Set --model to a directory holding")
                .doesNotContain("quarkus.handoff.opener.model");

        Path nowhere = dir.resolve("no-such-model");
        assertThat(loadError(nowhere))
                .contains(nowhere.toAbsolutePath().toString())
                .contains("does not exist")
                .contains("Set quarkus.handoff.opener.model");
    }

    @Test
    void aConfigJsonThatIsNotJson() throws IOException {
        copyOf("tiny-gqa");
        Files.writeString(dir.resolve("config.json"), "model_type: llama\nlayers: 2\n");
        assertThat(loadError(dir))
                .contains(dir.resolve("config.json").toString())
                .contains("is not valid JSON")
                .contains("line 1, column")
                .contains("Use the config.json written by the model's export");

        Files.writeString(dir.resolve("config.json"), "");
        assertThat(loadError(dir)).contains(dir.resolve("config.json").toString()).contains("is empty")
                .contains("export.py");

        Files.writeString(dir.resolve("config.json"), "[1, 2]");
        assertThat(loadError(dir)).contains("is not a JSON object");

        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\"}");
        assertThat(loadError(dir)).contains(dir.resolve("config.json").toString())
                .contains("has no positive integer 'num_hidden_layers'");
    }

    @Test
    void aTokenizerJsonThatIsNotJson() throws IOException {
        copyOf("tiny-gqa");
        Files.writeString(dir.resolve("tokenizer.json"), "{ \"model\": ");
        assertThat(loadError(dir))
                .contains(dir.resolve("tokenizer.json").toString())
                .contains("not valid JSON")
                .contains("Use the tokenizer.json of this model");
    }

    @Test
    void aTokenizerConfigThatIsNotJson() throws IOException {
        copyOf("tiny-gqa");
        Files.writeString(dir.resolve("tokenizer_config.json"), "chat_template = chatml");
        assertThat(loadError(dir))
                .contains(dir.resolve("tokenizer_config.json").toString())
                .contains("is not valid JSON")
                .contains("chatml");
    }

    @Test
    void aPromptLongerThanTheContextWindow() {
        int window = engine.modelConfig().maxPositions();
        int[] prompt = new int[window];
        Arrays.fill(prompt, 100);
        assertThatThrownBy(() -> engine.generate(prompt, Sampling.GREEDY, 8, (t, p) -> true, () -> false))
                .isInstanceOf(OnnxCausalLm.ContextOverflowException.class)
                .hasMessageContaining("needs " + (window + 1) + " tokens")
                .hasMessageContaining("context window of classpath resource 'models/tiny-gqa/model.onnx' is 256")
                .hasMessageContaining("shorten the conversation");
    }

    @Test
    void aPromptThatFillsTheWindowDecodesOnlyWhatFits() {
        int window = engine.modelConfig().maxPositions();
        int[] prompt = new int[window - 3];
        Arrays.fill(prompt, 100);
        int[] count = new int[1];
        OpenerEngine.StopReason reason = engine.generate(prompt, Sampling.GREEDY, 48, (t, p) -> {
            count[0]++;
            return true;
        }, () -> false);
        assertThat(reason).isIn(OpenerEngine.StopReason.MAX_TOKENS, OpenerEngine.StopReason.END_OF_SEQUENCE);
        assertThat(count[0]).isLessThanOrEqualTo(4);
    }

    @Test
    void anEmptyPromptOrConversation() {
        assertThatThrownBy(() -> engine.generate(new int[0], Sampling.GREEDY, 8, (t, p) -> true, () -> false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the prompt is empty");
        assertThatThrownBy(() -> engine.prompt(List.of(), Optional.empty(), 48))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the conversation is empty");
        assertThatThrownBy(() -> Conversation.of(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("message is empty");
        assertThatThrownBy(() -> new Conversation(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one message");
    }

    @Test
    void aModelClosedDuringADecodeStopsItWithAClearError() {
        OpenerEngine closing = TestModels.engine("tiny-gqa");
        int[] prompt = closing.prompt(List.of(ChatMessage.user("Hello")), Optional.empty(), 48);
        int[] tokens = { 0 };
        // the application stops between two decoding steps: the next step must not touch the closed session
        assertThatThrownBy(() -> closing.generate(prompt, Sampling.GREEDY, 48, (t, p) -> {
            if (++tokens[0] == 2) {
                closing.close();
            }
            return true;
        }, () -> false)).isInstanceOf(ModelException.class).hasMessageContaining("is closed: the application is stopping");
        assertThat(tokens[0]).isEqualTo(2);
        closing.close(); // closing twice is harmless
    }

    private void rewrite(String file, String from, String to) throws IOException {
        Path p = dir.resolve(file);
        String s = Files.readString(p, StandardCharsets.UTF_8);
        assertThat(s).contains(from);
        Files.writeString(p, s.replace(from, to), StandardCharsets.UTF_8);
    }
}
