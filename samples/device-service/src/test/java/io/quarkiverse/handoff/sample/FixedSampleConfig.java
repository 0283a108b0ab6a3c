package io.quarkiverse.handoff.sample;

import java.util.Optional;

/** Settings of the sample as a unit test fixes them, the rest at their defaults. */
record FixedSampleConfig(String defaultProfile, Optional<String> apiKey, int maxMessages, int maxMessageLength)
        implements
            SampleConfig {

    static FixedSampleConfig defaultProfile(String profile) {
        return new FixedSampleConfig(profile, Optional.empty(), 200, 32_768);
    }

    static FixedSampleConfig messageLimits(int maxMessages, int maxMessageLength) {
        return new FixedSampleConfig("phone", Optional.empty(), maxMessages, maxMessageLength);
    }
}
