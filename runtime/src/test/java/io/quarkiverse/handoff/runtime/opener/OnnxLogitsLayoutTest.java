package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

/**
 * The twins of samples/micro-model/make_test_models.py decode exactly like the model whose checkpoint they were
 * exported from: tiny-gqa-last (the last position's logits only, {@code [batch, 1, vocab]}, against tiny-gqa's every
 * position), tiny-gqa-fused and tiny-mha-fused (export.py's default graph of ONNX Runtime's fused operators:
 * GroupQueryAttention, RotaryEmbedding, SkipSimplifiedLayerNormalization, against the plain ONNX graphs of tiny-gqa and
 * tiny-mha).
 */
class OnnxLogitsLayoutTest {

    static final String ALL_POSITIONS = "tiny-gqa";
    static final String LAST_POSITION = "tiny-gqa-last";
    /** Twin -> the model exported from the same checkpoint with {@code --logits all --graph plain}. */
    static final Map<String, String> TWINS = Map.of(
            LAST_POSITION, ALL_POSITIONS,
            "tiny-gqa-fused", ALL_POSITIONS,
            "tiny-mha-fused", "tiny-mha");
    /** The plain graphs compute the last position with the same operators; only float summation order may differ. */
    static final double LOGITS_TOLERANCE = 1e-5;
    /**
     * The fused operators (GroupQueryAttention's softmax, the fused RMSNorm) sum in other orders than the plain graph's
     * (up to 1.1e-5 apart on tiny-mha): 5e-5 leaves room for other CPUs' kernels and still fails a wrong rotary
     * embedding, mask or cache, which move logits by 1e-2 and more.
     */
    static final double FUSED_LOGITS_TOLERANCE = 5e-5;
    static final int STEPS = 12;

    static final Map<String, OnnxCausalLm> MODELS = new HashMap<>();

    @BeforeAll
    static void load() {
        for (Map.Entry<String, String> twin : TWINS.entrySet()) {
            MODELS.computeIfAbsent(twin.getKey(), OnnxLogitsLayoutTest::load);
            MODELS.computeIfAbsent(twin.getValue(), OnnxLogitsLayoutTest::load);
        }
    }

    @AfterAll
    static void close() {
        MODELS.values().forEach(OnnxCausalLm::close);
    }

    static OnnxCausalLm load(String name) {
        ModelDirectory dir = ModelDirectory.of("classpath:models/" + name);
        try (InputStream in = dir.open("config.json");
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            return OnnxCausalLm.load(dir.readDirect("model.onnx"), ModelConfig.read(in, name), options, name);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each twin with the prompts of its model's reference cases: chat and plain text, 5 to 60 tokens. */
    static Stream<Arguments> twinsAndPrompts() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String twin : new TreeSet<>(TWINS.keySet())) {
            for (JsonNode c : ReferenceDecodingTest.reference(TWINS.get(twin)).get("cases")) {
                out.add(Arguments.of(twin, c.get("name").asText(), ReferenceDecodingTest.ints(c.get("prompt_ids"))));
            }
        }
        return out.stream();
    }

    @Test
    void theModelsDeclareEveryPositionsLogitsAndTheirTwinsTheLastPositionsOnly() throws OrtException, IOException {
        assertThat(declaredLogitsShape(ALL_POSITIONS)).containsExactly(-1, -1, 640);
        assertThat(declaredLogitsShape("tiny-mha")).containsExactly(-1, -1, 600);
        assertThat(declaredLogitsShape(LAST_POSITION)).containsExactly(-1, 1, 640);
        assertThat(declaredLogitsShape("tiny-gqa-fused")).containsExactly(-1, 1, 640);
        assertThat(declaredLogitsShape("tiny-mha-fused")).containsExactly(-1, 1, 600);
    }

