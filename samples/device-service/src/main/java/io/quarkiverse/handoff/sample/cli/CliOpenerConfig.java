package io.quarkiverse.handoff.sample.cli;

import java.time.Duration;
import java.util.Optional;

import io.quarkiverse.handoff.runtime.config.OpenerRuntimeConfig;

/**
 * The opener settings of a command line run: the extension's defaults, not the application's configuration (the
 * command decodes with the model it is given).
 */
record CliOpenerConfig(int intraOpThreads, boolean threadSpinning, int maxNewTokens, Duration timeBudget)
        implements OpenerRuntimeConfig {

    @Override
    public GraphOptimization graphOptimizationLevel() {
        return GraphOptimization.ALL;
    }

    @Override
    public boolean memoryArena() {
        return true;
    }

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
        return 96;
    }
}
