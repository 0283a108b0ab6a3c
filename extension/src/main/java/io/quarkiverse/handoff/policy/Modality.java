package io.quarkiverse.handoff.policy;

/** How the reply reaches the user. */
public enum Modality {
    SPEECH,
    SCREEN
}
