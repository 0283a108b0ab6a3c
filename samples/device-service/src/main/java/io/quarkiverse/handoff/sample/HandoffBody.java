package io.quarkiverse.handoff.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.policy.Modality;

/**
 * The JSON body of {@code POST /v1/handoff}.
 *
 * @param messages the conversation, the user's question last: {@code [{"role":"user","content":"..."}]}
 * @param profile the device profile (or the {@code X-Device-Profile} header)
 * @param device optional facts the device reports
 */
public record HandoffBody(List<Message> messages, String profile, Device device) {

    public record Message(String role, String content) {
    }

    /** Optional device facts; every field may be left out. */
    public record Device(Integer battery, String thermal, Double rttMs, String modality, String privacy) {
    }

    /** The conversation, or an {@link IllegalArgumentException} that says what is wrong with the body. */
    public Conversation conversation() {
        if (messages == null || messages.isEmpty()) {
            throw new IllegalArgumentException(
                    "the body needs 'messages': a list of {\"role\": \"user\", \"content\": \"...\"} with the user's "
                            + "question last");
        }
        List<ChatMessage> turns = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            if (m == null || m.content() == null) {
                throw new IllegalArgumentException("messages[" + i + "] has no 'content'");
            }
            try {
                turns.add(new ChatMessage(ChatMessage.Role.parse(m.role()), m.content()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("messages[" + i + "]: " + e.getMessage());
            }
        }
        return new Conversation(turns);
    }

    public DeviceFacts deviceFacts() {
        if (device == null) {
            return DeviceFacts.NONE;
        }
        Modality modality = null;
        if (device.modality() != null) {
            try {
                modality = Modality.valueOf(device.modality().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "device.modality '" + device.modality() + "' is unknown: use speech or screen");
            }
        }
        String thermal = oneOf("device.thermal", device.thermal(), DeviceFacts.THERMAL_STATES);
        String privacy = oneOf("device.privacy", device.privacy(), DeviceFacts.PRIVACY_LEVELS);
        try {
            return new DeviceFacts(device.battery(), thermal, device.rttMs(), modality, privacy);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("device: " + e.getMessage());
        }
    }

    /** A value the rules know, as they spell it (trimmed, lower case), or a 400 naming the known ones. */
    private static String oneOf(String field, String value, List<String> known) {
        if (value == null) {
            return null;
        }
        String normalized = value.trim().toLowerCase(Locale.ROOT);
        if (!known.contains(normalized)) {
            throw new IllegalArgumentException(field + " '" + value + "' is unknown: use one of " + String.join(", ", known));
        }
        return normalized;
    }
}
