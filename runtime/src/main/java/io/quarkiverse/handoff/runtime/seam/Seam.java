package io.quarkiverse.handoff.runtime.seam;

import java.util.Objects;

import io.quarkiverse.handoff.ContinuationKind;
import io.quarkiverse.handoff.Continuator;

/**
 * Joins a continuation to the opener already shown or spoken: holds back the first continuation text until it can
 * decide, strips the {@link Continuator#PIVOT_MARKER pivot marker} the model sends when it must correct the opener
 * (wherever it appears, see {@link PivotMarkers}),
 * removes words the continuation echoes from the end of the opener (see {@link Restatements}), and fixes spacing and
 * capitalization at the joint (see {@link Orthography}).
 * Past the joint, continuation text passes through untouched: no continuation word is ever dropped except an echo of
 * the opener (or, in {@link Mode#SPLICE}, the restatement a fresh answer starts with, see {@link SpliceAlignment}).
 * <p>
 * Not thread-safe: one seam per handoff, fed in stream order.
 */
public final class Seam {

    /** How the continuation was obtained, which decides how much the seam trusts its first characters. */
    public enum Mode {
        /**
         * The model was told the opener and asked for what follows (instruction strategy): it often drops the leading
         * space or restates the last words, so spacing is repaired (a continuation without a space is glued only when
         * it completes the opener's last word) and echoes and paraphrased restatements of the opener's last clause are
         * removed.
         */
        CONTINUATION,
        /**
         * The server continued the opener as its own assistant text (prefill strategy): the continuation's first
         * characters are literal, so a continuation without a leading space may complete the opener's last word
         * (glued only when it really does: a suffix, or the rest of a cut word). A server that ignored the prefill and
         * answered afresh is recognised by its restatement of the opener, which is cut as in {@link #SPLICE}.
         */
        LITERAL,
        /**
         * The model answered from scratch (splice strategy): its answer restates what the opener said, so the seam
         * aligns the answer with the opener's last words and keeps only what comes after.
         */
        SPLICE;

        /**
         * The mode that joins a continuation of this kind: text that is literally the reply's next characters (a prefill
         * continuation, an answer with nothing before it) as it is, a spliced answer aligned with the opener, and text
         * written to follow the opener's words (an instruction continuation, the device's own finish) repaired.
         */
        public static Mode of(ContinuationKind kind) {
            return switch (kind) {
                case PREFILL, ANSWER -> LITERAL;
                case SPLICE -> SPLICE;
                case INSTRUCTION, LOCAL -> CONTINUATION;
            };
        }
    }

    private final String opener;
    private final Mode mode;
    private final Orthography orthography;
    private final Restatements restatements;
    private final SpliceAlignment splice;
    private final StringBuilder held = new StringBuilder();
    private final PivotMarkers markers = new PivotMarkers();
    private final ProsePivots prose = new ProsePivots();
    /** Whether the continuation starts with the pivot marker: what follows it starts over at the joint. */
    private boolean pivoted;
    private boolean decided;
    /** The first half of a surrogate pair that ended the last delta, held until its second half comes. */
    private String splitCharacter = "";

    public Seam(String opener) {
        this(opener, Mode.CONTINUATION);
    }

    public Seam(String opener, Mode mode) {
        this(opener, mode, Orthography.english());
    }

    /** A seam that spaces, glues and capitalizes the joint by the given orthography's rules. */
    public Seam(String opener, Mode mode, Orthography orthography) {
        this.opener = opener == null ? "" : opener;
        this.mode = mode;
        this.orthography = Objects.requireNonNull(orthography, "orthography");
        this.restatements = new Restatements(this.opener, orthography);
        this.splice = new SpliceAlignment(this.opener, orthography);
    }

    /** Takes a continuation delta and returns the text to pass on now (empty while the joint is undecided). */
    public String accept(String delta) {
        String text = markers.accept(wholeCharacters(delta));
        if (decided) {
            return passed(text);
        }
        held.append(text);
        pivoted = markers.startsWithMarker();
        if (canDecide()) {
            return passed(decide(true));
        }
        return "";
    }

    /** The continuation ended: returns whatever was still held back, repaired. */
    public String finish() {
        // a stream cut after the first half of a character: that half is no text, and no encoder could write it
        String rest = markers.accept(splitCharacter.isEmpty() ? "" : "\uFFFD") + markers.finish();
        splitCharacter = "";
        if (decided) {
            return passed(rest);
        }
        held.append(rest);
        pivoted = markers.startsWithMarker();
        return passed(decide(false));
    }

