package io.quarkiverse.handoff.sample;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.Conversation;
import io.quarkus.runtime.StartupEvent;

/**
 * How many messages a conversation may have and how long each may be, the same on every endpoint: the body limit
 * ({@code quarkus.http.limits.max-body-size}) bounds the bytes, these bound what the service and the cloud are asked
 * to handle (a device-sized body still holds tens of thousands of one-word messages).
 */
@ApplicationScoped
public class ConversationLimits {

    static final String MAX_MESSAGES = "handoff.sample.max-messages";
    static final String MAX_MESSAGE_LENGTH = "handoff.sample.max-message-length";

    @Inject
    SampleConfig config;

    /** A limit below 1 would refuse every request: the service does not start with it. */
    void checkTheLimits(@Observes StartupEvent started) {
        requirePositive(MAX_MESSAGES, config.maxMessages());
        requirePositive(MAX_MESSAGE_LENGTH, config.maxMessageLength());
    }

    /** Throws {@link TooLarge} when the conversation exceeds a limit; it names the limit, the property and the fix. */
    void check(Conversation conversation) {
        int count = conversation.messages().size();
        if (count > config.maxMessages()) {
            throw new TooLarge("too-many-messages", "messages", "the conversation has " + count + " messages; this "
                    + "service takes at most " + config.maxMessages() + " (" + MAX_MESSAGES + "): send the most "
                    + "recent ones, or raise the limit");
        }
        for (int i = 0; i < count; i++) {
            ChatMessage message = conversation.messages().get(i);
            if (message.content().length() > config.maxMessageLength()) {
                throw new TooLarge("message-too-long", "messages[" + i + "].content", "messages[" + i + "] is "
                        + message.content().length() + " characters long; this service takes messages of at most "
                        + config.maxMessageLength() + " characters (" + MAX_MESSAGE_LENGTH + "): shorten it, or "
                        + "raise the limit");
            }
        }
    }

    private static void requirePositive(String property, int value) {
        if (value < 1) {
            throw new IllegalStateException(property + "=" + value + " would refuse every request: set it to 1 or "
                    + "more");
        }
    }

    /** A conversation over a limit: answered with a 413 and this code, message and body field. */
    public static final class TooLarge extends RuntimeException {
        private final String code;
        private final String param;

        TooLarge(String code, String param, String message) {
            super(message, null, false, false);
            this.code = code;
            this.param = param;
        }

        public String code() {
            return code;
        }

        public String param() {
            return param;
        }
    }
}
