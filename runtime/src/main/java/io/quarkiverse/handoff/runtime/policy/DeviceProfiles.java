package io.quarkiverse.handoff.runtime.policy;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkiverse.handoff.policy.DeviceProfile;
import io.quarkiverse.handoff.policy.Modality;
import io.quarkiverse.handoff.runtime.config.HandoffRuntimeConfig;

/**
 * The device profiles a request can name: the built-in ones and those declared under
 * {@code quarkus.handoff.policy.profiles."name"}. Names are case-insensitive.
 */
@ApplicationScoped
public class DeviceProfiles {

    /** Speaking rate of a voice assistant: about 150 words per minute. */
    public static final double SPEECH_WORDS_PER_SECOND = Modality.SPEECH.defaultWordsPerSecond();
    /** Reading rate of a streamed reply on a small screen. */
    public static final double SCREEN_WORDS_PER_SECOND = Modality.SCREEN.defaultWordsPerSecond();

    public static final List<DeviceProfile> BUILT_IN = List.of(
            new DeviceProfile("watch", Modality.SPEECH, SPEECH_WORDS_PER_SECOND),
            new DeviceProfile("glasses", Modality.SPEECH, SPEECH_WORDS_PER_SECOND),
            new DeviceProfile("phone", Modality.SCREEN, SCREEN_WORDS_PER_SECOND),
            new DeviceProfile("earbuds", Modality.SPEECH, SPEECH_WORDS_PER_SECOND),
            new DeviceProfile("desktop", Modality.SCREEN, 5.0));

    private final Map<String, DeviceProfile> profiles;

    @Inject
    public DeviceProfiles(HandoffRuntimeConfig config) {
        this(config.policy().profiles());
    }

    /** Built-in profiles plus, adjusted or added, the configured ones. */
    public DeviceProfiles(Map<String, PolicyRuntimeConfig.ProfileConfig> configured) {
        Map<String, DeviceProfile> all = new LinkedHashMap<>();
        for (DeviceProfile builtIn : BUILT_IN) {
            all.put(builtIn.name(), builtIn);
        }
        configured.forEach((rawName, cfg) -> {
            String name = normalize(rawName);
            DeviceProfile base = all.get(name);
            String property = "quarkus.handoff.policy.profiles.\"" + rawName + "\"";
            Modality modality = cfg.modality().orElseGet(() -> {
                if (base == null) {
                    throw new IllegalStateException("Device profile '" + rawName + "' needs a modality: set "
                            + property + ".modality=speech|screen");
                }
                return base.modality();
            });
            double wps;
            if (cfg.wordsPerSecond().isPresent()) {
                wps = cfg.wordsPerSecond().getAsDouble();
                if (!(wps > 0) || Double.isInfinite(wps)) {
                    throw new IllegalStateException(property + ".words-per-second must be > 0, got " + wps);
                }
            } else if (base != null && base.modality() == modality) {
                wps = base.wordsPerSecond();
            } else {
                wps = modality.defaultWordsPerSecond();
            }
            all.put(name, new DeviceProfile(name, modality, wps));
        });
        this.profiles = Collections.unmodifiableMap(all);
    }

    /** A registry of exactly these profiles (for tests and tools). */
    public static DeviceProfiles of(Collection<DeviceProfile> profiles) {
        return new DeviceProfiles(profiles);
    }

    private DeviceProfiles(Collection<DeviceProfile> list) {
        Map<String, DeviceProfile> all = new LinkedHashMap<>();
        for (DeviceProfile p : list) {
            all.put(normalize(p.name()), p);
        }
        this.profiles = Collections.unmodifiableMap(all);
    }

    /**
     * The profile of that name.
     *
     * @throws UnknownProfileException naming the known profiles and how to declare a custom one
     */
    public DeviceProfile resolve(String name) {
        if (name == null || name.isBlank()) {
            throw new UnknownProfileException(String.valueOf(name), names());
        }
        DeviceProfile profile = profiles.get(normalize(name));
        if (profile == null) {
            throw new UnknownProfileException(name.trim(), names());
        }
        return profile;
    }

    public boolean contains(String name) {
        return name != null && profiles.containsKey(normalize(name));
    }

    /** Every profile, built-in ones first. */
    public Collection<DeviceProfile> all() {
        return profiles.values();
    }

    public List<String> names() {
        return List.copyOf(profiles.keySet());
    }

    private static String normalize(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }
}
