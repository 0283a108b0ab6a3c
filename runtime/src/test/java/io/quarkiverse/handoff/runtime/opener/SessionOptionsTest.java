package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.quarkiverse.handoff.runtime.config.OpenerRuntimeConfig;
import io.quarkiverse.handoff.runtime.config.OpenerRuntimeConfig.GraphOptimization;

/**
 * The ONNX Runtime session options of quarkus.handoff.opener.* reach the session: with every graph optimization level,
 * one or two intra-op threads and the memory arena on or off, the model decodes exactly the reference's greedy tokens,
 * and ONNX Runtime's profile of the decode shows the setting in effect (the Java API has no getters for them).
 */
class SessionOptionsTest {

    static final String MODEL = "tiny-gqa";
    /** A node ONNX Runtime fuses from the RMS norm's Pow, ReduceMean, Add, Sqrt and Div from the extended level on. */
    static final String FUSED_NORM = "SimplifiedLayerNormalization";

    @TempDir
    Path profiles;

    @Test
    void everyGraphOptimizationLevelDecodesTheReferenceAndOptimizesAsMuch() throws Exception {
        Map<GraphOptimization, Profile> byLevel = new EnumMap<>(GraphOptimization.class);
        for (GraphOptimization level : GraphOptimization.values()) {
            byLevel.put(level, decodeTheReference(TestModels.config(1, level, true)));
        }
        Profile none = byLevel.get(GraphOptimization.NONE);
        Profile basic = byLevel.get(GraphOptimization.BASIC);
        Profile extended = byLevel.get(GraphOptimization.EXTENDED);
        Profile all = byLevel.get(GraphOptimization.ALL);
        // basic folds constants and removes redundant nodes, extended also fuses; on the CPU all adds only layout
        // changes that this model has no use for, so it runs the same graph as extended
        assertThat(none.ops()).doesNotContain(FUSED_NORM);
        assertThat(basic.ops()).doesNotContain(FUSED_NORM);
        assertThat(basic.kernelRuns()).as("kernel runs at basic vs none").isLessThan(none.kernelRuns());
        assertThat(extended.ops()).contains(FUSED_NORM);
        assertThat(extended.kernelRuns()).as("kernel runs at extended vs basic").isLessThan(basic.kernelRuns());
        assertThat(all.ops()).contains(FUSED_NORM);
        assertThat(all.kernelRuns()).as("kernel runs at all vs extended").isLessThanOrEqualTo(extended.kernelRuns());
    }

    @Test
    void intraOpThreadsSizeTheThreadPoolAndDecodeTheReference() throws Exception {
        // the calling thread runs a step too: n intra-op threads are the caller and n - 1 pool threads
        assertThat(decodeTheReference(TestModels.config(1)).poolThreads()).isZero();
        assertThat(decodeTheReference(TestModels.config(2)).poolThreads()).isEqualTo(1);
    }

    @Test
    void theMemoryArenaCanBeTurnedOffAndTheModelStillDecodesTheReference() throws Exception {
        assertThat(decodeTheReference(TestModels.config(1, GraphOptimization.ALL, true)).arenaReported())
                .as("the profile reports the memory the arena holds").isTrue();
        assertThat(decodeTheReference(TestModels.config(1, GraphOptimization.ALL, false)).arenaReported())
                .as("the profile reports an arena").isFalse();
    }

    /** What ONNX Runtime's profile of a decode shows: the kernels run and their ops, the pool threads, the arena. */
    record Profile(int kernelRuns, Set<String> ops, int poolThreads, boolean arenaReported) {
    }

    /**
     * Opens a session with the options {@link OpenerEngine#sessionOptions} makes of {@code config}, greedily decodes
     * every reference case of the test model, asserts the tokens are the reference's, and reads the session's profile.
     */
    Profile decodeTheReference(OpenerRuntimeConfig config) throws IOException, OrtException {
        Path dir = Files.createTempDirectory(profiles, "session");
        ModelDirectory model = ModelDirectory.of("classpath:models/" + MODEL);
        ModelConfig modelConfig;
        try (InputStream in = model.open(OpenerEngine.CONFIG_JSON)) {
            modelConfig = ModelConfig.read(in, model.describe(OpenerEngine.CONFIG_JSON));
        }
        try (OrtSession.SessionOptions options = OpenerEngine.sessionOptions(config)) {
            options.enableProfiling(dir.resolve("profile").toString());
            // closing the session writes the profile
            try (OnnxCausalLm lm = OnnxCausalLm.load(model.readDirect("model.onnx"), modelConfig, options, MODEL)) {
                for (JsonNode c : ReferenceDecodingTest.reference(MODEL).get("cases")) {
                    assertThat(greedy(lm, ReferenceDecodingTest.ints(c.get("prompt_ids")),
                            c.get("continuation_ids").size()))
                            .as("%s with %s", c.get("name").asText(), config)
                            .containsExactly(ReferenceDecodingTest.ints(c.get("continuation_ids")));
                }
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> written = files.toList();
            assertThat(written).as("ONNX Runtime's profile").hasSize(1);
            return read(written.get(0));
        }
    }

    private static int[] greedy(OnnxCausalLm lm, int[] prompt, int tokens) {
        int[] out = new int[tokens];
        try (OnnxCausalLm.State state = lm.newState()) {
            lm.forward(state, prompt, prompt.length);
            for (int i = 0; i < tokens; i++) {
                out[i] = Sampler.argmax(state.logits());
                if (i + 1 < tokens) {
                    lm.forward(state, new int[] { out[i] }, 1);
                }
            }
        }
        return out;
    }

    /** Reads a profile in the Chrome trace format ONNX Runtime writes: one event per kernel run. */
    private static Profile read(Path file) throws IOException {
        int kernelRuns = 0;
        Set<String> ops = new TreeSet<>();
        int poolThreads = -1;
        boolean arena = false;
        for (JsonNode event : new ObjectMapper().readTree(file.toFile())) {
            if (!"Node".equals(event.path("cat").asText()) || !event.path("name").asText().endsWith("_kernel_time")) {
                continue;
            }
            JsonNode args = event.path("args");
            kernelRuns++;
            ops.add(args.path("op_name").asText());
            // without a thread pool ONNX Runtime writes the stats as an empty string
            poolThreads = Math.max(poolThreads, args.path("thread_scheduling_stats").path("sub_threads").size());
            arena |= args.has("mem_arena_held");
        }
        assertThat(kernelRuns).as("kernel runs in %s", file).isPositive();
        return new Profile(kernelRuns, ops, poolThreads, arena);
    }
}
