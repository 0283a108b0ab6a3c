package io.quarkiverse.handoff.sample.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.OpenerStop;
import io.quarkiverse.handoff.event.CorrectionEvent;
import io.quarkiverse.handoff.event.DoneEvent;
import io.quarkiverse.handoff.event.ErrorEvent;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.event.PlanEvent;
import io.quarkiverse.handoff.event.Timings;

/**
 * What one handoff of a prompt set gave, and what was measured of it.
 *
 * @param sample which run of the conversation this is, from 1 (the command's {@code --samples})
 * @param failure the handoff's error ({@code code: message}) when it gave no reply; null when it did
 * @param ungroundedFacts numbers and names of the opener that the conversation does not contain
 * @param madeUpWords words of the opener that are no plain English word
 * @param repeatedWords words the opener says twice in a row
 * @param seamRepeat whether the continuation starts with the opener's last word again
 * @param groundingGuard whether the plan had the grounding guard on
 * @param guardStop whether the grounding guard stopped the opener, right before a fact the conversation does not hold
 *        ({@code openerStop}'s reason is {@value OpenerStop#UNGROUNDED_FACT})
 * @param openerStop where and why the opener stopped (the done event's {@code openerStop}); null when that is not
 *        known (no opener ran, or the application's opener does not report it)
 * @param corrections the error-correction methods that fired, as {@code method: reason}
 * @param degradedCode why the reply was finished on the device (the done event's {@code degradedCode}), or null
 * @param firstWordMs when the first word of the reply (opener or, without one, continuation) reached the command
 * @param cloudFirstTokenMs the continuator's first token, on the handoff's clock; null when none came
 * @param openerGrade the judge's grade of the opener; null without a judge
 * @param replyGrade the judge's grade of the whole reply; null without a judge
 */
public record EvalResult(EvalConversation conversation, String profile, int sample, String opener,
        String continuation, String failure, List<String> ungroundedFacts, List<String> madeUpWords,
        List<String> repeatedWords, boolean seamRepeat, boolean groundingGuard, boolean guardStop,
        OpenerStop openerStop, List<String> corrections, String degradedCode, String strategy, String continuator,
        List<String> firedRules, Double firstWordMs, Double cloudFirstTokenMs, Double seamGapMs, Double totalMs,
        Judge.Grade openerGrade, Judge.Grade replyGrade) {

    /**
     * Measures one handoff from its events.
     *
     * @param firstWordMs when the reply's first word reached the caller
     */
    public static EvalResult of(EvalConversation conversation, String profile, int sample,
            List<HandoffEvent> events, Double firstWordMs, PlainEnglish plain) {
        PlanEvent plan = null;
        DoneEvent done = null;
        List<String> corrections = new ArrayList<>();
        for (HandoffEvent event : events) {
            if (event instanceof PlanEvent p) {
                plan = p;
            } else if (event instanceof CorrectionEvent c) {
                corrections.add(c.method() + ": " + c.reason());
            } else if (event instanceof ErrorEvent e) {
                return failed(conversation, profile, sample, e.code() + ": " + e.message());
            } else if (event instanceof DoneEvent d) {
                done = d;
            }
        }
        if (done == null) {
            return failed(conversation, profile, sample, "the handoff ended without a reply (no done event)");
        }
        String said = conversation.conversation().messages().stream().map(ChatMessage::content)
                .collect(Collectors.joining("\n"));
        List<String> words = OpenerChecks.words(done.opener());
        Predicate<String> name = core -> Character.isUpperCase(core.charAt(0)) && !plain.contains(core);
        boolean guard = plan != null && plan.plan().groundedOnly();
        Timings timings = done.timings();
        OpenerStop stop = done.openerStop();
        return new EvalResult(conversation, profile, sample, done.opener(), done.continuation(), null,
                OpenerChecks.ungroundedFacts(words, said, name), OpenerChecks.madeUpWords(words, said, plain),
                OpenerChecks.repeatedWords(words), OpenerChecks.repeatsAcrossTheSeam(words, done.continuation()),
                guard, stop != null && OpenerStop.UNGROUNDED_FACT.equals(stop.reason()), stop, corrections,
                done.degraded() ? Objects.requireNonNullElse(done.degradedCode(), "degraded") : null,
                done.strategy(), done.continuator(), plan == null ? List.of() : plan.plan().firedRules(),
                firstWordMs, timings == null ? null : timings.cloudFirstTokenMs(),
                timings == null ? null : timings.seamGapMs(), timings == null ? null : timings.totalMs(), null, null);
    }

    /** A handoff that gave no reply. */
    public static EvalResult failed(EvalConversation conversation, String profile, int sample, String failure) {
        return new EvalResult(conversation, profile, sample, "", "", failure, List.of(), List.of(), List.of(), false,
                false, false, null, List.of(), null, null, null, List.of(), null, null, null, null, null, null);
    }

    public boolean answered() {
        return failure == null;
    }

    public int openerWords() {
        return OpenerChecks.words(opener).size();
    }

    public boolean degraded() {
        return degradedCode != null;
    }

    public EvalResult withGrades(Judge.Grade opener, Judge.Grade reply) {
        return new EvalResult(conversation, profile, sample, this.opener, continuation, failure, ungroundedFacts,
                madeUpWords, repeatedWords, seamRepeat, groundingGuard, guardStop, openerStop, corrections, degradedCode,
                strategy, continuator, firedRules, firstWordMs, cloudFirstTokenMs, seamGapMs, totalMs, opener, reply);
    }
}
