package io.quarkiverse.handoff.runtime.opener;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.HandoffClock.Milestone;
import io.quarkiverse.handoff.OpenerWord;
import io.quarkiverse.handoff.policy.FactClass;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPoint;
import io.quarkiverse.handoff.runtime.opener.OpenerStop.Reason;
import io.quarkiverse.handoff.runtime.text.EnglishWords;

/**
 * Applies a plan to the stream of decoded text: assembles complete words, says each one the moment it may be said
 * (emits it with its timestamp on the handoff clock), and says when the opener must stop. A word is judged once it is
 * complete and before it is said, so a stop never takes a word back:
 * <ul>
 * <li>the grounding guard ({@link HandoffPlan#groundedOnly()}) stops right before a fact the conversation does not
 * hold. Since a dangling "the", "to" or "and" must not be the opener's last word, such a word is held back until the
 * next word is known to be sayable (the words before it are said at once, so the first word is not delayed unless it
 * is itself such a word); the plan's last word is never one either. Likewise, words whose stance is not settled
 * yet ({@link GroundingGuard#stanceUndecided}: "I'm" may start "I'm not able to help" for a harmless request) are held
 * until it is, and dropped when the guard stops the opener for it;</li>
 * <li>{@link HandoffPoint#CLAUSE_BOUNDARY} (speech) says whole clauses only: the words of a clause are held until it
 * ends (after , ; : . ! ? or before a conjunction that starts a clause), and said together. A word under the plan's
 * confidence threshold, or an ungrounded fact, stops the opener at the last clause boundary. No boundary within three
 * times the planned
 * words, or a decode cut short, stops it there too, or, when that would say less than {@value #MIN_SPOKEN_WORDS}
 * words, at the last phrase boundary (before a preposition or a conjunction). A speech opener says at least
 * {@value #MIN_SPOKEN_WORDS} words or none (the cloud then answers alone);</li>
 * <li>{@link HandoffPoint#CONFIDENCE_DROP} (screen) stops right before a word under the threshold (never at the first
 * word).</li>
 * </ul>
 */
final class WordCutter {

    /**
     * Clause-boundary hand-offs wait at most this many times the planned words for a boundary: the words held meanwhile
     * cost a few milliseconds of decoding, while an opener cut back to an earlier clause may leave the user in silence.
     */
    static final int CLAUSE_SEARCH_FACTOR = 3;
    /** A speech opener shorter than this sounds clipped: it says this many words, or none. */
    static final int MIN_SPOKEN_WORDS = 2;

    private final WordAssembler assembler = new WordAssembler();
    private final HandoffPlan plan;
    private final GroundingGuard guard;
    private final boolean wholeClauses;
    private final HandoffClock clock;
    private final Consumer<OpenerWord> out;
    /** Complete words not said yet: a dangling word, or the unfinished clause of a speech opener. */
    private final List<WordAssembler.Word> held = new ArrayList<>();
    /** How many of the held words end at a clause boundary (speech). */
    private int heldToBoundary;
    /** The last complete word, said or held; null before the first. */
    private String previous;
    private int emitted;
    private OpenerStop stop;

    /**
     * @param guard the grounding guard of this conversation, or null when the plan does not ask for one
     */
    WordCutter(HandoffPlan plan, GroundingGuard guard, HandoffClock clock, Consumer<OpenerWord> out) {
        this.plan = plan;
        this.guard = guard;
        this.wholeClauses = plan.handoffPoint() == HandoffPoint.CLAUSE_BOUNDARY;
        this.clock = clock;
        this.out = out;
        if (plan.openerWords() == 0) {
            // a plan of zero words is a cloud-only opener: nothing to write
            stop = new OpenerStop(Reason.PLANNED_WORDS, null, null, Double.NaN, List.of());
        }
    }

    /**
     * Adds a piece of decoded text.
     *
     * @return false once the opener must stop
     */
    boolean accept(String text, double probability) {
        if (stop != null) {
            return false;
        }
        for (WordAssembler.Word word : assembler.accept(text, probability)) {
            if (!offer(word)) {
                return false;
            }
        }
        return stop == null;
    }

