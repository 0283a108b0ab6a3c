package io.quarkiverse.handoff.runtime.tokenizer;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** The {@code normalizer} section of {@code tokenizer.json}. */
final class Normalizers {

    private Normalizers() {
    }

    /** Builds the normalizer, {@code null} for none. */
    static UnaryOperator<String> parse(JsonNode node, String file) {
        if (node == null || node.isNull()) {
            return null;
        }
        String type = Json.type(node, "normalizer", file);
        switch (type) {
            case "NFC":
                return s -> Normalizer.normalize(s, Normalizer.Form.NFC);
            case "NFD":
                return s -> Normalizer.normalize(s, Normalizer.Form.NFD);
            case "NFKC":
                return s -> Normalizer.normalize(s, Normalizer.Form.NFKC);
            case "NFKD":
                return s -> Normalizer.normalize(s, Normalizer.Form.NFKD);
            case "Lowercase":
                return s -> s.toLowerCase(Locale.ROOT);
            case "Strip": {
                boolean left = Json.bool(node, "strip_left", true);
                boolean right = Json.bool(node, "strip_right", true);
                return s -> strip(s, left, right);
            }
            case "Prepend": {
                String prepend = Json.text(node, "prepend", "normalizer Prepend", file);
                return s -> s.isEmpty() ? s : prepend + s;
            }
            case "Replace": {
                String content = Json.text(node, "content", "normalizer Replace", file);
                Pattern pattern = Json.pattern(node.get("pattern"), "normalizer Replace", file);
                String replacement = Matcher.quoteReplacement(content);
                return s -> pattern.matcher(s).replaceAll(replacement);
            }
            case "Sequence": {
                JsonNode items = node.get("normalizers");
                if (items == null || !items.isArray()) {
                    throw new TokenizerException("The normalizer Sequence of " + file + " has no 'normalizers' list");
                }
                List<UnaryOperator<String>> steps = new ArrayList<>();
                for (JsonNode item : items) {
                    UnaryOperator<String> step = parse(item, file);
                    if (step != null) {
                        steps.add(step);
                    }
                }
                return s -> {
                    for (UnaryOperator<String> step : steps) {
                        s = step.apply(s);
                    }
                    return s;
                };
            }
            default:
                throw new TokenizerException("Unsupported normalizer '" + type + "' in " + file
                        + ": quarkus-handoff supports NFC, NFD, NFKC, NFKD, Lowercase, Strip, Prepend, Replace and Sequence");
        }
    }

    private static String strip(String s, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        if (left) {
            while (start < end) {
                int cp = s.codePointAt(start);
                if (!isWhiteSpace(cp)) {
                    break;
                }
                start += Character.charCount(cp);
            }
        }
        if (right) {
            while (end > start) {
                int cp = s.codePointBefore(end);
                if (!isWhiteSpace(cp)) {
                    break;
                }
                end -= Character.charCount(cp);
            }
        }
        return s.substring(start, end);
    }

    /** Unicode White_Space, as Rust's {@code char::is_whitespace}. */
    static boolean isWhiteSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F
                || cp == 0x3000;
    }
}
