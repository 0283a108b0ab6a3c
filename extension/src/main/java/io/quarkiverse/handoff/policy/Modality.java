package io.quarkiverse.handoff.policy;

/** How the reply reaches the user. */
public enum Modality {
    /** Spoken: about 150 words per minute, the speaking rate of a voice assistant. */
    SPEECH(2.5),
    /** Shown: the reading rate of a streamed reply on a small screen. */
    SCREEN(4.0);

    private final double defaultWordsPerSecond;

    Modality(double defaultWordsPerSecond) {
        this.defaultWordsPerSecond = defaultWordsPerSecond;
    }

    /** How fast a user hears or reads a reply in this modality, when the device profile says nothing else. */
    public double defaultWordsPerSecond() {
        return defaultWordsPerSecond;
    }
}
