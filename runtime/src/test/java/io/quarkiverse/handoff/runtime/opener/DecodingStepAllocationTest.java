package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * A single-token decoding step allocates on the Java heap only what ONNX Runtime's Java API forces (the attention
 * mask tensor, whose shape grows every step, and the wrappers of the run's outputs): no copy of the logits, no
 * vocabulary-sized or per-step buffers of our own.
 */
class DecodingStepAllocationTest {

    /** The demo model: its 4096-token vocabulary makes a row of logits 16 KiB, far above ONNX Runtime's own objects. */
    static final String MODEL = "classpath:handoff/demo-model";
    /** Decodes to the end of the context window run first, so that the measured steps run JIT-compiled. */
    static final int WARM_UP_DECODES = 8;
    /** Decodes measured per round: about a thousand single-token steps, averaged. */
    static final int MEASURED_DECODES = 4;
    /** Rounds measured at most, until one is within the bound. */
    static final int MEASURED_ROUNDS = 5;

    @Test
    void aDecodingStepAllocatesFarLessThanOneRowOfLogits() throws IOException, OrtException {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        assertThat(threads.isThreadAllocatedMemorySupported()).as("this JVM measures allocation per thread").isTrue();
        threads.setThreadAllocatedMemoryEnabled(true);
        ModelDirectory dir = ModelDirectory.of(MODEL);
        ModelConfig config;
        try (InputStream in = dir.open(OpenerEngine.CONFIG_JSON)) {
            config = ModelConfig.read(in, dir.describe(OpenerEngine.CONFIG_JSON));
        }
        try (OrtSession.SessionOptions options = OpenerEngine.sessionOptions(TestModels.config(1));
                OnnxCausalLm lm = OnnxCausalLm.load(dir.readDirect("model.onnx"), config, options, MODEL)) {
            for (int i = 0; i < WARM_UP_DECODES; i++) {
                decodeToTheEndOfTheWindow(lm);
            }
            int logitsRow = config.vocabSize() * Float.BYTES;
            // measured about 4.7-5.0 KB per step with ONNX Runtime 1.29 (about 0.4 KB per cache output, 10 for the
            // demo model's 5 layers, and a fixed 0.7 KB): half a row of logits leaves room for that to vary, while a
            // copy of the logits, or any vocabulary-sized array per step, adds a whole row to every round and fails.
            // On a busy machine the JIT may still be compiling the step after the warm-up (it compiles in the
            // background), so a round above the bound is measured again, a bounded number of times.
            long perStep = Long.MAX_VALUE;
            for (int round = 0; round < MEASURED_ROUNDS && perStep >= logitsRow / 2; round++) {
                long steps = 0;
                long allocated = 0;
                for (int i = 0; i < MEASURED_DECODES; i++) {
                    long before = threads.getCurrentThreadAllocatedBytes();
                    steps += decodeToTheEndOfTheWindow(lm);
                    allocated += threads.getCurrentThreadAllocatedBytes() - before;
                }
                perStep = allocated / steps;
            }
            assertThat(perStep).as("Java heap bytes allocated per single-token step (a logits row is %d bytes)",
                    logitsRow).isLessThan(logitsRow / 2);
        }
    }

    /** Greedy decoding from a short prompt until the context window is full; returns the single-token steps run. */
    private static int decodeToTheEndOfTheWindow(OnnxCausalLm lm) {
        int[] next = new int[1];
        int steps = 0;
        try (OnnxCausalLm.State state = lm.newState()) {
            lm.forward(state, new int[] { 1, 5, 6, 7 }, 4);
            while (state.length() < lm.config().maxPositions()) {
                next[0] = Sampler.argmax(state.logits());
                lm.forward(state, next, 1);
                steps++;
            }
        }
        return steps;
    }
}
