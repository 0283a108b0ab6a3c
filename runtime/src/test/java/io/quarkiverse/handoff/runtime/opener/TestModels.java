package io.quarkiverse.handoff.runtime.opener;

import java.time.Duration;
import java.util.List;

import io.quarkiverse.handoff.policy.HandoffMode;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPoint;
import io.quarkiverse.handoff.policy.Sampling;
import io.quarkiverse.handoff.runtime.config.OpenerRuntimeConfig;
import io.quarkiverse.handoff.runtime.config.OpenerRuntimeConfig.GraphOptimization;
import io.quarkiverse.handoff.runtime.config.OpenerRuntimeConfig.ThreadSpinning;

/** Engines on the test models and plans, without CDI. */
final class TestModels {

    private TestModels() {
    }

    /** The runtime defaults of {@link OpenerRuntimeConfig}, with a chosen number of intra-op threads. */
    static OpenerRuntimeConfig config(int intraOpThreads) {
        return config(intraOpThreads, GraphOptimization.ALL, true);
    }

    /** The runtime defaults with the chosen ONNX Runtime session options. */
    static OpenerRuntimeConfig config(int intraOpThreads, GraphOptimization level, boolean memoryArena) {
        return new StandaloneOpenerConfig(intraOpThreads, ThreadSpinning.WITHIN_STEP, level, memoryArena, 48,
                Duration.ofSeconds(30));
    }

    /** The shipped demo model, fp32 on one thread: its greedy outputs are what the exact demo tests pin. */
    static OpenerEngine demoModel() {
        return OpenerEngine.load(ModelDirectory.of("classpath:handoff/demo-model"), "model.onnx", config(1));
    }

    static OpenerEngine engine(String model) {
        return OpenerEngine.load(ModelDirectory.of("classpath:models/" + model), "model.onnx", config(1));
    }

    static HandoffPlan plan(int words, HandoffPoint point, double confidenceThreshold) {
        return new HandoffPlan("test", HandoffMode.HYBRID, words, point, confidenceThreshold, "natural",
                Sampling.GREEDY, 2000, false, List.of("test"));
    }

    static HandoffPlan words(int words) {
        return plan(words, HandoffPoint.AFTER_WORDS, 0);
    }
}
