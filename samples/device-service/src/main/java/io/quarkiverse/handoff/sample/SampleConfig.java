package io.quarkiverse.handoff.sample;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the sample device service.
 */
@ConfigMapping(prefix = "handoff.sample")
public interface SampleConfig {

    /**
     * The device profile of a {@code POST /v1/chat/completions} request that names none (no {@code X-Device-Profile}
     * header, no {@code metadata.profile}, no {@code user} naming a profile): OpenAI clients know nothing of profiles.
     */
    @WithDefault("phone")
    String defaultProfile();
}
