package io.quarkiverse.handoff.runtime.continuator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.langchain4j.model.ModelProvider;
import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.ChatMessage.Role;
import io.quarkiverse.handoff.ChatStream;
import io.quarkiverse.handoff.ChatStreamRequest;
import io.quarkiverse.handoff.ContinuationRequest;
import io.quarkiverse.handoff.Continuator;
import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.policy.CloudRequest;
import io.quarkiverse.handoff.policy.HandoffMode;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPoint;
import io.quarkiverse.handoff.policy.Sampling;
import io.smallrye.mutiny.Multi;

class LangChain4jContinuatorTest {

    static final HandoffPlan PLAN = new HandoffPlan("phone", HandoffMode.HYBRID, 6, HandoffPoint.AFTER_WORDS, 0.2,
            "explicit", Sampling.PAPER_DEFAULT, 4000, false, List.of());

    static final Conversation HISTORY = new Conversation(List.of(
            ChatMessage.system("Answer briefly."),
            ChatMessage.user("My name is Ada."),
            ChatMessage.assistant("Nice to meet you, Ada."),
            ChatMessage.user("What is my name?")));

    static final ContinuationRequest REQUEST = new ContinuationRequest(HISTORY, " Your name is", PLAN,
            Optional.of("RECOVER-LIKE-THIS"));

    /** A chat stream that records what it was asked and streams a fixed answer. */
    static final class RecordingStream implements ChatStream {
        final List<List<ChatMessage>> asked = new ArrayList<>();
        final List<PrefillFields> extra = new ArrayList<>();
        final List<CloudRequest> shapes = new ArrayList<>();
        final AtomicInteger prewarms = new AtomicInteger();
        final AtomicBoolean cancelled = new AtomicBoolean();

        @Override
        public Multi<String> stream(ChatStreamRequest request) {
            asked.add(request.messages());
            shapes.add(request.shape());
            extra.add(new PrefillFields(request.prefillParameters(), request.prefillMessageFields()));
            return Multi.createFrom().items(" Ada", ".").onCancellation().invoke(() -> cancelled.set(true));
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void prewarm() {
            prewarms.incrementAndGet();
        }
    }

    static LangChain4jContinuator continuator(RecordingStream stream, ContinuationStrategy strategy) {
        return new LangChain4jContinuator(stream, "test", ContinuationPrompts.load(), strategy,
                new PrefillFields(Map.of("continue_final_message", true), Map.of("prefix", true)));
    }

    @Test
    void instructionTellsTheModelTheWordsAlreadySaidAfterTheWholeHistory() {
        List<ChatMessage> messages = continuator(new RecordingStream(), ContinuationStrategy.INSTRUCTION)
                .messages(REQUEST);
        assertThat(messages).extracting(ChatMessage::role).containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT,
                Role.USER);
        assertThat(messages.get(0).content()).contains("write ONLY what comes next")
                .contains(Continuator.PIVOT_MARKER).contains("Answer briefly.").doesNotContain("{marker}");
        assertThat(messages.get(1).content()).isEqualTo("My name is Ada.");
        assertThat(messages.get(2).content()).isEqualTo("Nice to meet you, Ada.");
        assertThat(messages.get(3).content()).contains("What is my name?")
                .contains("\"Your name is\"").contains("RECOVER-LIKE-THIS");
    }

    @Test
    void prefillSendsTheOpenerAsTheStartOfTheAssistantsOwnMessage() {
        RecordingStream stream = new RecordingStream();
        LangChain4jContinuator continuator = continuator(stream, ContinuationStrategy.PREFILL);
        List<ChatMessage> messages = continuator.messages(REQUEST);
        assertThat(messages).extracting(ChatMessage::role).containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT,
                Role.USER, Role.ASSISTANT);
        assertThat(messages.get(0).content()).contains("RECOVER-LIKE-THIS")
                .contains(Continuator.PIVOT_MARKER).contains("Answer briefly.");
        assertThat(messages.get(3).content()).isEqualTo("What is my name?");
        assertThat(messages.get(4).content()).isEqualTo("Your name is");

