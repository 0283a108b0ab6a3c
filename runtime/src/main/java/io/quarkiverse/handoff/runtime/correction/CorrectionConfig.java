package io.quarkiverse.handoff.runtime.correction;

import io.smallrye.config.WithDefault;

/**
 * When a handoff corrects an opener that went wrong.
 */
public interface CorrectionConfig {

    /**
     * Whether the continuator is told how to recover from a wrong opener (with the plan's recovery method) and its
     * pivot is reported as a {@code correction} event. When false, no recovery instruction is sent.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * An opener word whose confidence (the lowest probability the micro-model gave any of its tokens) is below this
     * makes the opener suspect: the cloud is told which word was uncertain and asked to check the opener.
     */
    @WithDefault("0.05")
    double confidenceThreshold();
}
