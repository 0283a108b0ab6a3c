package io.quarkiverse.handoff.sample;

import java.util.Optional;

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

    /**
     * The API key every {@code /v1} request must carry, as {@code Authorization: Bearer KEY} or {@code X-API-Key: KEY};
     * unset, the service asks for none (it listens on {@code localhost} only unless {@code quarkus.http.host} says
     * otherwise). Or leave it unset and protect {@code /v1/*} with Quarkus security instead (OIDC, JWT, basic: see
     * docs/security.md).
     */
    Optional<String> apiKey();
}
