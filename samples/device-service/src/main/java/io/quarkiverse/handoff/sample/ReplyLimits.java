package io.quarkiverse.handoff.sample;

import java.util.Arrays;
import java.util.List;

import io.quarkiverse.handoff.runtime.tokenizer.Tokenizer;

/**
 * A chat completion's {@code max_tokens} and {@code stop} applied to the stitched reply as it streams, the opener's
 * words included: the text given to {@link #accept} is what the handoff wrote, the text returned is what the client
 * gets. The reply ends before the first stop sequence (which is not sent), or once it holds {@code max_tokens} tokens
 * as the opener model's tokenizer counts them; {@link #finishReason()} then says which, {@code stop} or
 * {@code length}.
 * <p>
 * A stop sequence can span two pieces (the opener's last word and the cloud's first): the end of what was written
 * that could be the start of a stop sequence is held back until the next piece says whether it is.
 */
final class ReplyLimits {

    static final String STOP = "stop";
    static final String LENGTH = "length";

    private final Tokenizer tokenizer;
    private final Integer maxTokens;
    private final List<String> stops;
    private final int longestStop;
    private final StringBuilder written = new StringBuilder();
    /** How many characters of {@link #written} the client got. */
    private int sent;
    private String finishReason;

    /**
     * @param tokenizer the opener model's tokenizer, which counts the reply's tokens; null when there is no opener
     *        model: the reply is then neither counted nor cut by length (the cloud still gets the limit)
     * @param maxTokens the most tokens the reply may have, or null
     * @param stops the stop sequences, none empty
     */
    ReplyLimits(Tokenizer tokenizer, Integer maxTokens, List<String> stops) {
        this.tokenizer = tokenizer;
        this.maxTokens = tokenizer == null ? null : maxTokens;
        this.stops = List.copyOf(stops);
        this.longestStop = stops.stream().mapToInt(String::length).max().orElse(0);
    }

    /** The part of the reply the client gets now: empty while held back or once the reply has ended. */
    String accept(String piece) {
        if (finishReason != null) {
            return "";
        }
        written.append(piece);
        int end = written.length();
        String reason = null;
        int stopAt = firstStop();
        if (stopAt >= 0) {
            end = stopAt;
            reason = STOP;
        } else {
            end -= heldBack();
        }
        return send(end, reason);
    }

    /** The handoff's reply ended: what was held back, if the length allows. */
    String finish() {
        if (finishReason != null) {
            return "";
        }
        return send(written.length(), STOP);
    }

    /** {@code stop} or {@code length} once the reply ended, else null. */
    String finishReason() {
        return finishReason;
    }

    /** Whether the reply ended before the handoff did. */
    boolean ended() {
        return finishReason != null;
    }

    /** The reply as the client got it. */
    String text() {
        return written.substring(0, sent);
    }

    /** The tokens of the reply the client got, or null without a tokenizer. */
    Integer tokens() {
        return tokenizer == null ? null : tokenizer.encode(text()).length;
    }

    private String send(int end, String reason) {
        if (maxTokens != null && tokenizer.encode(written.substring(0, end)).length > maxTokens) {
            end = withinTokens(end);
            reason = LENGTH;
        }
        String out = written.substring(sent, end);
        sent = end;
        finishReason = reason;
        return out;
    }

    /** Where the first stop sequence starts in what was written (only where it may start after what was sent). */
    private int firstStop() {
        int from = Math.max(0, sent - longestStop + 1);
        int first = -1;
        for (String stop : stops) {
            int at = written.indexOf(stop, from);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /** How many characters at the end of what was written may be the start of a stop sequence. */
    private int heldBack() {
        for (int length = Math.min(longestStop - 1, written.length() - sent); length > 0; length--) {
            String tail = written.substring(written.length() - length);
            if (stops.stream().anyMatch(stop -> stop.startsWith(tail))) {
                return length;
            }
        }
        return 0;
    }

    /**
     * The end of the longest reply within {@code maxTokens}, at most {@code end}: the text of its first
     * {@code maxTokens} tokens when that is where the reply's text goes, else the longest prefix that counts no more.
     */
    private int withinTokens(int end) {
        String candidate = written.substring(0, end);
        String firstTokens = tokenizer.decode(Arrays.copyOf(tokenizer.encode(candidate), maxTokens));
        if (firstTokens.length() >= sent && candidate.startsWith(firstTokens) && fits(firstTokens.length())) {
            return firstTokens.length();
        }
        // a token that ends inside a character (byte-level pieces): search the prefixes instead
        int low = sent;
        int high = end;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (fits(middle)) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return whole(low);
    }

    /** An end that does not split a character in two. */
    private int whole(int end) {
        return end > 0 && Character.isHighSurrogate(written.charAt(end - 1)) ? end - 1 : end;
    }

    private boolean fits(int end) {
        return tokenizer.encode(written.substring(0, whole(end))).length <= maxTokens;
    }
}
