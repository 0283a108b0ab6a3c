package io.quarkiverse.handoff;

import java.util.List;

/**
 * The conversation a reply is generated for: earlier turns and the user's latest message last.
 */
public record Conversation(List<ChatMessage> messages) {

    public Conversation {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a conversation needs at least one message");
        }
        if (messages.get(messages.size() - 1).role() != ChatMessage.Role.USER) {
            throw new IllegalArgumentException("the last message of a conversation must be the user's (role 'user')");
        }
        if (messages.get(messages.size() - 1).content().isBlank()) {
            throw new IllegalArgumentException("the user's last message is empty: send the question in its 'content'");
        }
    }

    public static Conversation of(String userMessage) {
        return new Conversation(List.of(ChatMessage.user(userMessage)));
    }

    /** The user's latest message. */
    public String lastUserMessage() {
        return messages.get(messages.size() - 1).content();
    }

    /** How many user turns came before the latest one (0 for a fresh conversation). */
    public int turnIndex() {
        return (int) messages.stream().filter(m -> m.role() == ChatMessage.Role.USER).count() - 1;
    }
}
