package io.quarkiverse.handoff.runtime.opener;

import java.time.Duration;
import java.util.Optional;

import io.quarkiverse.handoff.runtime.config.OpenerRuntimeConfig;

/**
 * Opener settings for an {@link OpenerEngine} run outside a Quarkus application (a command line tool, a benchmark, a
 * test): the extension's defaults, but for the ONNX Runtime session options and limits the caller chooses, and no
 * warm-up (the caller decodes once and measures that).
 */
public record StandaloneOpenerConfig(int intraOpThreads, OpenerRuntimeConfig.ThreadSpinning threadSpinning,
        OpenerRuntimeConfig.GraphOptimization graphOptimizationLevel, boolean memoryArena, int maxNewTokens,
        Duration timeBudget)
        implements
            OpenerRuntimeConfig {

    @Override
    public boolean warmUp() {
        return false;
    }

    @Override
    public Optional<String> chatTemplate() {
        return Optional.empty();
    }

    @Override
    public Optional<String> systemPrompt() {
        return Optional.empty();
    }

    @Override
    public int maxLocalTokens() {
        return 24;
    }

    @Override
    public String language() {
        return "en";
    }
}
