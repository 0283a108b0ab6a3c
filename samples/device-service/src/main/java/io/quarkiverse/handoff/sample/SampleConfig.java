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

    /**
     * The most messages a conversation may have (system, user and assistant messages together). A request with more
     * is answered with a 413 naming this property: send the most recent messages (the opener reads the last turns
     * only, and most cloud models take far fewer than a long-running chat accumulates), or raise the limit.
     */
    @WithDefault("200")
    int maxMessages();

    /**
     * The longest a single message may be, in characters (UTF-16 code units, as Java and JavaScript count them). A
     * request with a longer message is answered with a 413 naming this property. The default, 32768, is some 8,000
     * words: far more than a device's user says, enough for a pasted document.
     */
    @WithDefault("32768")
    int maxMessageLength();
}
