package io.quarkiverse.handoff.sample;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkiverse.handoff.runtime.policy.DeviceProfiles;
import io.quarkus.runtime.StartupEvent;

/**
 * The one rule for a request that names no device profile, on every endpoint ({@code /v1/handoff},
 * {@code /v1/chat/completions}) and in the CLI: the configured {@code handoff.sample.default-profile} ({@code phone}
 * unless set otherwise) serves it, and the {@code handoff} event (the completion's {@code handoff} object) says which
 * profile that was.
 */
@ApplicationScoped
public class ProfileChoice {

    static final String PROPERTY = "handoff.sample.default-profile";

    @Inject
    DeviceProfiles profiles;

    @Inject
    SampleConfig config;

    /** A default profile the rules do not know is a configuration mistake: the service does not start with it. */
    void checkTheDefault(@Observes StartupEvent started) {
        if (!profiles.contains(config.defaultProfile())) {
            throw new IllegalStateException(PROPERTY + "=" + config.defaultProfile() + " is not a device profile: set it"
                    + " to one of " + profiles.names());
        }
    }

    /** The profile a request named, trimmed, else the default one. */
    String orDefault(String named) {
        if (named != null && !named.isBlank()) {
            return named.trim();
        }
        String fallback = config.defaultProfile();
        if (!profiles.contains(fallback)) {
            throw new IllegalArgumentException("the request names no device profile and the default profile '"
                    + fallback + "' (" + PROPERTY + ") is unknown: name one of " + profiles.names()
                    + " in the request, or set " + PROPERTY + " to one of them");
        }
        return fallback;
    }

    boolean isProfile(String name) {
        return profiles.contains(name);
    }
}