    /**
     * The decode ended. At the end of the sequence the pending word is complete and judged like the others, then the
     * held words are said: the reply is whole. A decode cut by the token limit, the time budget or a cancellation may
     * have stopped inside a word, which is never said, and its held words are cut back like any other stop.
     */
    void finish(boolean endOfSequence) {
        if (stop != null) {
            return;
        }
        if (endOfSequence) {
            for (WordAssembler.Word word : assembler.finish()) {
                if (!offer(word)) {
                    return;
                }
            }
            say(guard != null && guard.stanceUndecided() ? 0 : held.size());
            end(Reason.END_OF_REPLY, null, null);
        } else {
            stopBefore(null, Reason.DECODE_ENDED, null);
        }
    }

    /** Where and why the opener stopped; null while it runs. */
    OpenerStop stop() {
        return stop;
    }

    private boolean offer(WordAssembler.Word word) {
        boolean sentenceStart = previous == null || startsSentence(word.text(), previous);
        if (guard != null) {
            FactClass fact = guard.ungrounded(word, previous, sentenceStart);
            if (fact != null) {
                stopBefore(word, Reason.UNGROUNDED_FACT, fact);
                return false;
            }
        }
        if (doubtful(word)) {
            stopBefore(word, Reason.LOW_CONFIDENCE, null);
            return false;
        }
        previous = word.text();
        return wholeClauses ? offerInClause(word) : offerAlone(word);
    }

    /** Under the plan's confidence threshold, where the plan stops for that. */
    private boolean doubtful(WordAssembler.Word word) {
        return switch (plan.handoffPoint()) {
            case AFTER_WORDS -> false;
            // the first word is always written: an opener of zero words is the cloud's job
            case CONFIDENCE_DROP -> emitted + held.size() > 0 && word.confidence() < plan.confidenceThreshold();
            case CLAUSE_BOUNDARY -> word.confidence() < plan.confidenceThreshold();
        };
    }

    /** A word that is said as soon as it is known not to dangle: after the plan's number of words, stop. */
    private boolean offerAlone(WordAssembler.Word word) {
        held.add(word);
        if (guard != null && (dangles(word.text()) || guard.stanceUndecided())) {
            if (emitted + held.size() >= plan.openerWords()) {
                // it would be the last word: stop a word earlier
                stopBefore(null, Reason.PLANNED_WORDS, null);
                return false;
            }
            return true;
        }
        say(Math.min(held.size(), plan.openerWords() - emitted));
        if (emitted >= plan.openerWords()) {
            end(Reason.PLANNED_WORDS, null, null);
            return false;
        }
        return true;
    }

    /** A word of a speech opener: said with its clause once the clause ends. */
    private boolean offerInClause(WordAssembler.Word word) {
        // a conjunction starts a clause only after a word that may end one ("means of | or" is no boundary)
        if (EnglishWords.CLAUSE_STARTERS.contains(lowerCore(word.text())) && !held.isEmpty()
                && !dangles(held.get(held.size() - 1).text())) {
            heldToBoundary = held.size();
        }
        held.add(word);
        if (WordAssembler.endsClause(word.text())) {
            heldToBoundary = held.size();
        }
        if (heldToBoundary > 0 && emitted + heldToBoundary >= MIN_SPOKEN_WORDS
                && (guard == null || !guard.stanceUndecided())) {
            say(heldToBoundary);
            if (emitted >= plan.openerWords()) {
                end(Reason.CLAUSE_BOUNDARY, null, null);
                return false;
            }
        }
        if (emitted + held.size() >= CLAUSE_SEARCH_FACTOR * plan.openerWords()) {
            stopBefore(null, Reason.CLAUSE_SEARCH_LIMIT, null);
            return false;
        }
        return true;
    }

