package io.quarkiverse.handoff.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.runtime.tokenizer.Tokenizer;

/** max_tokens and stop applied to a reply that arrives in pieces, counted by the demo model's own tokenizer. */
class ReplyLimitsTest {

    static Tokenizer tokenizer;

    @BeforeAll
    static void loadTokenizer() throws IOException {
        try (InputStream in = ReplyLimitsTest.class.getResourceAsStream("/handoff/demo-model/tokenizer.json")) {
            tokenizer = Tokenizer.load(in, "the demo model's tokenizer.json");
        }
    }

    private static String feed(ReplyLimits limits, String... pieces) {
        StringBuilder sent = new StringBuilder();
        for (String piece : pieces) {
            sent.append(limits.accept(piece));
        }
        sent.append(limits.finish());
        return sent.toString();
    }

    @Test
    void withoutLimitsTheReplyPassesWholeAndEndsWithStop() {
        ReplyLimits limits = new ReplyLimits(tokenizer, null, List.of());
        assertThat(limits.accept("Sure,")).isEqualTo("Sure,");
        assertThat(limits.accept(" the timer")).isEqualTo(" the timer");
        assertThat(limits.ended()).isFalse();
        assertThat(limits.finish()).isEmpty();
        assertThat(limits.finishReason()).isEqualTo(ReplyLimits.STOP);
        assertThat(limits.text()).isEqualTo("Sure, the timer");
        assertThat(limits.tokens()).isEqualTo(tokenizer.encode("Sure, the timer").length);
    }

    @Test
    void aStopSequenceSpanningTwoPiecesCutsTheReplyBeforeIt() {
        ReplyLimits limits = new ReplyLimits(tokenizer, null, List.of("world"));
        assertThat(limits.accept("Hello wor")).as("what may start the stop sequence is held back").isEqualTo("Hello ");
        assertThat(limits.accept("ld, and more")).isEmpty();
        assertThat(limits.ended()).isTrue();
        assertThat(limits.finishReason()).isEqualTo(ReplyLimits.STOP);
        assertThat(limits.text()).isEqualTo("Hello ");
        assertThat(limits.accept(" after the end")).isEmpty();
    }

    @Test
    void heldBackTextThatIsNoStopSequenceAfterAllIsSent() {
        ReplyLimits limits = new ReplyLimits(tokenizer, null, List.of("world", "\n\n"));
        assertThat(limits.accept("Hello wor")).isEqualTo("Hello ");
        assertThat(limits.accept("m.\n")).isEqualTo("worm.");
        assertThat(feed(limits, " Bye")).isEqualTo("\n Bye");
        assertThat(limits.text()).isEqualTo("Hello worm.\n Bye");
    }

    @Test
    void theEarliestOfSeveralStopSequencesWins() {
        ReplyLimits limits = new ReplyLimits(tokenizer, null, List.of("three", "two"));
        assertThat(feed(limits, "one two three")).isEqualTo("one ");
    }

    @Test
    void maxTokensCutsTheReplyAtItsFirstTokensAndSaysLength() {
        String reply = " starting now, I'll buzz when it's done and then some more words follow.";
        int[] ids = tokenizer.encode(reply);
        assertThat(ids.length).isGreaterThan(5);
        ReplyLimits limits = new ReplyLimits(tokenizer, 5, List.of());
        String sent = feed(limits, " starting now,", " I'll buzz", " when it's done", " and then some more words follow.");
        assertThat(limits.finishReason()).isEqualTo(ReplyLimits.LENGTH);
        assertThat(sent).isEqualTo(limits.text()).isEqualTo(tokenizer.decode(Arrays.copyOf(ids, 5)));
        assertThat(limits.tokens()).isEqualTo(5);
    }

    @Test
    void aReplyThatEndsWithinMaxTokensEndsWithStop() {
        ReplyLimits limits = new ReplyLimits(tokenizer, 500, List.of());
        assertThat(feed(limits, "Done.")).isEqualTo("Done.");
        assertThat(limits.finishReason()).isEqualTo(ReplyLimits.STOP);
    }

    @Test
    void maxTokensNeverSplitsACharacter() {
        ReplyLimits limits = new ReplyLimits(tokenizer, 3, List.of());
        String emoji = "\uD83D\uDE00\uD83D\uDE01\uD83D\uDE02\uD83D\uDE03";
        String sent = feed(limits, emoji);
        assertThat(tokenizer.encode(sent).length).isLessThanOrEqualTo(3);
        assertThat(emoji).startsWith(sent);
        assertThat(new String(sent.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).as("no half character")
                .isEqualTo(sent);
        assertThat(limits.finishReason()).isEqualTo(ReplyLimits.LENGTH);
    }

    @Test
    void withoutATokenizerOnlyStopSequencesApply() {
        ReplyLimits limits = new ReplyLimits(null, 1, List.of("."));
        assertThat(feed(limits, "many words here. More")).isEqualTo("many words here");
        assertThat(limits.tokens()).isNull();
    }
}
