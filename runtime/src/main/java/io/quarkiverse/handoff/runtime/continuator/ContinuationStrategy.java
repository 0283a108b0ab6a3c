package io.quarkiverse.handoff.runtime.continuator;

import java.util.Locale;

/**
 * How a chat model is made to continue a reply that the opener began.
 */
public enum ContinuationStrategy {
    /** Chosen per provider: {@link #PREFILL} where the server honours it, {@link #INSTRUCTION} elsewhere. */
    AUTO,
    /**
     * Native assistant prefill: the opener is sent as the start of the assistant's own message, and the server
     * continues it token by token (Ollama's chat API, llama.cpp, vLLM with {@code continue_final_message}, Anthropic).
     */
    PREFILL,
    /** The model is told the words already said and asked to write only what follows. */
    INSTRUCTION,
    /**
     * Last resort for models that follow neither: a fresh answer, spliced after the opener; the seam removes the
     * restatement the answer starts with.
     */
    SPLICE;

    /** The name reported in the done event. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
