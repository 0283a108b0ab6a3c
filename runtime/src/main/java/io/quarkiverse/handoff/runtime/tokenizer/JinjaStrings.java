package io.quarkiverse.handoff.runtime.tokenizer;

import java.util.ArrayList;
import java.util.List;

/** Just enough of Jinja to read the literal texts of a chat template. */
final class JinjaStrings {

    private static final String SYSTEM_OPEN = "<|im_start|>system\n";
    private static final String IM_END = "<|im_end|>";

    private JinjaStrings() {
    }

    /**
     * The default system message of a ChatML template: the text between {@code <|im_start|>system\n} and
     * {@code <|im_end|>} within one string literal (or one stretch of template text), as in Qwen2's
     * {@code '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n'}. Null when there is none.
     */
    static String chatMlDefaultSystem(String template) {
        for (String text : literals(template)) {
            int open = text.indexOf(SYSTEM_OPEN);
            while (open >= 0) {
                int close = text.indexOf(IM_END, open + SYSTEM_OPEN.length());
                if (close >= 0) {
                    return text.substring(open + SYSTEM_OPEN.length(), close);
                }
                open = text.indexOf(SYSTEM_OPEN, open + 1);
            }
        }
        return null;
    }

    /** The template's raw text stretches and the (unescaped) string literals of its tags, in order. */
    static List<String> literals(String t) {
        List<String> out = new ArrayList<>();
        int n = t.length();
        int i = 0;
        StringBuilder raw = new StringBuilder();
        while (i < n) {
            if (t.startsWith("{#", i)) {
                int end = t.indexOf("#}", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (t.startsWith("{{", i) || t.startsWith("{%", i)) {
                if (raw.length() > 0) {
                    out.add(raw.toString());
                    raw.setLength(0);
                }
                String close = t.startsWith("{{", i) ? "}}" : "%}";
                i += 2;
                while (i < n && !t.startsWith(close, i)) {
                    char c = t.charAt(i);
                    if (c == '\'' || c == '"') {
                        StringBuilder lit = new StringBuilder();
                        i = literal(t, i, lit);
                        out.add(lit.toString());
                    } else {
                        i++;
                    }
                }
                i += 2;
            } else {
                raw.append(t.charAt(i));
                i++;
            }
        }
        if (raw.length() > 0) {
            out.add(raw.toString());
        }
        return out;
    }

    /** Reads the string literal opening at {@code i}; returns the index after it. Python escapes are decoded. */
    private static int literal(String t, int i, StringBuilder out) {
        char quote = t.charAt(i);
        int n = t.length();
        i++;
        while (i < n) {
            char c = t.charAt(i);
            if (c == quote) {
                return i + 1;
            }
            if (c != '\\' || i + 1 >= n) {
                out.append(c);
                i++;
                continue;
            }
            char e = t.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '\\' -> out.append('\\');
                case '\'' -> out.append('\'');
                case '"' -> out.append('"');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000B');
                case '\n' -> {
                    // a backslash-newline continues the line
                }
                case 'x', 'u', 'U' -> {
                    int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + len <= n && t.substring(i, i + len).matches("[0-9a-fA-F]+")) {
                        out.appendCodePoint(Integer.parseInt(t.substring(i, i + len), 16));
                        i += len;
                    } else {
                        out.append('\\').append(e);
                    }
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int end = i - 1;
                        while (end < n && end < i + 2 && t.charAt(end) >= '0' && t.charAt(end) <= '7') {
                            end++;
                        }
                        out.append((char) Integer.parseInt(t.substring(i - 1, end), 8));
                        i = end;
                    } else {
                        out.append('\\').append(e);
                    }
                }
            }
        }
        return n;
    }

    /** Jinja's {@code trim} filter: Python's {@code str.strip()}. */
    static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isPythonSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isPythonSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Python's {@code str.isspace()} for one char. */
    static boolean isPythonSpace(char c) {
        return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F
                || c == 0x3000;
    }
}
