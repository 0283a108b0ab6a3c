package io.quarkiverse.handoff.runtime.policy;

import java.util.Collection;

/**
 * A request named a device profile that is neither built in nor declared in configuration.
 */
public class UnknownProfileException extends IllegalArgumentException {

    private final String profile;

    public UnknownProfileException(String profile, Collection<String> known) {
        super("Unknown device profile '" + profile + "'. Known profiles: " + String.join(", ", known)
                + ". To declare a custom one, set quarkus.handoff.policy.profiles.\"" + profile
                + "\".modality=speech|screen (and optionally quarkus.handoff.policy.profiles.\"" + profile
                + "\".words-per-second=...)");
        this.profile = profile;
    }

    public String profile() {
        return profile;
    }
}