        assertThat(continuator.continueReply(REQUEST).collect().asList().await().indefinitely())
                .containsExactly(" Ada", ".");
        assertThat(stream.extra).containsExactly(
                new PrefillFields(Map.of("continue_final_message", true), Map.of("prefix", true)));
        assertThat(continuator.strategy()).isEqualTo("prefill");
    }

    @Test
    void thePlansShapeOfTheCloudRequestReachesTheStream() {
        RecordingStream stream = new RecordingStream();
        CloudRequest shape = new CloudRequest(100, 0.7, List.of("\n\n"));
        HandoffPlan plan = new HandoffPlan("watch", HandoffMode.HYBRID, 6, HandoffPoint.AFTER_WORDS, 0.2, "natural",
                io.quarkiverse.handoff.policy.Sampling.PAPER_DEFAULT, 3000, false, List.of(), false, true,
                EnumSet.allOf(io.quarkiverse.handoff.policy.FactClass.class), shape);
        continuator(stream, ContinuationStrategy.INSTRUCTION)
                .continueReply(new ContinuationRequest(HISTORY, " Your name is", plan, Optional.empty()))
                .collect().asList().await().indefinitely();
        assertThat(stream.shapes).containsExactly(shape);
        // as langchain4j parameters: only what the plan sets, so the rest stays the provider's configuration
        var parameters = ProviderStream.parameters(shape);
        assertThat(parameters.maxOutputTokens()).isEqualTo(100);
        assertThat(parameters.temperature()).isEqualTo(0.7);
        assertThat(parameters.stopSequences()).containsExactly("\n\n");
        var none = ProviderStream.parameters(CloudRequest.PROVIDER_DEFAULTS);
        assertThat(none.maxOutputTokens()).isNull();
        assertThat(none.temperature()).isNull();
        assertThat(none.stopSequences()).isNullOrEmpty();
    }

    @Test
    void spliceAsksForAFreshAnswerToldTheWordsSaidAndHowToRecover() {
        RecordingStream stream = new RecordingStream();
        LangChain4jContinuator continuator = continuator(stream, ContinuationStrategy.SPLICE);
        List<ChatMessage> messages = continuator.messages(REQUEST);
        assertThat(messages).extracting(ChatMessage::role).containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT,
                Role.USER);
        assertThat(messages.get(3).content()).isEqualTo("What is my name?");
        // the answer is fresh, but the model knows what was said, so that it can pivot when it was wrong
        assertThat(messages.get(0).content()).startsWith(ContinuationPrompts.load().spliceSystem())
                .contains("\"Your name is\"").contains("RECOVER-LIKE-THIS").contains(Continuator.PIVOT_MARKER)
                .endsWith("Answer briefly.");
        assertThat(messages.subList(1, messages.size())).noneMatch(m -> m.toString().contains("Your name is"));
        continuator.continueReply(REQUEST).collect().asList().await().indefinitely();
        assertThat(stream.extra).containsExactly(PrefillFields.NONE);
        assertThat(continuator.strategy()).isEqualTo("splice");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "INSTRUCTION", "PREFILL", "SPLICE" })
    void anEmptyOpenerIsAnsweredFromScratchInEveryStrategy(ContinuationStrategy strategy) {
        RecordingStream stream = new RecordingStream();
        LangChain4jContinuator continuator = continuator(stream, strategy);
        ContinuationRequest nothingSaid = new ContinuationRequest(HISTORY, " ", PLAN, Optional.of("RECOVER-LIKE-THIS"));
        assertThat(LangChain4jContinuator.answersFromScratch(nothingSaid)).isTrue();
        List<ChatMessage> messages = continuator.messages(nothingSaid);

        assertThat(messages).extracting(ChatMessage::role).as("no assistant message to continue at the end")
                .containsExactly(Role.SYSTEM, Role.USER, Role.ASSISTANT, Role.USER);
        assertThat(messages.get(0).content()).isEqualTo(
                ContinuationPrompts.load().spliceSystem() + "\n\nAnswer briefly.");
        assertThat(messages.get(3).content()).as("the question itself, no words already said")
                .isEqualTo("What is my name?");
        assertThat(messages).noneMatch(m -> m.toString().contains("RECOVER-LIKE-THIS"));

        continuator.continueReply(nothingSaid).collect().asList().await().indefinitely();
        assertThat(stream.extra).as("no prefill fields without a message to continue")
                .containsExactly(PrefillFields.NONE);
    }

    @Test
    void cancellingTheContinuationCancelsTheStreamAndPrewarmReachesIt() {
        RecordingStream stream = new RecordingStream();
        LangChain4jContinuator continuator = continuator(stream, ContinuationStrategy.INSTRUCTION);
        continuator.continueReply(REQUEST).select().first().collect().asList().await().indefinitely();
        assertThat(stream.cancelled).isTrue();
        continuator.prewarm();
        assertThat(stream.prewarms).hasValue(1);
    }

    @Test
    void autoIsResolvedBeforeBuilding() {
        assertThatThrownBy(() -> continuator(new RecordingStream(), ContinuationStrategy.AUTO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            // the configured provider decides, never the server's address: an OpenAI-protocol server is told to prefill
            "AUTO, OPEN_AI, INSTRUCTION",
            "AUTO, OLLAMA, PREFILL",
            "AUTO, ANTHROPIC, PREFILL",
            "AUTO, GOOGLE_VERTEX_AI_ANTHROPIC, PREFILL",
            "AUTO, OTHER, INSTRUCTION",
            "SPLICE, OLLAMA, SPLICE",
            "PREFILL, OPEN_AI, PREFILL",
    })
    void autoPicksTheStrategyPerProvider(ContinuationStrategy configured, ModelProvider provider,
            ContinuationStrategy expected) {
        assertThat(ContinuatorProducer.choose(configured, provider)).isEqualTo(expected);
    }

    @Test
    void prefillParametersAreTyped() {
        assertThat(LangChain4jContinuator.typed(Map.of("continue_final_message", "true", "add_generation_prompt",
                "False", "top_k", "5", "min_p", "0.1", "chat_template", "chatml")))
                .containsEntry("continue_final_message", true)
                .containsEntry("add_generation_prompt", false)
                .containsEntry("top_k", 5L)
                .containsEntry("min_p", 0.1)
                .containsEntry("chat_template", "chatml");
    }

    @Test
    void retryOnlyWhatASecondTryCanFix() {
        assertThat(ContinuationGuard.retryable(new dev.langchain4j.exception.HttpException(500, "boom"))).isTrue();
        assertThat(ContinuationGuard.retryable(new dev.langchain4j.exception.HttpException(429, "slow"))).isTrue();
        assertThat(ContinuationGuard.retryable(new dev.langchain4j.exception.HttpException(401, "key"))).isFalse();
        assertThat(ContinuationGuard.retryable(new RuntimeException(new IOException("closed")))).isTrue();
        assertThat(ContinuationGuard.retryable(new CloudContinuationException(
                CloudContinuationException.Kind.FIRST_TOKEN_TIMEOUT, "late"))).isFalse();
        assertThat(ContinuationGuard.retryable(new CancellationException())).isFalse();
    }
}
