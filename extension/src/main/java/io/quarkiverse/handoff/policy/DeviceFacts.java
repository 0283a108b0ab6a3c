package io.quarkiverse.handoff.policy;

import java.util.List;

/**
 * What a device reports about itself with a request. Every field is optional (null when unknown).
 *
 * @param batteryPercent 0-100
 * @param thermalState e.g. nominal, fair, serious, critical
 * @param rttMs the network round trip the device measured
 * @param modality overrides the profile's modality for this request
 * @param privacyLevel e.g. normal, sensitive
 */
public record DeviceFacts(Integer batteryPercent, String thermalState, Double rttMs, Modality modality,
        String privacyLevel) {

    public static final DeviceFacts NONE = new DeviceFacts(null, null, null, null, null);

    /** The privacy levels the default rules know: {@code sensitive} masks personal data before the cloud. */
    public static final List<String> PRIVACY_LEVELS = List.of("normal", "sensitive");

    /** The thermal states the default rules know (the platforms' own names): serious and critical save work. */
    public static final List<String> THERMAL_STATES = List.of("nominal", "fair", "serious",
            "critical");

    public DeviceFacts {
        if (batteryPercent != null && (batteryPercent < 0 || batteryPercent > 100)) {
            throw new IllegalArgumentException("device battery must be 0-100 percent, got " + batteryPercent);
        }
        if (rttMs != null && (rttMs < 0 || rttMs.isNaN())) {
            throw new IllegalArgumentException("device rtt must be >= 0 ms, got " + rttMs);
        }
    }
}
