package io.quarkiverse.handoff.runtime.correction;

import jakarta.inject.Singleton;

import io.quarkiverse.handoff.ErrorCorrection;

/**
 * The {@code explicit} recovery method: a brief acknowledgement of the slip, then the correct answer.
 * Its instruction is the prompt {@code correction-explicit.txt}.
 */
@Singleton
public class ExplicitCorrection extends PromptedCorrection {

    public ExplicitCorrection() {
        super(ErrorCorrection.EXPLICIT);
    }
}
