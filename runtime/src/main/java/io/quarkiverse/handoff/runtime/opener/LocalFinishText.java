package io.quarkiverse.handoff.runtime.opener;

import io.quarkiverse.handoff.runtime.continuator.ContinuationPrompts;

/**
 * What a reply the device finishes alone ends with: one plain sentence saying the answer cannot be finished now. It is
 * the prompt resource {@value #RESOURCE}{@code .txt}, which an application overrides, per language, with its own
 * {@code handoff/prompts/local-finish.txt} or {@code handoff/prompts/local-finish_de.txt}
 * ({@code quarkus.handoff.opener.language}).
 */
public record LocalFinishText(String notice) {

    public static final String RESOURCE = "local-finish";
    /** Ends a sentence the model could not close in a few grounded words. */
    public static final String UNFINISHED = "\u2026";

    public static LocalFinishText forLanguage(String language) {
        String notice = ContinuationPrompts.read(RESOURCE, language);
        if (notice.isBlank()) {
            throw new IllegalStateException("the prompt " + RESOURCE + " for the language " + language
                    + " is empty: write the sentence the reply ends with when the device cannot finish it");
        }
        return new LocalFinishText(notice);
    }
}
