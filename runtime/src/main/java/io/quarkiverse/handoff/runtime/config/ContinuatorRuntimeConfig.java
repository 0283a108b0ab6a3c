package io.quarkiverse.handoff.runtime.config;

import io.quarkiverse.handoff.runtime.continuator.CloudContinuationConfig;
import io.smallrye.config.WithDefault;

/**
 * Who continues the reply after the opener and, for the cloud continuator, how it talks to its model.
 */
public interface ContinuatorRuntimeConfig extends CloudContinuationConfig {

    /**
     * {@code auto} continues in the cloud when the application has a {@code ChatStream} bean of its own (a wire
     * protocol) or a configured cloud model of quarkus-langchain4j (an api key or base url is set for a provider), and
     * with the embedded continuator otherwise; {@code langchain4j} always uses the cloud (the bean, else the model);
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
