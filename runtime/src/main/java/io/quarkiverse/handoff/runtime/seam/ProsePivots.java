package io.quarkiverse.handoff.runtime.seam;

import java.util.regex.Pattern;

/**
 * Notices a continuation that corrects the opener in words without sending the pivot marker ("Sorry, correction: it is
 * Canberra.", "Actually, no: ..."): a model may forget the marker and still pivot, and the pivot must be reported all
 * the same. Only phrases that say the words before were wrong count, at the start of a sentence; "actually" alone is
 * everyday speech.
 * <p>
 * Not thread-safe: one per seam, fed the text passed on, in stream order.
 */
final class ProsePivots {

    /** A correction phrase at the start of a sentence (or after a dash). */
    static final Pattern CORRECTION = Pattern.compile("(?:[.!?:\u2026]|\\s[\u2014\u2013-])\\s*(?i:"
            + "(?:sorry|oops|whoops)[,!:]?\\s+(?:correction|i misspoke|i was wrong"
            + "|that(?:'s| is| was) (?:wrong|not right|incorrect))\\b"
            + "|correction:"
            + "|my (?:mistake|bad)[,.!:]"
            + "|i misspoke\\b"
            + "|actually,? (?:no\\b|that(?:'s| is| was) (?:not|wrong|incorrect)\\b|it(?:'s| is| was)(?: not|n't)\\b"
            + "|it (?:isn't|wasn't)\\b))");

    /** Enough of the text before a delta to see a phrase that started in it. */
    private static final int CONTEXT = 48;

    /** The last text read; it starts with a full stop, so that the continuation's start counts as a sentence's. */
    private final StringBuilder tail = new StringBuilder(".");
    private boolean found;

    /** Reads text passed on to the user. */
    void accept(String text) {
        if (found || text.isEmpty()) {
            return;
        }
        tail.append(text);
        found = CORRECTION.matcher(tail).find();
        if (tail.length() > CONTEXT) {
            tail.delete(0, tail.length() - CONTEXT);
        }
    }

    boolean found() {
        return found;
    }
}