    /**
     * Stops before {@code next} (null: before whatever would come): says the held words that end cleanly and drops the
     * rest. A speech opener falls back to its last clause boundary, before an ungrounded fact too: a voice that stops
     * on "The capital of Peru is" has stopped mid-phrase, and the user hears the gap.
     */
    private void stopBefore(WordAssembler.Word next, Reason reason, FactClass fact) {
        int clean = held.size();
        if (fact == FactClass.SAFETY || guard != null && guard.stanceUndecided()) {
            // the held words start a stance the request does not call for, or one not complete yet
            // (GroundingGuard#stanceUndecided): none is said
            clean = 0;
        } else if (wholeClauses) {
            clean = heldToBoundary;
            if (reason != Reason.LOW_CONFIDENCE && reason != Reason.UNGROUNDED_FACT
                    && emitted + clean < MIN_SPOKEN_WORDS) {
                // sure words but no clause boundary in time: end a phrase rather than say nothing
                clean = lastPhraseBoundary();
            }
        } else {
            while (clean > 0 && dangles(held.get(clean - 1).text())) {
                clean--;
            }
        }
        if (wholeClauses && emitted + clean < MIN_SPOKEN_WORDS) {
            clean = 0;
        }
        say(clean);
        end(reason, next, fact);
    }

    /**
     * How many held words end a phrase: the words before the last preposition or conjunction that follows a word that
     * does not dangle ("Sure, I'll remind you | to pick up the"); 0 when there is none.
     */
    private int lastPhraseBoundary() {
        for (int p = held.size() - 1; p > 0; p--) {
            String word = held.get(p).text();
            if (EnglishWords.CONNECTORS.contains(lowerCore(word)) && dangles(word)
                    && !dangles(held.get(p - 1).text())) {
                return p;
            }
        }
        return 0;
    }

    /** Stops now: the held words are not said. */
    private void end(Reason reason, WordAssembler.Word next, FactClass fact) {
        List<String> dropped = held.stream().map(WordAssembler.Word::text).toList();
        held.clear();
        stop = new OpenerStop(reason, next == null ? null : next.text(), fact,
                next == null ? Double.NaN : next.confidence(), dropped);
    }

    /** Says the first {@code count} held words, each timestamped the moment it is said. */
    private void say(int count) {
        for (WordAssembler.Word word : held.subList(0, count)) {
            clock.mark(Milestone.OPENER_FIRST_WORD);
            out.accept(new OpenerWord(emitted, word.text(), word.confidence(), clock.elapsedNanos()));
            emitted++;
        }
        held.subList(0, count).clear();
        heldToBoundary = Math.max(0, heldToBoundary - count);
    }

    /**
     * Whether a word cannot end a phrase: an article, a preposition, a conjunction ("the", "to", "and"); a word with
     * clause punctuation always can.
     */
    static boolean dangles(String word) {
        String lower = lowerCore(word);
        return !WordAssembler.endsClause(word) && (EnglishWords.DETERMINERS.contains(lower)
                || EnglishWords.CONNECTORS.contains(lower) || EnglishWords.COMPARISONS.contains(lower));
    }

    /**
     * Whether a word starts a sentence: after . ! ? : or an ellipsis (closing quotes aside), on a new line, or opening
     * a quotation.
     */
    static boolean startsSentence(String word, String previous) {
        String prev = previous.strip().replaceAll("[\"\u201d'\u2019)\\]]+$", "");
        String lead = word.stripLeading();
        boolean newLine = word.substring(0, word.length() - lead.length()).indexOf('\n') >= 0;
        boolean opensQuote = !lead.isEmpty() && "\"\u201c(['\u2018".indexOf(lead.charAt(0)) >= 0;
        return WordAssembler.endsSentence(prev) || prev.endsWith(":") || prev.endsWith("\u2026") || newLine
                || opensQuote;
    }

    private static String lowerCore(String word) {
        return GroundingGuard.core(word).toLowerCase(Locale.ROOT);
    }
}
