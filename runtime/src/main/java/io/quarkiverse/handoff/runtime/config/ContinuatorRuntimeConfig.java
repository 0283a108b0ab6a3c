package io.quarkiverse.handoff.runtime.config;

import io.quarkus.runtime.annotations.ConfigPhase;
import io.quarkus.runtime.annotations.ConfigRoot;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Who continues the reply after the opener.
 */
@ConfigMapping(prefix = "quarkus.handoff.continuator")
@ConfigRoot(phase = ConfigPhase.RUN_TIME)
public interface ContinuatorRuntimeConfig {

    /**
     * {@code auto} uses the cloud model of quarkus-langchain4j when one is configured (an api key or base url is set
     * for a provider) and the embedded continuator otherwise; {@code langchain4j} always uses the cloud model;
     * {@code embedded} always continues on the device with the opener model (a stand-in for the cloud, for demos and
     * offline use).
     */
    @WithDefault("auto")
    Provider provider();

    enum Provider {
        AUTO,
        LANGCHAIN4J,
        EMBEDDED
    }
}
