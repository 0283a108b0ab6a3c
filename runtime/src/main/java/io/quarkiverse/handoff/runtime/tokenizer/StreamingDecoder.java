package io.quarkiverse.handoff.runtime.tokenizer;

/**
 * Turns a stream of generated ids into text pieces. Bytes of a character split across tokens (an emoji or a CJK
 * character spelled by several byte tokens) are held back until the character is complete, so a piece never ends
 * with a broken character; invalid bytes become U+FFFD at once. The concatenated pieces, {@link #flush()} included,
 * equal {@link Tokenizer#decode(int[], boolean)} of all the ids.
 * <p>
 * Not thread-safe: use one per generated stream.
 */
public final class StreamingDecoder {

    private final Tokenizer tokenizer;
    private final boolean skipSpecialTokens;
    private final ByteLevel.ByteSink pending = new ByteLevel.ByteSink();
    private final StringBuilder text = new StringBuilder();

    StreamingDecoder(Tokenizer tokenizer, boolean skipSpecialTokens) {
        this.tokenizer = tokenizer;
        this.skipSpecialTokens = skipSpecialTokens;
    }

    /** Adds one id and returns the text it completes, possibly empty. */
    public String push(int id) {
        tokenizer.appendBytes(id, skipSpecialTokens, pending);
        return drain(false);
    }

    /** Adds several ids and returns the text they complete, possibly empty. */
    public String push(int... ids) {
        for (int id : ids) {
            tokenizer.appendBytes(id, skipSpecialTokens, pending);
        }
        return drain(false);
    }

    /** Ends the stream: returns the held-back bytes, an incomplete character becoming U+FFFD. */
    public String flush() {
        return drain(true);
    }

    /** Whether bytes of an incomplete character are held back. */
    public boolean hasPendingBytes() {
        return pending.size() > 0;
    }

    /** Forgets held-back bytes, to start a new stream. */
    public void reset() {
        pending.clear();
    }

    private String drain(boolean flush) {
        if (pending.size() == 0) {
            return "";
        }
        text.setLength(0);
        int consumed = Utf8.decode(pending.array(), pending.size(), flush, text);
        pending.consume(consumed);
        return text.toString();
    }
}
