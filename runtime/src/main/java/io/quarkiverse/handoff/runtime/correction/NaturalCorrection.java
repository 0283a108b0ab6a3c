package io.quarkiverse.handoff.runtime.correction;

import jakarta.inject.Singleton;

import io.quarkiverse.handoff.ErrorCorrection;

/**
 * The {@code natural} recovery method: a bridging pivot with no negation and no explanation of the mistake,
 * then the correct answer.
 * Its instruction is the prompt {@code correction-natural.txt}.
 */
@Singleton
public class NaturalCorrection extends PromptedCorrection {

    public NaturalCorrection() {
        super(ErrorCorrection.NATURAL);
    }
}
