package io.quarkiverse.handoff.it;

import java.util.Map;

/**
 * Device profiles that only the integration tests configure, planned by the test-only rules of
 * {@code io/quarkiverse/handoff/it/policies/test-profiles.drl}: {@value #SPECULATIVE} starts the cloud speculatively,
 * {@value #CLOUD_ONLY} has no opener, {@value #FAULTS} gives the cloud {@value #FAULTS_DEADLINE_MS} ms for its first
 * token, so that a fault test does not wait seconds for each deadline.
 */
final class TestDeviceProfiles {

    static final String SPECULATIVE = "speculative-phone";
    static final String CLOUD_ONLY = "cloud-only-phone";
    static final String FAULTS = "fault-phone";
    static final long FAULTS_DEADLINE_MS = 600;

    /** The configuration that declares them (screen devices, like the phone). */
    static final Map<String, String> CONFIG = Map.of(
            "quarkus.handoff.policy.profiles.\"" + SPECULATIVE + "\".modality", "screen",
            "quarkus.handoff.policy.profiles.\"" + CLOUD_ONLY + "\".modality", "screen",
            "quarkus.handoff.policy.profiles.\"" + FAULTS + "\".modality", "screen");

    private TestDeviceProfiles() {
    }
}
