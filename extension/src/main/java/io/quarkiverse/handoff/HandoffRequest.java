package io.quarkiverse.handoff;

import java.util.Objects;

import io.quarkiverse.handoff.policy.DeviceFacts;

/**
 * One request for a reply.
 *
 * @param conversation the conversation, the user's latest message last
 * @param profile the device profile name (watch, glasses, phone, earbuds, desktop or a custom one)
 * @param device what the device reports about itself
 */
public record HandoffRequest(Conversation conversation, String profile, DeviceFacts device) {

    public HandoffRequest {
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(profile, "profile");
        device = device == null ? DeviceFacts.NONE : device;
    }
}
