package io.quarkiverse.handoff.runtime.correction;

import jakarta.inject.Singleton;

import io.quarkiverse.handoff.ErrorCorrection;

/**
 * The {@code humorous} recovery method: a light, playful one-line pivot, then the correct answer.
 * Its instruction is the prompt {@code correction-humorous.txt}.
 */
@Singleton
public class HumorousCorrection extends PromptedCorrection {

    public HumorousCorrection() {
        super(ErrorCorrection.HUMOROUS);
    }
}
