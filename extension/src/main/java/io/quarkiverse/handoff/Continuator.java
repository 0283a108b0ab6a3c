package io.quarkiverse.handoff;

import io.smallrye.mutiny.Multi;

/**
 * Continues a reply that is already partly spoken, mid-sentence, instead of answering from scratch.
 * <p>
 * Cancelling the returned stream must cancel the underlying request.
 */
public interface Continuator {

    /** Streams the continuation as raw text deltas, exactly as the model produced them. */
    Multi<String> continueReply(ContinuationRequest request);

    /** How the continuation is obtained (e.g. {@code prefill}, {@code instruction}, {@code splice}); reported in done. */
    String strategy();

    /** A short name for timings and events, e.g. the provider or model name. */
    String name();
}
