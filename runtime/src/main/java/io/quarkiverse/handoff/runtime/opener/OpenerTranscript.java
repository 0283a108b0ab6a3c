package io.quarkiverse.handoff.runtime.opener;

import java.util.ArrayList;
import java.util.List;

import io.quarkiverse.handoff.OpenerWord;

/**
 * Keeps every word and token of one opener, and where it stopped, for callers that want the whole opener once it is
 * written (a command line tool, a benchmark, a test) rather than word by word.
 */
public final class OpenerTranscript implements OpenerEngine.OpenerListener {

    private final List<OpenerWord> words = new ArrayList<>();
    private final List<Integer> tokens = new ArrayList<>();
    private OpenerStop stop;

    @Override
    public void onWord(OpenerWord word) {
        words.add(word);
    }

    @Override
    public void onToken(int token) {
        tokens.add(token);
    }

    @Override
    public void onStop(OpenerStop stop) {
        this.stop = stop;
    }

    public List<OpenerWord> words() {
        return words;
    }

    public List<Integer> tokens() {
        return tokens;
    }

    /** Where and why the opener stopped. */
    public OpenerStop stop() {
        return stop;
    }
}
