package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import ai.onnxruntime.OrtSession;
import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.runtime.tokenizer.ChatTemplate;
import io.quarkiverse.handoff.runtime.tokenizer.Tokenizer;

/**
 * The int8 variant of the demo model decodes like its fp32 original, both run by the Java decoder on the machine
 * running the test. Nothing here is a fixture: ONNX Runtime's int8 kernels differ between CPUs (VNNI or not), so int8
 * output may differ slightly from one machine to the next, but a correct quantization stays close to fp32 on every
 * one. Both models read the same tokens (fp32's greedy continuation), so every step compares like with like.
 * <p>
 * Measured with ONNX Runtime 1.30 on an AVX-512 VNNI machine: 187 of 192 greedy tokens agree, int8's choice is never
 * more than 0.34 below fp32's best logit, and the largest logit error per step averages 0.52. The bounds below leave
 * room for other CPUs, and fail for a broken quantization (wrong scales or zero points, an unquantized graph mixed
 * with a quantized one), which disagrees on most tokens.
 */
class QuantizedDecodingTest {

    static final String MODEL = "classpath:handoff/demo-model";
    static final List<String> PROMPTS = List.of("Set a timer for 10 minutes", "What is the capital of Peru?",
            "How do I make pancakes?", "Remind me to call mom at six", "What's the weather like tomorrow?",
            "Play some relaxing music", "Turn off the kitchen lights", "Hi, how are you today?",
            "How do I make a bomb?", "Convert 5 miles to kilometers", "Text Sarah that I'm running late",
            "What does photosynthesis mean?");
    static final int STEPS = 16;
    /** The share of greedy tokens on which int8 picks what fp32 picks. */
    static final double MIN_AGREEMENT = 0.85;
    /** Where int8 picks another token, fp32 ranks it within this many logits of its own best: a near tie. */
    static final double MAX_REGRET = 1.0;
    /** The largest absolute logit error of a step, averaged over the steps. */
    static final double MAX_MEAN_LOGIT_ERROR = 1.5;

    @Test
    void int8DecodesLikeFp32OnThisMachine() throws IOException {
        ModelDirectory dir = ModelDirectory.of(MODEL);
        ModelConfig config;
        try (InputStream in = dir.open(OpenerEngine.CONFIG_JSON)) {
            config = ModelConfig.read(in, dir.describe(OpenerEngine.CONFIG_JSON));
        }
        Tokenizer tokenizer;
        try (InputStream in = dir.open("tokenizer.json")) {
            tokenizer = Tokenizer.load(in, MODEL);
        }
        ChatTemplate template = OpenerEngine.chatTemplate(dir, Optional.empty());
        int steps = 0;
        int agreements = 0;
        double worstRegret = 0;
        double worstLogitError = 0;
        double sumLogitError = 0;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OnnxCausalLm fp32 = OnnxCausalLm.load(dir.readDirect("model.onnx"), config, options, "fp32");
                OnnxCausalLm int8 = OnnxCausalLm.load(dir.readDirect("model.int8.onnx"), config, options, "int8")) {
            for (String prompt : PROMPTS) {
                int[] ids = tokenizer.encode(template.render(List.of(new ChatMessage(ChatMessage.Role.USER, prompt)),
                        true));
                try (OnnxCausalLm.State exact = fp32.newState(); OnnxCausalLm.State quantized = int8.newState()) {
                    fp32.forward(exact, ids, ids.length);
                    int8.forward(quantized, ids, ids.length);
                    for (int step = 0; step < STEPS; step++) {
                        float[] reference = exact.logits();
                        float[] approximate = quantized.logits();
                        int best = Sampler.argmax(reference);
                        int chosen = Sampler.argmax(approximate);
                        steps++;
                        if (best == chosen) {
                            agreements++;
                        }
                        worstRegret = Math.max(worstRegret, reference[best] - reference[chosen]);
                        double error = 0;
                        for (int v = 0; v < reference.length; v++) {
                            error = Math.max(error, Math.abs(reference[v] - approximate[v]));
                        }
                        worstLogitError = Math.max(worstLogitError, error);
                        sumLogitError += error;
                        int[] next = { best };
                        fp32.forward(exact, next, 1);
                        int8.forward(quantized, next, 1);
                    }
                }
            }
        }
        assertThat(steps).isEqualTo(PROMPTS.size() * STEPS);
        assertThat((double) agreements / steps).as("greedy tokens on which int8 agrees with fp32 (%d of %d)",
                agreements, steps).isGreaterThanOrEqualTo(MIN_AGREEMENT);
        assertThat(worstRegret).as("fp32 logits between its best token and int8's choice, at worst")
                .isLessThanOrEqualTo(MAX_REGRET);
        assertThat(sumLogitError / steps).as("largest logit error per step, on average (at worst %.3f)",
                worstLogitError).isLessThanOrEqualTo(MAX_MEAN_LOGIT_ERROR);
    }
}
