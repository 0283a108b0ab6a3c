package io.quarkiverse.handoff.runtime.opener;

import java.util.List;
import java.util.Locale;

import io.quarkiverse.handoff.policy.FactClass;

/**
 * Where and why an opener stopped, to explain it (the {@code opener} command of the sample's CLI prints it) and to
 * report it ({@link #report()}, the handoff's {@code done} event).
 *
 * @param reason why it stopped
 * @param before the word the model wrote next, which the opener did not say (a fact the conversation does not hold,
 *        or a word under the confidence threshold); null for the other reasons
 * @param fact for {@link Reason#UNGROUNDED_FACT}: what kind of fact {@code before} states; else null
 * @param confidence the model's confidence in {@code before} (NaN when there is none)
 * @param dropped words the model wrote and the opener held back, then did not say: a dangling article, preposition
 *        or conjunction, or the unfinished clause of a speech opener
 */
public record OpenerStop(Reason reason, String before, FactClass fact, double confidence, List<String> dropped) {

    public OpenerStop {
        dropped = List.copyOf(dropped);
    }

    /** Why an opener stopped. */
    public enum Reason {
        /** The plan's words were said. */
        PLANNED_WORDS,
        /** The first clause boundary at or after the plan's words. */
        CLAUSE_BOUNDARY,
        /** No clause boundary within three times the plan's words: the opener ends at the last one before. */
        CLAUSE_SEARCH_LIMIT,
        /** The next word is under the plan's confidence threshold. */
        LOW_CONFIDENCE,
        /** The next word states a fact (number, date or time, name) that the conversation does not hold. */
        UNGROUNDED_FACT,
        /** The model ended its reply. */
        END_OF_REPLY,
        /** The token limit, the time budget or a cancellation ended the decode. */
        DECODE_ENDED;

        /** The reason's stable code in the handoff's events: the name in lower case, words joined by '-'. */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * This stop as an opener reports it to the handoff ({@code done}'s {@code openerStop}): the reason as its code,
     * the words without their whitespace, the fact class by name.
     */
    public io.quarkiverse.handoff.OpenerStop report() {
        // the API's record has this record's simple name: named in full
        return new io.quarkiverse.handoff.OpenerStop(reason.code(), before, fact == null ? null : fact.name(),
                confidence, dropped);
    }

    /** One line for people: what stopped the opener, before which word, and what was held back. */
    public String describe() {
        String why = switch (reason) {
            case PLANNED_WORDS -> "the plan's words were said";
            case CLAUSE_BOUNDARY -> "a clause boundary after the plan's words";
            case CLAUSE_SEARCH_LIMIT -> "no clause boundary within three times the plan's words: back to the last one";
            case LOW_CONFIDENCE -> String.format(Locale.ROOT, "the model was unsure of \"%s\" (confidence %.3f)",
                    before.strip(), confidence);
            case UNGROUNDED_FACT -> "grounding guard: " + fact.stopReason(before.strip());
            case END_OF_REPLY -> "the model ended its reply";
            case DECODE_ENDED -> "the token limit, the time budget or a cancellation";
        };
        return dropped.isEmpty() ? why
                : why + "; held back and not said: \"" + String.join("", dropped).strip() + "\"";
    }
}
