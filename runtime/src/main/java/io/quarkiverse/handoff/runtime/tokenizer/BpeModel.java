package io.quarkiverse.handoff.runtime.tokenizer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code BPE} model of {@code tokenizer.json}: turns one pre-tokenized word into ids by applying merges, lowest
 * rank first (leftmost first among equal ranks), exactly as the Hugging Face implementation does.
 * <p>
 * Merges are looked up in a primitive hash map keyed by the pair of ids, so a word of n symbols costs O(n log n); the
 * ids of recent words are kept in a bounded cache.
 */
final class BpeModel {

    /** Words longer than this (in chars) are not cached, as in Hugging Face tokenizers. */
    private static final int MAX_CACHED_LENGTH = 256;
    private static final int CACHE_CAPACITY = 10_000;
    private static final int DIRECT_CHARS = 1024;

    private final Map<String, Integer> vocab;
    private final String[] idToToken;
    private final MergeMap merges;
    private final boolean ignoreMerges;
    private final String continuingSubwordPrefix;
    private final String endOfWordSuffix;
    private final int unkId;
    private final boolean fuseUnk;
    /** The id of each single-char token below {@link #DIRECT_CHARS}, -1 when not in the vocab. */
    private final int[] charIds = new int[DIRECT_CHARS];
    private final ConcurrentHashMap<String, int[]> cache = new ConcurrentHashMap<>();

