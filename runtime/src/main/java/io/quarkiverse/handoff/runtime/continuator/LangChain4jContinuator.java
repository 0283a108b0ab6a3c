package io.quarkiverse.handoff.runtime.continuator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.ContinuationRequest;
import io.quarkiverse.handoff.Continuator;
import io.smallrye.mutiny.Multi;

/**
 * Continues a reply with a quarkus-langchain4j {@link StreamingChatModel}: the instruction strategy. The chat model is
 * told the words already said and asked to write only what follows.
 */
public final class LangChain4jContinuator implements Continuator {

    public static final String INSTRUCTION = "instruction";

    private final StreamingChatModel model;
    private final String name;
    private final ContinuationPrompts prompts;

    public LangChain4jContinuator(StreamingChatModel model, String name, ContinuationPrompts prompts) {
        this.model = model;
        this.name = name;
        this.prompts = prompts;
    }

    @Override
    public String strategy() {
        return INSTRUCTION;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Multi<String> continueReply(ContinuationRequest request) {
        ChatRequest chatRequest = ChatRequest.builder().messages(messages(request)).build();
        return Multi.createFrom().emitter(emitter -> {
            AtomicReference<StreamingHandle> handle = new AtomicReference<>();
            AtomicBoolean cancelled = new AtomicBoolean();
            emitter.onTermination(() -> {
                cancelled.set(true);
                StreamingHandle h = handle.get();
                if (h != null && !h.isCancelled()) {
                    h.cancel();
                }
            });
            model.chat(chatRequest, new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                    handle.set(context.streamingHandle());
                    if (cancelled.get()) {
                        context.streamingHandle().cancel();
                        return;
                    }
                    if (partial.text() != null && !partial.text().isEmpty()) {
                        emitter.emit(partial.text());
                    }
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    emitter.complete();
                }

                @Override
                public void onError(Throwable error) {
                    emitter.fail(error);
                }
            });
        });
    }

    List<dev.langchain4j.data.message.ChatMessage> messages(ContinuationRequest request) {
        List<ChatMessage> turns = request.conversation().messages();
        List<dev.langchain4j.data.message.ChatMessage> out = new ArrayList<>(turns.size() + 1);
        StringBuilder system = new StringBuilder(prompts.system());
        for (int i = 0; i < turns.size() - 1; i++) {
            ChatMessage turn = turns.get(i);
            switch (turn.role()) {
                case SYSTEM -> system.append("\n\n").append(turn.content());
                case USER -> out.add(UserMessage.from(turn.content()));
                case ASSISTANT -> out.add(AiMessage.from(turn.content()));
            }
        }
        out.add(0, SystemMessage.from(system.toString()));
        out.add(UserMessage.from(prompts.user(request.conversation().lastUserMessage(), request.committedOpener(),
                request.correction().orElse(null))));
        return out;
    }
}