    static long[] declaredLogitsShape(String name) throws OrtException, IOException {
        byte[] onnx = ModelDirectory.of("classpath:models/" + name).readAll("model.onnx");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = OrtEnvironment.getEnvironment().createSession(onnx, options)) {
            return ((TensorInfo) session.getOutputInfo().get(OnnxCausalLm.LOGITS).getInfo()).getShape();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("twinsAndPrompts")
    void prefillThenSingleTokenStepsGiveTheSameTokensAndLogits(String twin, String name, int[] prompt) {
        OnnxCausalLm model = MODELS.get(TWINS.get(twin));
        OnnxCausalLm twinned = MODELS.get(twin);
        try (OnnxCausalLm.State expected = model.newState();
                OnnxCausalLm.State actual = twinned.newState()) {
            model.forward(expected, prompt, prompt.length);
            twinned.forward(actual, prompt, prompt.length);
            for (int step = 0; step < STEPS; step++) {
                int token = assertSameLogits(expected, actual, twin + " " + name + " step " + step, tolerance(twin));
                model.forward(expected, new int[] { token }, 1);
                twinned.forward(actual, new int[] { token }, 1);
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("twinsAndPrompts")
    void aSharedPrefixAndChunksOnTopOfACacheGiveTheSameLogits(String twin, String name, int[] prompt) {
        OnnxCausalLm model = MODELS.get(TWINS.get(twin));
        OnnxCausalLm twinned = MODELS.get(twin);
        // the prefix and every chunk run several tokens at once after a non-empty cache
        int[] head = Arrays.copyOf(prompt, prompt.length / 2);
        try (OnnxCausalLm.Prefix modelPrefix = model.prefix(head);
                OnnxCausalLm.Prefix twinPrefix = twinned.prefix(head);
                OnnxCausalLm.State expected = model.newState(modelPrefix);
                OnnxCausalLm.State actual = twinned.newState(twinPrefix)) {
            int[] rest = Arrays.copyOfRange(prompt, head.length, prompt.length);
            model.forward(expected, rest, rest.length);
            twinned.forward(actual, rest, rest.length);
            int[] chunk = new int[3];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = assertSameLogits(expected, actual, twin + " " + name + " chunk token " + i, tolerance(twin));
                model.forward(expected, new int[] { chunk[i] }, 1);
                twinned.forward(actual, new int[] { chunk[i] }, 1);
            }
            // the same three tokens again, fed as one chunk
            model.forward(expected, chunk, chunk.length);
            twinned.forward(actual, chunk, chunk.length);
            assertSameLogits(expected, actual, twin + " " + name + " after a chunk of " + chunk.length, tolerance(twin));
            assertThat(actual.length()).isEqualTo(expected.length()).isEqualTo(prompt.length + 2 * chunk.length);
        }
    }

    static double tolerance(String twin) {
        return twin.endsWith("-fused") ? FUSED_LOGITS_TOLERANCE : LOGITS_TOLERANCE;
    }

    /** Asserts both states hold the same logits within the tolerance and returns their greedy token. */
    static int assertSameLogits(OnnxCausalLm.State expected, OnnxCausalLm.State actual, String where, double tolerance) {
        float[] expectedLogits = expected.logits();
        float[] actualLogits = actual.logits();
        assertThat(actualLogits).as(where).hasSameSizeAs(expectedLogits);
        for (int v = 0; v < expectedLogits.length; v++) {
            assertThat((double) actualLogits[v]).as("%s logit %d", where, v).isCloseTo(expectedLogits[v], within(tolerance));
        }
        int token = Sampler.argmax(expectedLogits);
        assertThat(Sampler.argmax(actualLogits)).as("%s greedy token", where).isEqualTo(token);
        return token;
    }

    @Test
    void theLastRowIsFoundInEitherLayoutAndAnyOtherShapeIsAModelError() {
        OnnxCausalLm lastPosition = MODELS.get(LAST_POSITION);
        assertThat(lastPosition.lastRowOffset(new long[] { 1, 7, 640 }, 7)).isEqualTo(6 * 640);
        assertThat(lastPosition.lastRowOffset(new long[] { 1, 1, 640 }, 7)).isZero();
        for (long[] shape : List.of(new long[] { 1, 6, 640 }, new long[] { 2, 1, 640 }, new long[] { 1, 7, 600 },
                new long[] { 7, 640 })) {
            assertThatThrownBy(() -> lastPosition.lastRowOffset(shape, 7))
                    .as(Arrays.toString(shape))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("tiny-gqa-last returned logits of shape " + Arrays.toString(shape))
                    .hasMessageContaining("expected [1, 7, 640] (every position) or [1, 1, 640] (the last position only)")
                    .hasMessageContaining("samples/micro-model/export.py");
        }
    }
}
