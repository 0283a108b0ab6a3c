package io.quarkiverse.handoff.runtime.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The {@code added_tokens} of {@code tokenizer.json}, found in the text before pre-tokenization: tokens with
 * {@code normalized=false} (the special tokens, usually) in the raw text, the others in the normalized text. Matching is
 * leftmost-longest, and honours {@code single_word}, {@code lstrip} and {@code rstrip} like Hugging Face tokenizers.
 */
final class AddedVocabulary {

    record AddedToken(int id, String content, boolean special, boolean singleWord, boolean lstrip, boolean rstrip,
            boolean normalized) {
    }

    /** Receives the pieces of a text: an added token's id, or a stretch of text with {@code id == -1}. */
    interface PieceConsumer {
        void accept(String text, int id);
    }

    private final Trie raw;
    private final Trie normalized;

    AddedVocabulary(List<AddedToken> tokens, UnaryOperator<String> normalizer) {
        this.raw = new Trie();
        this.normalized = new Trie();
        for (AddedToken token : tokens) {
            if (token.content().isEmpty()) {
                continue;
            }
            if (token.normalized()) {
                String pattern = normalizer == null ? token.content() : normalizer.apply(token.content());
                normalized.add(pattern, token);
            } else {
                raw.add(token.content(), token);
            }
        }
    }

    boolean hasNormalizedTokens() {
        return !normalized.isEmpty();
    }

    void splitRaw(String text, PieceConsumer out) {
        split(text, raw, out);
    }

    void splitNormalized(String text, PieceConsumer out) {
        split(text, normalized, out);
    }

    /** Port of {@code AddedVocabulary::find_matches}; empty pieces are not reported. */
    private static void split(String sentence, Trie trie, PieceConsumer out) {
        if (sentence.isEmpty()) {
            return;
        }
        if (trie.isEmpty()) {
            out.accept(sentence, -1);
            return;
        }
        int n = sentence.length();
        int startOffset = 0;
        int pos = 0;
        while (pos < n) {
            long match = trie.longestAt(sentence, pos);
            if (match < 0) {
                pos++;
                continue;
            }
            int matchEnd = (int) (match >>> 32);
            AddedToken token = trie.token((int) match);
            int start = pos;
            int stop = matchEnd;
            pos = matchEnd; // the search goes on after the match, whatever happens to it below
            if (token.singleWord()) {
                boolean startSpace = start == 0 || !isWordChar(sentence.codePointBefore(start));
                boolean stopSpace = stop == n || !isWordChar(sentence.codePointAt(stop));
                if (!startSpace || !stopSpace) {
                    continue;
                }
            }
            if (token.lstrip()) {
                int newStart = start;
                while (newStart > 0 && Normalizers.isWhiteSpace(sentence.codePointBefore(newStart))) {
                    newStart -= Character.charCount(sentence.codePointBefore(newStart));
                }
                start = Math.max(newStart, startOffset);
            }
            if (token.rstrip()) {
                while (stop < n && Normalizers.isWhiteSpace(sentence.codePointAt(stop))) {
                    stop += Character.charCount(sentence.codePointAt(stop));
                }
            }
            if (startOffset < start) {
                out.accept(sentence.substring(startOffset, start), -1);
            }
            out.accept(null, token.id());
            startOffset = stop;
        }
        if (startOffset < n) {
            out.accept(sentence.substring(startOffset), -1);
        }
    }

    /** Rust regex's Unicode {@code \w}: Alphabetic, marks, decimal digits, connector punctuation, join controls. */
    static boolean isWordChar(int cp) {
        if (Character.isAlphabetic(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
                || type == Character.COMBINING_SPACING_MARK || type == Character.DECIMAL_DIGIT_NUMBER
                || type == Character.CONNECTOR_PUNCTUATION || cp == 0x200C || cp == 0x200D;
    }

    /** A char trie of token contents. */
    private static final class Trie {
        private final Node root = new Node();
        private final List<AddedToken> tokens = new ArrayList<>();

        private static final class Node {
            Map<Character, Node> children;
            int token = -1;
        }

        void add(String content, AddedToken token) {
            Node node = root;
            for (int i = 0; i < content.length(); i++) {
                if (node.children == null) {
                    node.children = new HashMap<>(4);
                }
                node = node.children.computeIfAbsent(content.charAt(i), c -> new Node());
            }
            if (node.token < 0) { // the same content twice: the first one listed wins
                node.token = tokens.size();
                tokens.add(token);
            }
        }

        boolean isEmpty() {
            return tokens.isEmpty();
        }

        AddedToken token(int index) {
            return tokens.get(index);
        }

        /** {@code end << 32 | tokenIndex} of the longest token starting at {@code pos}, or -1. */
        long longestAt(String s, int pos) {
            Node node = root;
            long best = -1;
            for (int i = pos; i < s.length() && node.children != null; i++) {
                node = node.children.get(s.charAt(i));
                if (node == null) {
                    break;
                }
                if (node.token >= 0) {
                    best = ((long) (i + 1) << 32) | node.token;
                }
            }
            return best;
        }
    }
}