    /**
     * The delta, after the first half of a character the previous delta ended with, less the first half of one it ends
     * with: an emoji split across deltas (a server that escapes each half of a surrogate pair in JSON and sends them in
     * two chunks) is never passed on as half a character, which no encoder can write as UTF-8.
     */
    private String wholeCharacters(String delta) {
        String text = splitCharacter + delta;
        splitCharacter = "";
        if (!text.isEmpty() && Character.isHighSurrogate(text.charAt(text.length() - 1))) {
            splitCharacter = text.substring(text.length() - 1);
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }

    private String passed(String text) {
        prose.accept(text);
        return text;
    }

    /**
     * Forgets text held back and not yet passed on, because its source failed: what follows (a local finish) is joined
     * to the opener and to what already passed, as if the held text never came.
     */
    public void abandonHeld() {
        held.setLength(0);
        splitCharacter = "";
        markers.abandonHeld();
    }

    /**
     * Whether the continuation carried the pivot marker, anywhere: the model found the opener wrong and corrects it.
     */
    public boolean pivoted() {
        return markers.found();
    }

    /**
     * Whether the continuation corrected the opener in words without the marker ("Sorry, correction: ...", see
     * {@link ProsePivots}).
     */
    public boolean pivotedInProse() {
        return prose.found();
    }

    /**
     * Whether the continuation ended right after a pivot marker: the model found the opener wrong and then said
     * nothing, so the reply would end on the wrong words.
     */
    public boolean endsWithMarker() {
        return markers.endsWithMarker();
    }

    /** Whether the joint is decided and text now passes straight through. */
    public boolean decided() {
        return decided;
    }

    private boolean canDecide() {
        String text = held.toString();
        if (text.isBlank()) {
            return false;
        }
        if (mode == Mode.SPLICE || mayRestart(text)) {
            // a fresh answer restates the opener in its first sentence: wait for it, or for enough words
            return splice.canAlign(text);
        }
        return !restatements.couldStillEcho(text) && !restatements.couldStillRestate(text);
    }

    /**
     * A literal continuation whose first word is the opener's first word: the server may have ignored the prefill and
     * started the answer over, which only the rest of its first sentence tells.
     */
    private boolean mayRestart(String text) {
        return mode == Mode.LITERAL && splice.mayStartOver(text);
    }

    /** @param lastMayGrow whether the held text's last word may still continue in the next delta */
    private String decide(boolean lastMayGrow) {
        decided = true;
        String text = held.toString();
        held.setLength(0);
        if (text.isBlank()) {
            return ""; // whitespace alone says nothing
        }
        if (pivoted) {
            // the model's own spacing around the marker carries no meaning: one space, the joint decides the rest
            text = " " + text.stripLeading();
        }
        if (!pivoted && restatements.startsClauseOnLastWord(text)) {
            // "Timer is running now." after "... set a timer": the word is the new clause's subject, not an echo
            return joint(ContinuationText.afterOpener(text), true, false);
        }
        int restart = mode == Mode.SPLICE || mayRestart(text) ? splice.cut(text) : -1;
        if (restart >= 0) {
            return joint(ContinuationText.afterOpener(text.substring(restart)), false, true);
        }
        if (mode == Mode.SPLICE) {
            // an answer that does not restate the opener: all of it is new, and starts a sentence of its own
            return joint(ContinuationText.afterOpener(text), true, false);
        }
        String rest = restatements.withoutRestatement(text, lastMayGrow);
        if (rest.length() != text.length()) {
            return joint(ContinuationText.afterOpener(rest), false, true);
        }
        // only a model told the opener restates a cut word whole: a literal continuation is trusted as it is
        return joint(mode == Mode.CONTINUATION ? restatements.completingCutWord(text) : ContinuationText.afterOpener(text),
                false, false);
    }

    /** Spacing and capitalization where the opener and the continuation meet. */
    private String joint(ContinuationText continuation, boolean freshSentence, boolean restated) {
        String text = continuation.text();
        if (continuation.continuesWord()) {
            return text;
        }
        if (opener.isEmpty()) {
            return text.stripLeading(); // a reply does not start with blank space
        }
        if (text.isEmpty()) {
            return text;
        }
        boolean glued = mode != Mode.SPLICE && !pivoted && !restated
                && orthography.completesLastWord(opener, text, mode == Mode.LITERAL);
        text = orthography.spaced(opener, text, glued);
        if (text.isEmpty()) {
            return text;
        }
        return orthography.cased(opener, text, pivoted && !restated || freshSentence, !pivoted && !freshSentence);
    }
}
