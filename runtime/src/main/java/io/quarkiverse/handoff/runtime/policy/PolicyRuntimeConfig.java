package io.quarkiverse.handoff.runtime.policy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import io.quarkiverse.handoff.policy.Modality;
import io.quarkus.runtime.annotations.ConfigDocMapKey;
import io.smallrye.config.WithDefault;

/**
 * Run-time configuration of the handoff planner: custom device profiles and the planner's view of the cloud.
 */
public interface PolicyRuntimeConfig {

    /**
     * Custom device profiles by name, e.g. {@code quarkus.handoff.policy.profiles."kiosk".modality=screen}. A built-in
     * profile name (watch, glasses, phone, earbuds, desktop) adjusts that profile instead.
     */
    @ConfigDocMapKey("profile")
    Map<String, ProfileConfig> profiles();

    /**
     * The planner's view of the cloud.
     */
    CloudConfig cloud();

    /** One device profile. */
    interface ProfileConfig {

        /**
         * How replies reach the user: {@code speech} or {@code screen}. Required for a new profile; optional when
         * adjusting a built-in one.
         */
        Optional<Modality> modality();

        /**
         * How fast the user hears or reads a reply, in words per second. Defaults to 2.5 for speech and 4 for screen
         * (or to the built-in profile's value).
         */
        OptionalDouble wordsPerSecond();
    }

    /** The planner's view of the cloud. */
    interface CloudConfig {

        /**
         * The cloud first-token latency, in milliseconds, assumed for a continuator before anything was measured,
         * when the device reports no network round trip either.
         */
        @WithDefault("1200")
        double initialFirstTokenMs();

        /**
         * The weight of a new measurement in the moving average of the cloud first-token latency, in (0, 1]: higher
         * follows changes faster, lower smooths out noise.
         */
        @WithDefault("0.3")
        double smoothing();

        /**
         * How long a latency estimate (the cloud's first token, the opener's first word) lasts without a new
         * measurement. An expired estimate is forgotten: once plans skip the opener because the cloud was faster, the
         * opener is measured again when its estimate expires, so the decision can change back.
         */
        @WithDefault("60s")
        Duration estimateMaxAge();
    }
}
