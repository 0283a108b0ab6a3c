package io.quarkiverse.handoff.sample;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the sample device service.
 */
@ConfigMapping(prefix = "handoff.sample")
public interface SampleConfig {

    /**
     * The device profile of a request that names none, on {@code POST /v1/handoff} (no {@code profile}, no
     * {@code X-Device-Profile} header), on {@code POST /v1/chat/completions} (no header, no {@code metadata.profile},
     * no {@code model} or {@code user} naming a profile: OpenAI clients know nothing of profiles) and in the CLI.
     */
    @WithDefault("phone")
    String defaultProfile();
}
