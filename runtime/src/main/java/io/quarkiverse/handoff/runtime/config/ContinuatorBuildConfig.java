package io.quarkiverse.handoff.runtime.config;

import java.util.Optional;

/**
 * Which cloud model continues replies. Fixed at build time: quarkus-langchain4j creates model beans at build time.
 */
public interface ContinuatorBuildConfig {

    /**
     * The name of the quarkus-langchain4j model to use, as in {@code quarkus.langchain4j.NAME.*} and
     * {@code @ModelName("NAME")}; the default model when unset.
     */
    Optional<String> modelName();
}
