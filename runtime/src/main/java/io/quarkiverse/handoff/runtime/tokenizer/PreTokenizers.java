package io.quarkiverse.handoff.runtime.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** The {@code pre_tokenizer} section of {@code tokenizer.json}: splits a text piece into the words BPE sees. */
final class PreTokenizers {

    /** The pattern GPT-2 splits words with, used by {@code ByteLevel} when {@code use_regex} is true. */
    static final String GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    private static final Pattern GPT2 = OnigRegex.compile(GPT2_PATTERN, "the GPT-2 ByteLevel pattern");

    /** One step: splits a piece and appends the non-empty results to {@code out}. */
    interface PreTokenizer {
        void split(String piece, List<String> out);
    }

    private PreTokenizers() {
    }

    static PreTokenizer parse(JsonNode node, String file) {
        if (node == null || node.isNull()) {
            return (piece, out) -> out.add(piece);
        }
        String type = Json.type(node, "pre_tokenizer", file);
        switch (type) {
            case "ByteLevel":
                return byteLevel(Json.bool(node, "add_prefix_space", true), Json.bool(node, "use_regex", true));
            case "Split": {
                Pattern pattern = Json.pattern(node.get("pattern"), "pre_tokenizer Split", file);
                Behavior behavior = Behavior.parse(Json.optionalText(node, "behavior"), file);
                boolean invert = Json.bool(node, "invert", false);
                return (piece, out) -> split(piece, matches(pattern, piece), behavior, invert, out);
            }
            case "Digits": {
                boolean individual = Json.bool(node, "individual_digits", false);
                Behavior behavior = individual ? Behavior.ISOLATED : Behavior.CONTIGUOUS;
                return (piece, out) -> split(piece, numericRuns(piece, individual), behavior, false, out);
            }
            case "Sequence": {
                JsonNode items = node.get("pretokenizers");
                if (items == null || !items.isArray()) {
                    throw new TokenizerException("The pre_tokenizer Sequence of " + file + " has no 'pretokenizers' list");
                }
                List<PreTokenizer> steps = new ArrayList<>();
                for (JsonNode item : items) {
                    steps.add(parse(item, file));
                }
                return (piece, out) -> {
                    List<String> current = new ArrayList<>(4);
                    current.add(piece);
                    for (PreTokenizer step : steps) {
                        List<String> next = new ArrayList<>(current.size() * 2);
                        for (String p : current) {
                            step.split(p, next);
                        }
                        current = next;
                    }
                    out.addAll(current);
                };
            }
            default:
                throw new TokenizerException("Unsupported pre_tokenizer '" + type + "' in " + file
                        + ": quarkus-handoff supports byte-level BPE tokenizers (ByteLevel, Split, Digits, Sequence)");
        }
    }

    static PreTokenizer byteLevel(boolean addPrefixSpace, boolean useRegex) {
        return (piece, out) -> {
            String s = addPrefixSpace && !piece.startsWith(" ") ? " " + piece : piece;
            if (s.isEmpty()) {
                return;
            }
            if (!useRegex) {
                out.add(ByteLevel.encode(s));
                return;
            }
            Matcher m = GPT2.matcher(s);
            int prev = 0;
            while (m.find()) {
                if (m.start() == m.end()) {
                    continue;
                }
                if (m.start() > prev) {
                    out.add(ByteLevel.encode(s.substring(prev, m.start())));
                }
                out.add(ByteLevel.encode(s.substring(m.start(), m.end())));
                prev = m.end();
            }
            if (prev < s.length()) {
                out.add(ByteLevel.encode(s.substring(prev)));
            }
        };
    }

    /** How a Split pre-tokenizer treats the matches of its pattern. */
    enum Behavior {
        REMOVED,
        ISOLATED,
        MERGED_WITH_PREVIOUS,
        MERGED_WITH_NEXT,
        CONTIGUOUS;