    private BpeModel(Map<String, Integer> vocab, MergeMap merges, boolean ignoreMerges, String continuingSubwordPrefix,
            String endOfWordSuffix, int unkId, boolean fuseUnk) {
        this.vocab = vocab;
        this.merges = merges;
        this.ignoreMerges = ignoreMerges;
        this.continuingSubwordPrefix = continuingSubwordPrefix;
        this.endOfWordSuffix = endOfWordSuffix;
        this.unkId = unkId;
        this.fuseUnk = fuseUnk;
        int max = -1;
        for (int id : vocab.values()) {
            max = Math.max(max, id);
        }
        this.idToToken = new String[max + 1];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            idToToken[e.getValue()] = e.getKey();
        }
        Arrays.fill(charIds, -1);
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            String token = e.getKey();
            if (token.length() == 1 && token.charAt(0) < DIRECT_CHARS) {
                charIds[token.charAt(0)] = e.getValue();
            }
        }
    }

    static BpeModel parse(JsonNode node, String file) {
        if (node == null || node.isNull()) {
            throw new TokenizerException(file + " has no 'model'");
        }
        JsonNode typeNode = node.get("type");
        String type = typeNode == null ? (node.has("merges") ? "BPE" : "?") : typeNode.asText();
        if (!"BPE".equals(type)) {
            throw new TokenizerException("Unsupported model '" + type + "' in " + file
                    + ": quarkus-handoff supports byte-level BPE models only (not WordPiece, Unigram or WordLevel)");
        }
        if (Json.bool(node, "byte_fallback", false)) {
            throw new TokenizerException("Unsupported BPE option byte_fallback=true in " + file
                    + " (a SentencePiece-style tokenizer): quarkus-handoff supports byte-level BPE tokenizers only");
        }
        JsonNode dropout = node.get("dropout");
        if (dropout != null && !dropout.isNull() && dropout.asDouble() != 0.0) {
            throw new TokenizerException("Unsupported BPE option dropout=" + dropout.asText() + " in " + file
                    + ": BPE dropout makes tokenization random, set it to null");
        }
        JsonNode vocabNode = node.get("vocab");
        if (vocabNode == null || !vocabNode.isObject()) {
            throw new TokenizerException("The BPE model of " + file + " has no 'vocab' object");
        }
        Map<String, Integer> vocab = new HashMap<>(vocabNode.size() * 2);
        for (Map.Entry<String, JsonNode> e : vocabNode.properties()) {
            if (!e.getValue().canConvertToInt() || e.getValue().asInt() < 0) {
                throw new TokenizerException("The BPE vocab of " + file + " maps '" + e.getKey() + "' to "
                        + e.getValue() + ", which is not a token id");
            }
            vocab.put(e.getKey(), e.getValue().asInt());
        }
        String prefix = Json.optionalText(node, "continuing_subword_prefix");
        String suffix = Json.optionalText(node, "end_of_word_suffix");
        JsonNode mergesNode = node.get("merges");
        MergeMap merges = new MergeMap(mergesNode == null ? 16 : mergesNode.size());
        if (mergesNode != null && !mergesNode.isNull()) {
            int rank = 0;
            for (JsonNode merge : mergesNode) {
                String a;
                String b;
                if (merge.isTextual()) { // legacy "a b" form
                    String line = merge.asText();
                    int space = line.indexOf(' ');
                    if (space < 0 || line.indexOf(' ', space + 1) >= 0) {
                        throw new TokenizerException("Merge #" + (rank + 1) + " of " + file + " ('" + line
                                + "') is not two tokens separated by one space");
                    }
                    a = line.substring(0, space);
                    b = line.substring(space + 1);
                } else if (merge.isArray() && merge.size() == 2) {
                    a = merge.get(0).asText();
                    b = merge.get(1).asText();
                } else {
                    throw new TokenizerException("Merge #" + (rank + 1) + " of " + file + " is " + merge
                            + ": expected \"a b\" or [\"a\", \"b\"]");
                }
                Integer idA = vocab.get(a);
                Integer idB = vocab.get(b);
                String joined = a + (prefix != null && b.length() >= prefix.length() ? b.substring(prefix.length()) : b);
                Integer idNew = vocab.get(joined);
                if (idA == null || idB == null || idNew == null) {
                    String missing = idA == null ? a : idB == null ? b : joined;
                    throw new TokenizerException("Merge #" + (rank + 1) + " of " + file + " (" + a + " + " + b
                            + ") uses '" + missing + "', which is not in the vocab");
                }
                merges.put(idA, idB, rank, idNew);
                rank++;
            }
        }
        String unkToken = Json.optionalText(node, "unk_token");
        int unkId = -1;
        if (unkToken != null) {
            Integer id = vocab.get(unkToken);
            if (id == null) {
                throw new TokenizerException("The unk_token '" + unkToken + "' of " + file + " is not in the vocab");
            }
            unkId = id;
        }
        return new BpeModel(vocab, merges, Json.bool(node, "ignore_merges", false), prefix, suffix, unkId,
                Json.bool(node, "fuse_unk", false));
    }

    Map<String, Integer> vocab() {
        return vocab;
    }

    int maxId() {
        return idToToken.length - 1;
    }

    String token(int id) {
        return id >= 0 && id < idToToken.length ? idToToken[id] : null;
    }

    /** Appends the ids of one pre-tokenized word. */
    void tokenize(String word, IntList out) {
        if (word.isEmpty()) {
            return;
        }
        if (ignoreMerges) {
            Integer id = vocab.get(word);
            if (id != null) {
                out.add(id);
                return;
            }
        }
        int[] cached = cache.get(word);
        if (cached == null) {
            cached = mergeWord(word);
            if (word.length() < MAX_CACHED_LENGTH) {
                if (cache.size() >= CACHE_CAPACITY) {
                    cache.clear();
                }
                cache.put(word, cached);
            }
        }
        out.addAll(cached);
    }

    /** Port of {@code BPE::merge_word} followed by {@code Word::merge_all}. */
    private int[] mergeWord(String w) {
        int n = w.length();
        int[] symbols = new int[n];
        int count = 0;
        int pendingUnk = -1; // an unknown run not yet written
        int i = 0;
        while (i < n) {
            int cp = w.codePointAt(i);
            int end = i + Character.charCount(cp);
            int id;
            if (continuingSubwordPrefix == null && endOfWordSuffix == null) {
                if (cp < DIRECT_CHARS) {
                    id = charIds[cp];
                } else {
                    Integer boxed = vocab.get(w.substring(i, end));
                    id = boxed == null ? -1 : boxed;
                }
            } else {
                String s = w.substring(i, end);
                if (i > 0 && continuingSubwordPrefix != null) {
                    s = continuingSubwordPrefix + s;
                }
                if (end == n && endOfWordSuffix != null) {
                    s = s + endOfWordSuffix;
                }
                Integer boxed = vocab.get(s);
                id = boxed == null ? -1 : boxed;
            }
            if (id >= 0) {
                if (pendingUnk >= 0) {
                    symbols[count++] = pendingUnk;
                    pendingUnk = -1;
                }
                symbols[count++] = id;
            } else if (unkId >= 0) {
                if (pendingUnk >= 0 && !fuseUnk) {
                    symbols[count++] = pendingUnk;
                }
                pendingUnk = unkId;
            } // else: no unk token, the character is dropped (as Hugging Face does)
            i = end;
        }
        if (pendingUnk >= 0) {
            symbols[count++] = pendingUnk;
        }
        return mergeAll(symbols, count);
    }

    private int[] mergeAll(int[] c, int n) {
        if (n < 2) {
            return Arrays.copyOf(c, n);
        }
        int[] prev = new int[n];
        int[] next = new int[n];
        boolean[] removed = new boolean[n];
        LongHeap queue = new LongHeap(n);
        for (int k = 0; k < n; k++) {
            prev[k] = k - 1;
            next[k] = k + 1 < n ? k + 1 : -1;
        }
        for (int k = 0; k + 1 < n; k++) {
            long m = merges.get(c[k], c[k + 1]);
            if (m >= 0) {
                queue.push((m & 0xFFFF_FFFF_0000_0000L) | k);
            }
        }
        int remaining = n;
        while (!queue.isEmpty()) {
            long top = queue.pop();
            int pos = (int) top;
            int rank = (int) (top >>> 32);
            if (removed[pos] || next[pos] < 0) {
                continue;
            }
            int right = next[pos];
            long m = merges.get(c[pos], c[right]);
            if (m < 0 || (int) (m >>> 32) != rank) {
                continue; // stale: one of the two symbols changed since this pair was queued
            }
            c[pos] = (int) m;
            removed[right] = true;
            remaining--;
            next[pos] = next[right];
            if (next[right] >= 0) {
                prev[next[right]] = pos;
            }
            if (prev[pos] >= 0) {
                long before = merges.get(c[prev[pos]], c[pos]);
                if (before >= 0) {
                    queue.push((before & 0xFFFF_FFFF_0000_0000L) | prev[pos]);
                }
            }
            if (next[pos] >= 0) {
                long after = merges.get(c[pos], c[next[pos]]);
                if (after >= 0) {
                    queue.push((after & 0xFFFF_FFFF_0000_0000L) | pos);
                }
            }
        }
        int[] result = new int[remaining];
        int r = 0;
        for (int k = 0; k >= 0; k = next[k]) {
            result[r++] = c[k];
        }
        return result;
    }

    /** Open-addressing map from a pair of ids to {@code rank << 32 | newId}; -1 when absent. */
    static final class MergeMap {
        private final long[] keys;
        private final long[] values;
        private final int mask;

        MergeMap(int expected) {
            int capacity = Integer.highestOneBit(Math.max(4, expected * 2 + 1)) * 2;
            keys = new long[capacity];
            values = new long[capacity];
            Arrays.fill(keys, -1L);
            mask = capacity - 1;
        }

        private static long key(int a, int b) {
            return ((long) a << 32) | (b & 0xFFFF_FFFFL);
        }

        private int slot(long key) {
            long h = key * 0x9E37_79B9_7F4A_7C15L;
            return (int) (h ^ (h >>> 29)) & mask;
        }

        /** A pair listed twice keeps its last rank, as Hugging Face does. */
        void put(int a, int b, int rank, int newId) {
            long key = key(a, b);
            int i = slot(key);
            while (keys[i] != -1L && keys[i] != key) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = ((long) rank << 32) | newId;
        }

        long get(int a, int b) {
            long key = key(a, b);
            int i = slot(key);
            while (true) {
                long k = keys[i];
                if (k == key) {
                    return values[i];
                }
                if (k == -1L) {
                    return -1L;
                }
                i = (i + 1) & mask;
            }
        }
    }

    /** A binary min-heap of longs. */
    static final class LongHeap {
        private long[] heap;
        private int size;

        LongHeap(int capacity) {
            heap = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(long v) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heap[parent] <= v) {
                    break;
                }
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = v;
        }

        long pop() {
            long top = heap[0];
            long last = heap[--size];
            int i = 0;
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                if (child + 1 < size && heap[child + 1] < heap[child]) {
                    child++;
                }
                if (last <= heap[child]) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = last;
            return top;
        }
    }
}
