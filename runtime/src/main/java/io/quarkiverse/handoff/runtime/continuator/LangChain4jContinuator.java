package io.quarkiverse.handoff.runtime.continuator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.langchain4j.model.chat.StreamingChatModel;
import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.ChatStream;
import io.quarkiverse.handoff.ChatStreamRequest;
import io.quarkiverse.handoff.ContinuationKind;
import io.quarkiverse.handoff.ContinuationRequest;
import io.quarkiverse.handoff.Continuator;
import io.smallrye.mutiny.Multi;

/**
 * Continues a reply through a {@link ChatStream} (a quarkus-langchain4j {@link StreamingChatModel}'s, or the
 * application's own stream bean), by one of three strategies:
 * <ul>
 * <li>{@link ContinuationStrategy#PREFILL prefill}: the conversation, then the opener as the start of the assistant's
 * own message, which the server continues;</li>
 * <li>{@link ContinuationStrategy#INSTRUCTION instruction}: the model is told the words already said and asked to
 * write only what follows;</li>
 * <li>{@link ContinuationStrategy#SPLICE splice}: a fresh answer, whose restatement of the opener the seam cuts.</li>
 * </ul>
 * The whole conversation (earlier turns, the application's system messages) reaches the model in every strategy. With
 * an empty opener (the micro-model ended at once, or the plan is cloud only) there is nothing to continue: every
 * strategy then asks for a plain {@link ContinuationKind#ANSWER answer}.
 */
public final class LangChain4jContinuator implements Continuator {

    private final ChatStream stream;
    private final String name;
    private final ContinuationPrompts prompts;
    private final ContinuationStrategy strategy;
    private final PrefillFields prefillFields;

    /** The instruction strategy over the portable streaming API. */
    public LangChain4jContinuator(StreamingChatModel model, String name, ContinuationPrompts prompts) {
        this(new StreamingModelStream(model), name, prompts, ContinuationStrategy.INSTRUCTION, PrefillFields.NONE);
    }

    LangChain4jContinuator(ChatStream stream, String name, ContinuationPrompts prompts, ContinuationStrategy strategy,
            PrefillFields prefillFields) {
        if (strategy == ContinuationStrategy.AUTO) {
            throw new IllegalArgumentException("resolve the auto strategy before building the continuator");
        }
        this.stream = stream;
        this.name = name;
        this.prompts = prompts;
        this.strategy = strategy;
        this.prefillFields = prefillFields;
    }

    @Override
    public String strategy() {
        return strategy.wireName();
    }

    @Override
    public ContinuationKind kind() {
        return switch (strategy) {
            case PREFILL -> ContinuationKind.PREFILL;
            case SPLICE -> ContinuationKind.SPLICE;
            case INSTRUCTION, AUTO -> ContinuationKind.INSTRUCTION;
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void prewarm() {
        stream.prewarm();
    }

    /** Releases the connections to the model's server, at shutdown (an application's stream is its container's). */
    void close() {
        if (stream instanceof ProviderStream own) {
            own.close();
        }
    }

    @Override
    public Multi<String> continueReply(ContinuationRequest request) {
        // the prefill fields tell the server to continue a final assistant message: an answer has none
        boolean prefill = strategy == ContinuationStrategy.PREFILL && !answersFromScratch(request);
        PrefillFields fields = prefill ? prefillFields : PrefillFields.NONE;
        return Multi.createFrom().deferred(() -> stream.stream(new ChatStreamRequest(messages(request),
                request.plan().cloud(), fields.parameters(), fields.messageFields())));
    }

    /** Whether there is no opener to continue, so the model answers the question from scratch. */
    public static boolean answersFromScratch(ContinuationRequest request) {
        return request.committedOpener().isBlank();
    }

    List<ChatMessage> messages(ContinuationRequest request) {
        String recovery = request.correction().orElse(null);
        ContinuationStrategy effective = answersFromScratch(request) ? ContinuationStrategy.SPLICE : strategy;
        String systemPrompt = switch (effective) {
            case PREFILL -> prompts.prefillSystem(recovery);
            case SPLICE -> answersFromScratch(request) ? prompts.spliceSystem()
                    : prompts.spliceSystem(request.committedOpener(), recovery);
            default -> prompts.system();
        };
        List<ChatMessage> turns = request.conversation().messages();
        List<ChatMessage> out = new ArrayList<>(turns.size() + 2);
        StringBuilder system = new StringBuilder(systemPrompt);
        if (request.plan().maskPii()) {
            system.append("\n\n").append(prompts.maskedDataNote());
        }
        for (int i = 0; i < turns.size() - 1; i++) {
            ChatMessage turn = turns.get(i);
            switch (turn.role()) {
                case SYSTEM -> system.append("\n\n").append(turn.content());
                case USER, ASSISTANT -> out.add(turn);
            }
        }
        out.add(0, ChatMessage.system(system.toString()));
        String question = request.conversation().lastUserMessage();
        switch (effective) {
            case PREFILL -> {
                out.add(ChatMessage.user(question));
                out.add(ChatMessage.assistant(request.committedOpener().strip()));
            }
            case SPLICE -> out.add(ChatMessage.user(question));
            default -> out.add(ChatMessage.user(prompts.user(question, request.committedOpener(), recovery)));
        }
        return out;
    }

    /**
     * Parses prefill parameters and message fields from config: true/false become booleans, numbers numbers, the rest strings.
     */
    static Map<String, Object> typed(Map<String, String> raw) {
        Map<String, Object> out = new LinkedHashMap<>();
        raw.forEach((key, value) -> {
            String v = value.strip();
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                out.put(key, Boolean.valueOf(v));
            } else if (v.matches("-?\\d+")) {
                out.put(key, Long.valueOf(v));
            } else if (v.matches("-?\\d*\\.\\d+")) {
                out.put(key, Double.valueOf(v));
            } else {
                out.put(key, value);
            }
        });
        return out;
    }
}
