package io.quarkiverse.handoff.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.runtime.policy.DeviceProfiles;

/** The one rule for a request that names no profile: the configured default, which must be a known profile. */
class ProfileChoiceTest {

    private static ProfileChoice choice(String defaultProfile) {
        ProfileChoice choice = new ProfileChoice();
        choice.profiles = new DeviceProfiles(Map.of());
        choice.config = FixedSampleConfig.defaultProfile(defaultProfile);
        return choice;
    }

    @Test
    void aNamedProfileIsKeptAndNoneIsTheDefault() {
        assertThat(choice("glasses").orDefault(" watch ")).isEqualTo("watch");
        assertThat(choice("glasses").orDefault(null)).isEqualTo("glasses");
        assertThat(choice("glasses").orDefault(" ")).isEqualTo("glasses");
    }

    @Test
    void anUnknownDefaultIsABadRequestNamingThePropertyAndTheProfiles() {
        assertThatThrownBy(() -> choice("toaster").orDefault(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'toaster' (handoff.sample.default-profile) is unknown")
                .hasMessageContaining("watch");
    }

    @Test
    void anUnknownDefaultStopsTheServiceAsItStarts() {
        assertThatThrownBy(() -> choice("toaster").checkTheDefault(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("handoff.sample.default-profile=toaster is not a device profile")
                .hasMessageContaining("watch");
    }
}
