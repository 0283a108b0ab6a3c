package io.quarkiverse.handoff.runtime.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.policy.DeviceProfile;
import io.quarkiverse.handoff.policy.Modality;

class DeviceProfilesTest {

    record Cfg(Optional<Modality> modality, OptionalDouble wordsPerSecond) implements PolicyRuntimeConfig.ProfileConfig {
    }

    private static DeviceProfiles profiles(Map<String, PolicyRuntimeConfig.ProfileConfig> configured) {
        return new DeviceProfiles(configured);
    }

    /** The built-in profiles as docs/policies.md states them: the one place their modality and rate are written. */
    @Test
    void theBuiltInProfilesAreAsDocumented() {
        assertThat(DeviceProfiles.BUILT_IN).containsExactly(new DeviceProfile("watch", Modality.SPEECH, 2.5),
                new DeviceProfile("glasses", Modality.SPEECH, 2.5), new DeviceProfile("phone", Modality.SCREEN, 4.0),
                new DeviceProfile("earbuds", Modality.SPEECH, 2.5), new DeviceProfile("desktop", Modality.SCREEN, 5.0));
    }

    @Test
    void builtInProfiles() {
        DeviceProfiles profiles = profiles(Map.of());
        assertThat(profiles.names()).containsExactly("watch", "glasses", "phone", "earbuds", "desktop");
        assertThat(profiles.resolve("watch")).isEqualTo(new DeviceProfile("watch", Modality.SPEECH, 2.5));
        assertThat(profiles.resolve("glasses").modality()).isEqualTo(Modality.SPEECH);
        assertThat(profiles.resolve("earbuds").modality()).isEqualTo(Modality.SPEECH);
        assertThat(profiles.resolve("phone")).isEqualTo(new DeviceProfile("phone", Modality.SCREEN, 4.0));
        assertThat(profiles.resolve("desktop").modality()).isEqualTo(Modality.SCREEN);
    }

    @Test
    void namesAreCaseInsensitive() {
        assertThat(profiles(Map.of()).resolve("  Watch ").name()).isEqualTo("watch");
    }

    @Test
    void customProfileFromConfig() {
        Map<String, PolicyRuntimeConfig.ProfileConfig> cfg = new LinkedHashMap<>();
        cfg.put("kiosk", new Cfg(Optional.of(Modality.SCREEN), OptionalDouble.of(3.5)));
        cfg.put("car", new Cfg(Optional.of(Modality.SPEECH), OptionalDouble.empty()));
        DeviceProfiles profiles = profiles(cfg);
        assertThat(profiles.resolve("kiosk")).isEqualTo(new DeviceProfile("kiosk", Modality.SCREEN, 3.5));
        assertThat(profiles.resolve("car")).isEqualTo(new DeviceProfile("car", Modality.SPEECH, 2.5));
        assertThat(profiles.names()).endsWith("kiosk", "car");
    }

    @Test
    void configAdjustsABuiltInProfile() {
        DeviceProfiles profiles = profiles(Map.of("watch", new Cfg(Optional.empty(), OptionalDouble.of(2.0))));
        assertThat(profiles.resolve("watch")).isEqualTo(new DeviceProfile("watch", Modality.SPEECH, 2.0));
        DeviceProfiles reading = profiles(Map.of("glasses", new Cfg(Optional.of(Modality.SCREEN), OptionalDouble.empty())));
        assertThat(reading.resolve("glasses")).isEqualTo(new DeviceProfile("glasses", Modality.SCREEN, 4.0));
    }

    @Test
    void newProfileWithoutModalityIsRejectedNamingTheProperty() {
        assertThatThrownBy(() -> profiles(Map.of("kiosk", new Cfg(Optional.empty(), OptionalDouble.of(3)))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("quarkus.handoff.policy.profiles.\"kiosk\".modality");
    }

    @Test
    void nonPositiveWordsPerSecondIsRejected() {
        assertThatThrownBy(() -> profiles(Map.of("kiosk", new Cfg(Optional.of(Modality.SCREEN), OptionalDouble.of(0)))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("words-per-second");
    }

    @Test
    void unknownProfileNamesKnownOnesAndTheProperty() {
        DeviceProfiles profiles = profiles(Map.of("kiosk", new Cfg(Optional.of(Modality.SCREEN), OptionalDouble.empty())));
        assertThatThrownBy(() -> profiles.resolve("fridge"))
                .isInstanceOf(UnknownProfileException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'fridge'")
                .hasMessageContaining("watch, glasses, phone, earbuds, desktop, kiosk")
                .hasMessageContaining("quarkus.handoff.policy.profiles.\"fridge\".modality");
        assertThatThrownBy(() -> profiles.resolve(null)).isInstanceOf(UnknownProfileException.class);
    }

    @Test
    void fixedRegistry() {
        DeviceProfiles profiles = DeviceProfiles.of(List.of(new DeviceProfile("Tv", Modality.SCREEN, 3)));
        assertThat(profiles.contains("tv")).isTrue();
        assertThat(profiles.contains("watch")).isFalse();
    }
}
