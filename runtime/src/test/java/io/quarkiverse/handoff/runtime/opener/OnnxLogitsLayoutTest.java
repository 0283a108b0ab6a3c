package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * A model exported with the logits of the last position only (export.py's default, {@code [batch, 1, vocab]}) decodes
 * exactly like the same weights exported with every position's logits ({@code [batch, seq, vocab]}): tiny-gqa-last is
 * the tiny-gqa checkpoint exported with {@code --logits last} by samples/micro-model/make_test_models.py.
 */
class OnnxLogitsLayoutTest {

    static final String ALL_POSITIONS = "tiny-gqa";
    static final String LAST_POSITION = "tiny-gqa-last";
    /** Both graphs compute the last position the same way; only float summation order may differ. */
    static final double LOGITS_TOLERANCE = 1e-5;
    static final int STEPS = 12;

    static OnnxCausalLm allPositions;
    static OnnxCausalLm lastPosition;

    @BeforeAll
    static void load() {
        allPositions = load(ALL_POSITIONS);
        lastPosition = load(LAST_POSITION);
    }

    @AfterAll
    static void close() {
        allPositions.close();
        lastPosition.close();
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

    /** The prompts of tiny-gqa's reference cases: chat and plain text, 5 to 60 tokens. */
    static Stream<Arguments> prompts() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode c : ReferenceDecodingTest.reference(ALL_POSITIONS).get("cases")) {
            out.add(Arguments.of(c.get("name").asText(), ReferenceDecodingTest.ints(c.get("prompt_ids"))));
        }
        return out.stream();
    }

    @Test
    void theTwinsDifferInTheirLogitsOutputOnly() throws OrtException, IOException {
        assertThat(declaredLogitsShape(ALL_POSITIONS)).containsExactly(-1, -1, 640);
        assertThat(declaredLogitsShape(LAST_POSITION)).containsExactly(-1, 1, 640);
    }

    static long[] declaredLogitsShape(String name) throws OrtException, IOException {
        byte[] onnx = ModelDirectory.of("classpath:models/" + name).readAll("model.onnx");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = OrtEnvironment.getEnvironment().createSession(onnx, options)) {
            return ((TensorInfo) session.getOutputInfo().get(OnnxCausalLm.LOGITS).getInfo()).getShape();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("prompts")
    void prefillThenSingleTokenStepsGiveTheSameTokensAndLogits(String name, int[] prompt) {
        try (OnnxCausalLm.State all = allPositions.newState();
                OnnxCausalLm.State last = lastPosition.newState()) {
            allPositions.forward(all, prompt, prompt.length);
            lastPosition.forward(last, prompt, prompt.length);
            for (int step = 0; step < STEPS; step++) {
                int token = assertSameLogits(all, last, name + " step " + step);
                allPositions.forward(all, new int[] { token }, 1);
                lastPosition.forward(last, new int[] { token }, 1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("prompts")
    void aSharedPrefixAndChunksOnTopOfACacheGiveTheSameLogits(String name, int[] prompt) {
        // the prefix and every chunk run several tokens at once after a non-empty cache
        int[] head = Arrays.copyOf(prompt, prompt.length / 2);
        try (OnnxCausalLm.Prefix allPrefix = allPositions.prefix(head);
                OnnxCausalLm.Prefix lastPrefix = lastPosition.prefix(head);
                OnnxCausalLm.State all = allPositions.newState(allPrefix);
                OnnxCausalLm.State last = lastPosition.newState(lastPrefix)) {
            int[] rest = Arrays.copyOfRange(prompt, head.length, prompt.length);
            allPositions.forward(all, rest, rest.length);
            lastPosition.forward(last, rest, rest.length);
            int[] chunk = new int[3];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = assertSameLogits(all, last, name + " chunk token " + i);
                allPositions.forward(all, new int[] { chunk[i] }, 1);
                lastPosition.forward(last, new int[] { chunk[i] }, 1);
            }
            // the same three tokens again, fed as one chunk
            allPositions.forward(all, chunk, chunk.length);
            lastPosition.forward(last, chunk, chunk.length);
            assertSameLogits(all, last, name + " after a chunk of " + chunk.length);
            assertThat(last.length()).isEqualTo(all.length()).isEqualTo(prompt.length + 2 * chunk.length);
        }
    }

    /** Asserts both states hold the same logits and returns their greedy token. */
    static int assertSameLogits(OnnxCausalLm.State all, OnnxCausalLm.State last, String where) {
        float[] expected = all.logits();
        float[] actual = last.logits();
        assertThat(actual).as(where).hasSameSizeAs(expected);
        for (int v = 0; v < expected.length; v++) {
            assertThat((double) actual[v]).as("%s logit %d", where, v).isCloseTo(expected[v], within(LOGITS_TOLERANCE));
        }
        int token = Sampler.argmax(expected);
        assertThat(Sampler.argmax(actual)).as("%s greedy token", where).isEqualTo(token);
        return token;
    }

    @Test
    void theLastRowIsFoundInEitherLayoutAndAnyOtherShapeIsAModelError() {
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
