package io.quarkiverse.handoff;

import io.smallrye.mutiny.Multi;

/**
 * Continues a reply that is already partly spoken, mid-sentence, instead of answering from scratch.
 * <p>
 * Cancelling the returned stream must cancel the underlying request.
 */
public interface Continuator {

    /**
     * The token a continuation starts with when the model must pivot away from the opener because the opener is wrong
     * (the prompts ask for it). The seam strips it and the handoff reports a {@code correction} event. A continuator
     * whose model cannot follow such an instruction simply never emits it.
     */
    String PIVOT_MARKER = "[PIVOT]";

    /** Streams the continuation as raw text deltas, exactly as the model produced them. */
    Multi<String> continueReply(ContinuationRequest request);

    /**
     * How the continuation is obtained, as {@code done.strategy} reports it: one of the {@link ContinuationKind} names
     * ({@code prefill}, {@code instruction}, {@code splice}, ...) or a name of the continuator's own.
     */
    String strategy();

    /**
     * What kind of text {@link #continueReply} gives back, which decides how the seam joins it to the opener: by
     * default the kind {@link #strategy()} names ({@link ContinuationKind#INSTRUCTION} for a name of its own).
     */
    default ContinuationKind kind() {
        return ContinuationKind.ofStrategy(strategy());
    }

    /** A short name for timings and events, e.g. the provider or model name. */
    String name();

    /**
     * Called when a handoff starts whose plan will need this continuator, before the opener speaks: a chance to open
     * or refresh the connection to the cloud so that the continuation request leaves on a warm connection. Must not
     * block; the default does nothing.
     */
    default void prewarm() {
    }

    /**
     * Whether {@link #continueReply} streams from a remote service, and is therefore guarded by the first-token
     * deadline, the idle timeout, retries and the circuit breaker.
     */
    default boolean remote() {
        return true;
    }
}
