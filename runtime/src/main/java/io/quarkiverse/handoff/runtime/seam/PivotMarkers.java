package io.quarkiverse.handoff.runtime.seam;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.quarkiverse.handoff.Continuator;

/**
 * Takes the {@link Continuator#PIVOT_MARKER pivot marker} out of a continuation wherever it appears, as it streams. A
 * model writes the marker in more forms than it was asked for: {@code [PIVOT]} in any case and spacing, wrapped in bold,
 * italics or backticks ({@code **[PIVOT]**}, {@code `[pivot]`}), or {@code PIVOT:} in capitals; and a stream may split
 * it across deltas, so text that may be the start of a marker is held back until the next delta tells.
 * <p>
 * Not thread-safe: one per seam, fed in stream order.
 */
final class PivotMarkers {

    private static final String EMPHASIS = "(?:\\*\\*|__|\\*|_|`)?";

    /** Every form, with the emphasis around it and a colon after it. */
    static final Pattern MARKER = Pattern.compile(EMPHASIS + "\\[\\s*(?i:pivot)\\s*]\\s*:?" + EMPHASIS + ":?"
            + "|(?<![\\p{L}\\p{N}])" + EMPHASIS + "PIVOT\\s*:" + EMPHASIS);

    private final StringBuilder pending = new StringBuilder();
    private boolean found;
    /** Whether text other than whitespace passed before the first marker. */
    private boolean textBeforeMarker;
    private boolean startsWithMarker;
    /** Whether a marker was taken out and nothing but whitespace passed since. */
    private boolean markerLast;
    /** The last character passed on, to put one space where a marker between two words was. */
    private char lastPassed = ' ';

    /**
     * Takes a piece of continuation text and returns what may pass now: the text without its markers, less a tail that
     * may be the start of one.
     */
    String accept(String text) {
        return take(text, false);
    }

    /** The stream ended: the markers in what was held back are taken out, and the rest is text. */
    String finish() {
        return take("", true);
    }

    private String take(String text, boolean end) {
        pending.append(text);
        String s = pending.toString();
        Matcher m = MARKER.matcher(s);
        StringBuilder out = new StringBuilder();
        int passedTo = 0;
        int holdFrom = s.length();
        while (m.find()) {
            if (m.hitEnd() && !end) {
                // "[PIVOT]" may still grow a colon or the end of its emphasis: decide with the next delta
                holdFrom = m.start();
                break;
            }
            pass(out, s.substring(passedTo, m.start()));
            if (!found) {
                startsWithMarker = !textBeforeMarker;
            }
            found = true;
            markerLast = true;
            passedTo = m.end();
        }
        if (holdFrom == s.length() && !end) {
            holdFrom = startOfPossibleMarker(s, passedTo);
        }
        pass(out, s.substring(passedTo, holdFrom));
        pending.delete(0, holdFrom);
        return out.toString();
    }

    /** Forgets text held back, because its source failed and the text never reaches the user. */
    void abandonHeld() {
        pending.setLength(0);
    }

    /** Whether the continuation starts with a marker (whitespace aside). */
    boolean startsWithMarker() {
        return startsWithMarker;
    }

    /** Whether a marker was found. */
    boolean found() {
        return found;
    }

    /** Whether nothing but whitespace followed the last marker found: the model pivoted and said nothing after it. */
    boolean endsWithMarker() {
        return markerLast;
    }

    /** Where a marker may start in the tail of {@code s} (that the next delta may complete), or its length. */
    private static int startOfPossibleMarker(String s, int from) {
        Matcher m = MARKER.matcher(s);
        for (int i = Math.max(from, s.length() - 16); i < s.length(); i++) {
            m.region(i, s.length());
            if (!m.lookingAt() && m.hitEnd() && !Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return s.length();
    }

    /** Passes text on; where a marker was between words, one space stands for it and the whitespace around it. */
    private void pass(StringBuilder out, String text) {
        if (text.isEmpty()) {
            return;
        }
        textBeforeMarker |= !found && !text.isBlank();
        if (markerLast) {
            String rest = text.stripLeading();
            if (rest.isEmpty()) {
                return;
            }
            text = (Character.isWhitespace(lastPassed) ? "" : " ") + rest;
            markerLast = false;
        }
        out.append(text);
        lastPassed = text.charAt(text.length() - 1);
    }
}
