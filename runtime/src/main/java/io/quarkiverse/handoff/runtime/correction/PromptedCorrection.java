package io.quarkiverse.handoff.runtime.correction;

import io.quarkiverse.handoff.Continuator;
import io.quarkiverse.handoff.ErrorCorrection;
import io.quarkiverse.handoff.runtime.continuator.ContinuationPrompts;

/**
 * A built-in correction method whose instruction is the prompt resource {@code correction-NAME.txt} (an application
 * overrides it with its own {@code handoff/prompts/correction-NAME.txt}). Placeholders: {@code {condition}} (when to
 * pivot), {@code {marker}} (the pivot marker), {@code {opener}} (the words already said). Its
 * {@link #unansweredPivot()} is the resource {@code correction-NAME-unanswered.txt}.
 */
public abstract class PromptedCorrection implements ErrorCorrection {

    private final String method;
    private final String template;
    private final String unansweredPivot;

    protected PromptedCorrection(String method) {
        this.method = method;
        this.template = ContinuationPrompts.read("correction-" + method + ".txt");
        this.unansweredPivot = ContinuationPrompts.read("correction-" + method + "-unanswered.txt");
    }

    @Override
    public String unansweredPivot() {
        return unansweredPivot;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String instruction(CorrectionContext context) {
        return template.replace("{condition}", condition(context.reason()))
                .replace("{marker}", Continuator.PIVOT_MARKER)
                .replace("{opener}", context.committedOpener() == null ? "" : context.committedOpener().strip());
    }

    /** When the model is to pivot: only if it finds the opener wrong, or, for a suspect opener, after checking it. */
    static String condition(String reason) {
        if (reason == null || reason.isBlank()) {
            return "Only if the words already said are wrong";
        }
        return "The words already said may be wrong (" + reason + "): check them, and only if they are wrong";
    }
}