        static Behavior parse(String name, String file) {
            if (name == null) {
                throw new TokenizerException("The pre_tokenizer Split of " + file + " has no 'behavior'");
            }
            return switch (name) {
                case "Removed" -> REMOVED;
                case "Isolated" -> ISOLATED;
                case "MergedWithPrevious" -> MERGED_WITH_PREVIOUS;
                case "MergedWithNext" -> MERGED_WITH_NEXT;
                case "Contiguous" -> CONTIGUOUS;
                default -> throw new TokenizerException("Unsupported Split behavior '" + name + "' in " + file);
            };
        }
    }

    /**
     * The pieces of {@code s} as {start, end, isMatch} triples covering all of it, as the Hugging Face pattern
     * matching does (empty matches are dropped: they only ever produce empty pieces).
     */
    private static List<int[]> matches(Pattern pattern, String s) {
        List<int[]> splits = new ArrayList<>();
        Matcher m = pattern.matcher(s);
        int prev = 0;
        while (m.find()) {
            if (m.start() == m.end()) {
                continue;
            }
            if (m.start() > prev) {
                splits.add(new int[] { prev, m.start(), 0 });
            }
            splits.add(new int[] { m.start(), m.end(), 1 });
            prev = m.end();
        }
        if (prev < s.length()) {
            splits.add(new int[] { prev, s.length(), 0 });
        }
        return splits;
    }

    /** Each numeric character (Rust's {@code char::is_numeric}) is a match. */
    private static List<int[]> numericRuns(String s, boolean individual) {
        List<int[]> splits = new ArrayList<>();
        int prev = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
                    || type == Character.OTHER_NUMBER) {
                if (i > prev) {
                    splits.add(new int[] { prev, i, 0 });
                }
                splits.add(new int[] { i, i + len, 1 });
                prev = i + len;
            }
            i += len;
        }
        if (prev < s.length()) {
            splits.add(new int[] { prev, s.length(), 0 });
        }
        return splits;
    }

    /** Port of {@code NormalizedString::split}: applies the behavior, then drops removed and empty pieces. */
    private static void split(String s, List<int[]> splits, Behavior behavior, boolean invert, List<String> out) {
        if (invert) {
            for (int[] split : splits) {
                split[2] = 1 - split[2];
            }
        }
        List<int[]> pieces; // {start, end, remove}
        switch (behavior) {
            case ISOLATED -> {
                pieces = splits;
                for (int[] p : pieces) {
                    p[2] = 0;
                }
            }
            case REMOVED -> pieces = splits;
            case CONTIGUOUS -> {
                pieces = new ArrayList<>(splits.size());
                boolean previousMatch = false;
                for (int[] split : splits) {
                    boolean match = split[2] == 1;
                    if (match == previousMatch && !pieces.isEmpty()) {
                        pieces.get(pieces.size() - 1)[1] = split[1];
                    } else {
                        pieces.add(new int[] { split[0], split[1], 0 });
                    }
                    previousMatch = match;
                }
            }
            case MERGED_WITH_PREVIOUS -> {
                pieces = new ArrayList<>(splits.size());
                boolean previousMatch = false;
                for (int[] split : splits) {
                    boolean match = split[2] == 1;
                    if (match && !previousMatch && !pieces.isEmpty()) {
                        pieces.get(pieces.size() - 1)[1] = split[1];
                    } else {
                        pieces.add(new int[] { split[0], split[1], 0 });
                    }
                    previousMatch = match;
                }
            }
            case MERGED_WITH_NEXT -> {
                List<int[]> reversed = new ArrayList<>(splits.size());
                boolean previousMatch = false;
                for (int k = splits.size() - 1; k >= 0; k--) {
                    int[] split = splits.get(k);
                    boolean match = split[2] == 1;
                    if (match && !previousMatch && !reversed.isEmpty()) {
                        reversed.get(reversed.size() - 1)[0] = split[0];
                    } else {
                        reversed.add(new int[] { split[0], split[1], 0 });
                    }
                    previousMatch = match;
                }
                pieces = new ArrayList<>(reversed.size());
                for (int k = reversed.size() - 1; k >= 0; k--) {
                    pieces.add(reversed.get(k));
                }
            }
            default -> throw new IllegalStateException(behavior.name());
        }
        for (int[] p : pieces) {
            if (p[2] == 0 && p[1] > p[0]) {
                out.add(s.substring(p[0], p[1]));
            }
        }
    }
}
