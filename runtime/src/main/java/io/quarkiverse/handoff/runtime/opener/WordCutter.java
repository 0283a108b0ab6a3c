package io.quarkiverse.handoff.runtime.opener;

import java.util.function.Consumer;

import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.HandoffClock.Milestone;
import io.quarkiverse.handoff.OpenerWord;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPoint;

/**
 * Applies a plan's handoff point to the stream of decoded text: assembles complete words, emits them with their
 * timestamp on the handoff clock, and says when the opener must stop. Never emits a word that is not complete.
 */
final class WordCutter {

    /** Clause-boundary hand-offs wait at most this many times the planned words for a boundary. */
    static final int CLAUSE_SEARCH_FACTOR = 2;

    private final WordAssembler assembler = new WordAssembler();
    private final HandoffPlan plan;
    private final HandoffClock clock;
    private final Consumer<OpenerWord> out;
    private int emitted;
    private boolean stopped;

    WordCutter(HandoffPlan plan, HandoffClock clock, Consumer<OpenerWord> out) {
        this.plan = plan;
        this.clock = clock;
        this.out = out;
        // a plan of zero words is a cloud-only opener: nothing to write
        this.stopped = plan.openerWords() == 0;
    }

    /**
     * Adds a piece of decoded text.
     *
     * @return false once the handoff point is reached
     */
    boolean accept(String text, double probability) {
        if (stopped) {
            return false;
        }
        for (WordAssembler.Word word : assembler.accept(text, probability)) {
            if (!offer(word)) {
                return false;
            }
        }
        return !stopped;
    }

    /**
     * The decode ended. The pending word is emitted only at the end of the sequence, where it is known to be
     * complete; a decode cut by the token limit, the time budget or a cancellation may have stopped inside a word.
     */
    void finish(boolean endOfSequence) {
        if (!stopped && endOfSequence) {
            assembler.finish().forEach(this::offer);
        }
        stopped = true;
    }

    /** Words emitted so far. */
    int emitted() {
        return emitted;
    }

    private boolean offer(WordAssembler.Word word) {
        if (stopped) {
            return false;
        }
        int target = plan.openerWords();
        if (plan.handoffPoint() == HandoffPoint.CONFIDENCE_DROP && emitted > 0
                && word.confidence() < plan.confidenceThreshold()) {
            stopped = true;
            return false;
        }
        clock.mark(Milestone.OPENER_FIRST_WORD);
        out.accept(new OpenerWord(emitted, word.text(), word.confidence(), clock.elapsedNanos()));
        emitted++;
        boolean done = switch (plan.handoffPoint()) {
            case AFTER_WORDS, CONFIDENCE_DROP -> emitted >= target;
            case CLAUSE_BOUNDARY -> emitted >= target
                    && (WordAssembler.endsClause(word.text()) || emitted >= CLAUSE_SEARCH_FACTOR * target);
        };
        stopped = done;
        return !done;
    }
}
