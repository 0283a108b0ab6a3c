package io.quarkiverse.handoff;

import java.util.Locale;
import java.util.Objects;

/**
 * One turn of a conversation.
 *
 * @param role who spoke
 * @param content what was said, never null
 */
public record ChatMessage(Role role, String content) {

    public enum Role {
        SYSTEM,
        USER,
        ASSISTANT;

        /** Parses the lower-case role names of the OpenAI/ChatML wire formats. */
        public static Role parse(String name) {
            if (name == null) {
                throw new IllegalArgumentException("a message has no role: use one of system, user, assistant");
            }
            return switch (name.trim().toLowerCase(Locale.ROOT)) {
                case "system", "developer" -> SYSTEM;
                case "user" -> USER;
                case "assistant" -> ASSISTANT;
                default -> throw new IllegalArgumentException(
                        "unknown message role '" + name + "': use one of system, user, assistant");
            };
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public static ChatMessage system(String content) {
        return new ChatMessage(Role.SYSTEM, content);
    }

    public static ChatMessage user(String content) {
        return new ChatMessage(Role.USER, content);
    }

    public static ChatMessage assistant(String content) {
        return new ChatMessage(Role.ASSISTANT, content);
    }
}
