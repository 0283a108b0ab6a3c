package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.runtime.tokenizer.ChatTemplate;
import io.quarkiverse.handoff.runtime.tokenizer.Tokenizer;

/**
 * The opener's window on a conversation longer than its model's context: with the tiny test model's byte-level BPE
 * tokenizer and its ChatML template, a 256-token window and 48 tokens left for the opener (the demo model's sizes).
 */
class PromptWindowTest {

    static final int WINDOW = 256;
    static final int NEW_TOKENS = 48;
    static final int BUDGET = WINDOW - NEW_TOKENS;
    static final ChatTemplate CHATML = ChatTemplate.chatMl("You are a helpful assistant");

    static Tokenizer tokenizer;
    static PromptWindow window;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = PromptWindowTest.class.getResourceAsStream("/models/tiny-gqa/tokenizer.json")) {
            tokenizer = Tokenizer.load(in, "tiny-gqa tokenizer.json");
        }
        window = new PromptWindow(tokenizer, CHATML, Optional.empty(), WINDOW);
    }

    static int[] whole(List<ChatMessage> messages) {
        return tokenizer.encode(CHATML.render(messages, true));
    }

    /** {@code prefix1 prefix2 ... prefixN}: a text whose every word says where it was. */
    static String numbered(String prefix, int words) {
        return IntStream.rangeClosed(1, words).mapToObj(i -> prefix + i).collect(Collectors.joining(" "));
    }

    /** The content of the first turn of this role in a decoded ChatML prompt. */
    static String content(String prompt, String role) {
        String start = "<|im_start|>" + role + "\n";
        int from = prompt.indexOf(start) + start.length();
        return prompt.substring(from, prompt.indexOf("<|im_end|>", from));
    }

    @Test
    void aConversationThatFitsIsPromptedWhole() {
        List<ChatMessage> messages = List.of(ChatMessage.system("Answer in five words at most."),
                ChatMessage.user("My name is Ada."), ChatMessage.assistant("Nice to meet you, Ada."),
                ChatMessage.user("What is my name?"));
        assertThat(window.fit(messages, Optional.empty(), NEW_TOKENS)).isEqualTo(whole(messages));
    }

    @Test
    void theConfiguredSystemPromptOpensAConversationWithoutOne() {
        PromptWindow withPrompt = new PromptWindow(tokenizer, CHATML, Optional.of(ChatMessage.system("Be brief.")),
                WINDOW);
        List<ChatMessage> question = List.of(ChatMessage.user("What is my name?"));
        assertThat(withPrompt.fit(question, Optional.empty(), NEW_TOKENS))
                .isEqualTo(whole(List.of(ChatMessage.system("Be brief."), ChatMessage.user("What is my name?"))));
    }

    @Test
    void earlierTurnsAreLeftOutOldestFirstAtTurnBoundaries() {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(ChatMessage.system("Answer in five words at most."));
        for (int i = 0; i < 19; i++) {
            String content = "Turn " + i + " says " + numbered("t" + i + "w", 6) + ".";
            messages.add(i % 2 == 0 ? ChatMessage.user(content) : ChatMessage.assistant(content));
        }
        messages.add(ChatMessage.user("What did turn zero say?"));
        assertThat(whole(messages).length).as("the conversation is longer than the window").isGreaterThan(WINDOW);

        int[] ids = window.fit(messages, Optional.empty(), NEW_TOKENS);
        assertThat(ids.length).isLessThanOrEqualTo(BUDGET);
        String prompt = tokenizer.decode(ids);
        int firstKept = 1;
        while (!prompt.contains("Turn " + (firstKept - 1) + " says")) {
            firstKept++;
        }
        assertThat(firstKept).as("some turns were left out, some kept").isBetween(2, 19);
        // the prompt is exactly the system message, the newest turns (each whole) and the question
        List<ChatMessage> kept = new ArrayList<>();
        kept.add(messages.get(0));
        kept.addAll(messages.subList(firstKept, messages.size()));
        assertThat(ids).isEqualTo(whole(kept));
        // and as many of them as fit: one turn more would not
        List<ChatMessage> oneMore = new ArrayList<>(kept);
        oneMore.add(1, messages.get(firstKept - 1));
        assertThat(whole(oneMore).length).isGreaterThan(BUDGET);
    }

    @Test
    void anOverLongSingleQuestionKeepsItsEnd() {
        String question = numbered("w", 600) + "?";
        int[] ids = window.fit(List.of(ChatMessage.user(question)), Optional.empty(), NEW_TOKENS);

        assertThat(ids.length).isLessThanOrEqualTo(BUDGET).isGreaterThan(BUDGET / 2);
        String kept = content(tokenizer.decode(ids), "user");
        assertThat(question).endsWith(kept);
        assertThat(kept).as("cut at a word").matches("w\\d+ .*").endsWith("w600?");
        assertThat(tokenizer.decode(ids)).startsWith("<|im_start|>system\nYou are a helpful assistant<|im_end|>");
    }

    @Test
    void theSystemTextIsKeptWholeWhenTheQuestionIsCut() {
        String question = numbered("w", 600) + "?";
        int[] ids = window.fit(List.of(ChatMessage.system("Answer in five words at most."),
                ChatMessage.user(question)), Optional.empty(), NEW_TOKENS);

        assertThat(ids.length).isLessThanOrEqualTo(BUDGET);
        String prompt = tokenizer.decode(ids);
        assertThat(content(prompt, "system")).isEqualTo("Answer in five words at most.");
        assertThat(question).endsWith(content(prompt, "user"));
        assertThat(content(prompt, "user")).endsWith("w600?");
    }

    @Test
    void aSystemTextLongerThanTheWindowKeepsItsBeginningAndTheQuestionStaysWhole() {
        String system = numbered("s", 600);
        int[] ids = window.fit(List.of(ChatMessage.system(system), ChatMessage.user("What time is it?")),
                Optional.empty(), NEW_TOKENS);

        assertThat(ids.length).isLessThanOrEqualTo(BUDGET);
        String prompt = tokenizer.decode(ids);
        assertThat(content(prompt, "user")).isEqualTo("What time is it?");
        assertThat(system).startsWith(content(prompt, "system"));
        assertThat(content(prompt, "system")).startsWith("s1 s2 ").matches(".* s\\d+");
    }

    @Test
    void theReplySoFarKeepsItsEndSoALocalFinishContinuesIt() {
        String reply = numbered("r", 600);
        int newTokens = 96;
        int[] ids = window.fit(List.of(ChatMessage.user("Tell me a story.")), Optional.of(reply), newTokens);

        assertThat(ids.length).isLessThanOrEqualTo(WINDOW - newTokens);
        String prompt = tokenizer.decode(ids);
        assertThat(content(prompt, "user")).isEqualTo("Tell me a story.");
        String kept = prompt.substring(prompt.indexOf("<|im_start|>assistant\n") + "<|im_start|>assistant\n".length());
        assertThat(reply).endsWith(kept);
        assertThat(kept).matches("r\\d+ .*").endsWith("r600");
    }

    @Test
    void atMostHalfTheWindowIsKeptForTheNewTokens() {
        int[] ids = window.fit(List.of(ChatMessage.user(numbered("w", 600))), Optional.empty(), 10_000);
        assertThat(ids.length).isLessThanOrEqualTo(WINDOW / 2).isGreaterThan(WINDOW / 4);
    }

    @Test
    void onlyWhatCanFitIsEverTokenized() {
        AtomicInteger longest = new AtomicInteger();
        PromptWindow counting = new PromptWindow(text -> {
            longest.accumulateAndGet(text.length(), Math::max);
            return tokenizer.encode(text);
        }, tokenizer.longestTokenChars(), CHATML, Optional.empty(), WINDOW);
        String huge = "blah ".repeat(400_000); // 2 MB
        // an earlier turn that long is left out without being tokenized...
        int[] ids = counting.fit(List.of(ChatMessage.user(huge), ChatMessage.assistant("Blah indeed."),
                ChatMessage.user("So?")), Optional.empty(), NEW_TOKENS);
        assertThat(tokenizer.decode(ids)).contains("Blah indeed.").contains("So?").doesNotContain("blah blah");
        // ...and of a question that long, only its end that could fit is
        ids = counting.fit(List.of(ChatMessage.user(huge + "so?")), Optional.empty(), NEW_TOKENS);
        assertThat(ids.length).isLessThanOrEqualTo(BUDGET);
        assertThat(tokenizer.decode(ids)).endsWith("blah so?<|im_end|>\n<|im_start|>assistant\n");
        // the bound: twice the window in the longest token's characters, plus what the template writes
        int bound = 2 * BUDGET * tokenizer.longestTokenChars() + 200;
        assertThat(longest.get()).as("the longest text tokenized").isLessThanOrEqualTo(bound)
                .isLessThan(huge.length() / 10);
    }
}
