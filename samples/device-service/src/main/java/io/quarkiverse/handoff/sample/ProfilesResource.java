package io.quarkiverse.handoff.sample;

import java.util.List;
import java.util.Locale;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkiverse.handoff.runtime.policy.DeviceProfiles;

/**
 * {@code GET /v1/profiles}: the device profiles a request can name, and the default one that serves a request naming
 * none ({@link ProfileChoice}); the demo page fills its profile picker from it.
 */
@Path("/v1/profiles")
public class ProfilesResource {

    public record Profile(String name, String modality, double wordsPerSecond) {
    }

    public record Profiles(String defaultProfile, List<Profile> profiles) {
    }

    @Inject
    DeviceProfiles profiles;

    @Inject
    SampleConfig config;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Profiles profiles() {
        return new Profiles(config.defaultProfile(), profiles.all().stream()
                .map(p -> new Profile(p.name(), p.modality().name().toLowerCase(Locale.ROOT), p.wordsPerSecond()))
                .toList());
    }
}
