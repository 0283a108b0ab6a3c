package io.quarkiverse.handoff.runtime.observability.devui;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.handoff.Continuator;
import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.Opener;
import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.policy.DeviceProfile;
import io.quarkiverse.handoff.runtime.Handoff;
import io.quarkiverse.handoff.runtime.config.HandoffBuildConfig;
import io.quarkiverse.handoff.runtime.policy.DeviceProfiles;
import io.smallrye.mutiny.Multi;

/**
 * The Dev UI's JSON-RPC methods of the handoff card (dev mode only): what is active, and a handoff to try.
 */
public class HandoffDevUiService {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    @Inject
    Handoff handoff;

    @Inject
    DeviceProfiles profiles;

    @Inject
    Opener opener;

    @Inject
    Continuator continuator;

    @Inject
    HandoffBuildConfig buildConfig;

    @Inject
    ObjectMapper mapper;

    /** The active profiles, opener model and continuator, as the running application sees them. */
    public Map<String, Object> info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("openerModel", opener.name());
        info.put("openerEnabled", buildConfig.opener().enabled());
        info.put("continuator", continuator.name());
        info.put("strategy", continuator.strategy());
        List<Map<String, Object>> list = new ArrayList<>();
        for (DeviceProfile profile : profiles.all()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", profile.name());
            row.put("modality", profile.modality().name().toLowerCase(Locale.ROOT));
            row.put("wordsPerSecond", profile.wordsPerSecond());
            list.add(row);
        }
        info.put("profiles", list);
        return info;
    }

    /**
     * Runs one handoff and streams its events, each a JSON object with its {@code type} as on
     * {@code POST /v1/handoff}. A bad question or profile streams one {@code error} event that says what to fix.
     */
    public Multi<Map<String, Object>> tryHandoff(String question, String profile) {
        HandoffRequest request;
        try {
            if (question == null || question.isBlank()) {
                throw new IllegalArgumentException("type a question to ask");
            }
            String chosen = profile == null || profile.isBlank() ? "phone" : profile.trim();
            profiles.resolve(chosen);
            request = new HandoffRequest(Conversation.of(question), chosen, DeviceFacts.NONE);
            // each event's own Jackson mapping writes its type
            return handoff.run(request).map(event -> mapper.convertValue(event, MAP));
        } catch (IllegalArgumentException e) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("type", "error");
            error.put("code", "invalid-request");
            error.put("message", e.getMessage());
            return Multi.createFrom().item(error);
        }
    }
}
