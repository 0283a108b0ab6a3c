package io.quarkiverse.handoff.policy;

import java.util.Objects;

/**
 * A kind of device the assistant runs on.
 *
 * @param name e.g. watch, glasses, phone, earbuds, desktop, or a custom name declared in config
 * @param modality how replies reach the user
 * @param wordsPerSecond how fast the user hears or reads a reply: the opener must cover the cloud's latency at this rate
 */
public record DeviceProfile(String name, Modality modality, double wordsPerSecond) {

    public DeviceProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(modality, "modality");
        if (!(wordsPerSecond > 0)) {
            throw new IllegalArgumentException("profile '" + name + "': words per second must be > 0");
        }
    }
}
