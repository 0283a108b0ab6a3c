package io.quarkiverse.handoff;

import java.util.List;

/**
 * Where and why an opener stopped. An {@link Opener} reports it to {@link OpenerRequest#onStop()}; the handoff's
 * {@code done} event carries it as {@code openerStop}.
 *
 * @param reason why it stopped, as a stable code: {@value #PLANNED_WORDS}, {@value #CLAUSE_BOUNDARY},
 *        {@value #CLAUSE_SEARCH_LIMIT}, {@value #LOW_CONFIDENCE}, {@value #UNGROUNDED_FACT}, {@value #END_OF_REPLY}
 *        or {@value #DECODE_ENDED}; an opener of another kind may report a code of its own
 * @param before the word the model wrote next and the opener did not say (a fact the conversation does not hold, a
 *        word under the confidence threshold), without surrounding whitespace; null when it did not stop before a word
 * @param fact for {@value #UNGROUNDED_FACT}: what kind of fact {@code before} states, as the name of a
 *        {@link io.quarkiverse.handoff.policy.FactClass} ({@code NUMBER}, {@code DATE_TIME}, {@code NAME},
 *        {@code GUESSED_WORD}, {@code UNIT}, {@code TOPIC}, {@code DIRECTION}, {@code FEELING}, {@code SAFETY}); else null
 * @param confidence the model's confidence in {@code before}, 0 to 1; null when there is none
 * @param dropped the words the model wrote and the opener held back, then did not say (a dangling article,
 *        preposition or conjunction, a speech opener's unfinished clause), in order, without surrounding whitespace
 */
public record OpenerStop(String reason, String before, String fact, Double confidence, List<String> dropped) {

    /** The plan's words were said. */
    public static final String PLANNED_WORDS = "planned-words";
    /** The first clause boundary at or after the plan's words (a speech opener). */
    public static final String CLAUSE_BOUNDARY = "clause-boundary";
    /** No clause boundary came in time: the opener ends at the last one before. */
    public static final String CLAUSE_SEARCH_LIMIT = "clause-search-limit";
    /** The next word ({@code before}) is under the plan's confidence threshold. */
    public static final String LOW_CONFIDENCE = "low-confidence";
    /** The grounding guard: the next word ({@code before}) states a fact the conversation does not hold. */
    public static final String UNGROUNDED_FACT = "ungrounded-fact";
    /** The model ended its reply. */
    public static final String END_OF_REPLY = "end-of-reply";
    /** The token limit, the time budget or a cancellation ended the decode. */
    public static final String DECODE_ENDED = "decode-ended";

    public OpenerStop {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an opener's stop needs a reason, e.g. " + PLANNED_WORDS);
        }
        before = before == null || before.isBlank() ? null : before.strip();
        // NaN is not JSON: "no confidence" is null
        confidence = confidence == null || confidence.isNaN() ? null : confidence;
        dropped = dropped == null ? List.of() : dropped.stream().map(String::strip).toList();
    }
}
