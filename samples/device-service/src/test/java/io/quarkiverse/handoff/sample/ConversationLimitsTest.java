package io.quarkiverse.handoff.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.Conversation;

/** The limits on a conversation's messages: exact at the boundary, and a limit that refuses everything never starts. */
class ConversationLimitsTest {

    private static ConversationLimits limits(int maxMessages, int maxMessageLength) {
        ConversationLimits limits = new ConversationLimits();
        limits.config = FixedSampleConfig.messageLimits(maxMessages, maxMessageLength);
        return limits;
    }

    private static Conversation of(String... userTexts) {
        return new Conversation(List.of(userTexts).stream().map(ChatMessage::user).toList());
    }

    @Test
    void aConversationAtTheLimitsPassesAndOneOverThemIsNamed() {
        assertThatCode(() -> limits(2, 5).check(of("abcde", "fghij"))).doesNotThrowAnyException();

        assertThatThrownBy(() -> limits(2, 5).check(of("a", "b", "c")))
                .isInstanceOfSatisfying(ConversationLimits.TooLarge.class, e -> {
                    assertThat(e.code()).isEqualTo("too-many-messages");
                    assertThat(e.param()).isEqualTo("messages");
                })
                .hasMessage("the conversation has 3 messages; this service takes at most 2 "
                        + "(handoff.sample.max-messages): send the most recent ones, or raise the limit");
        assertThatThrownBy(() -> limits(2, 5).check(of("abcde", "abcdef")))
                .isInstanceOfSatisfying(ConversationLimits.TooLarge.class, e -> {
                    assertThat(e.code()).isEqualTo("message-too-long");
                    assertThat(e.param()).isEqualTo("messages[1].content");
                })
                .hasMessage("messages[1] is 6 characters long; this service takes messages of at most 5 characters "
                        + "(handoff.sample.max-message-length): shorten it, or raise the limit");
    }

    @Test
    void aLimitBelowOneStopsTheServiceFromStarting() {
        assertThatThrownBy(() -> limits(0, 5).checkTheLimits(null)).isInstanceOf(IllegalStateException.class)
                .hasMessage("handoff.sample.max-messages=0 would refuse every request: set it to 1 or more");
        assertThatThrownBy(() -> limits(2, -1).checkTheLimits(null)).isInstanceOf(IllegalStateException.class)
                .hasMessage("handoff.sample.max-message-length=-1 would refuse every request: set it to 1 or more");
    }
}
