package io.quarkiverse.handoff.runtime.tokenizer;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Translates the Oniguruma (Ruby syntax) regular expressions of {@code tokenizer.json} files to
 * {@link java.util.regex.Pattern}s with the same matches on Unicode text.
 * <p>
 * Both engines are backtracking with leftmost-first alternation, so lookarounds ({@code \s+(?!\S)}), possessive and
 * lazy quantifiers carry over as they are. What differs is the meaning of some escapes and flags, rewritten here:
 * <ul>
 * <li>{@code \s \S} are Unicode White_Space in Oniguruma (Java: ASCII only) and become {@code \p{IsWhite_Space}};</li>
 * <li>{@code \d \w} (and negations) are Unicode classes (Decimal_Number; Letter, Mark, Decimal_Number,
 * Connector_Punctuation); {@code \h} is a hex digit (Java: horizontal space);</li>
 * <li>{@code \p{...}} long category names, POSIX brackets {@code [:alpha:]} and script names map to Java names;</li>
 * <li>{@code (?i)} folds case by Unicode rules ({@code (?iu)} in Java, so {@code 'ſ} matches {@code 's}),
 * {@code (?m)} is Ruby's dot-all ({@code (?s)} in Java), and {@code ^ $} always match at line breaks;</li>
 * <li>{@code {,n}} means {@code {0,n}}, and a brace that starts no quantifier is a literal.</li>
 * </ul>
 * Constructs Java cannot express (such as {@code \K}, absent operators, callouts) are refused with a
 * {@link TokenizerException}.
 */
final class OnigRegex {

    private static final String WORD = "\\p{L}\\p{M}\\p{Nd}\\p{Pc}";
    private static final String HEX = "0-9a-fA-F";

    private static final Map<String, String> CATEGORIES = Map.ofEntries(
            Map.entry("letter", "L"), Map.entry("casedletter", "LC"), Map.entry("uppercaseletter", "Lu"),
            Map.entry("lowercaseletter", "Ll"), Map.entry("titlecaseletter", "Lt"), Map.entry("modifierletter", "Lm"),
            Map.entry("otherletter", "Lo"), Map.entry("mark", "M"), Map.entry("combiningmark", "M"),
            Map.entry("nonspacingmark", "Mn"), Map.entry("spacingmark", "Mc"), Map.entry("enclosingmark", "Me"),
            Map.entry("number", "N"), Map.entry("decimalnumber", "Nd"), Map.entry("letternumber", "Nl"),
            Map.entry("othernumber", "No"), Map.entry("punctuation", "P"), Map.entry("connectorpunctuation", "Pc"),
            Map.entry("dashpunctuation", "Pd"), Map.entry("openpunctuation", "Ps"), Map.entry("closepunctuation", "Pe"),
            Map.entry("initialpunctuation", "Pi"), Map.entry("finalpunctuation", "Pf"),
            Map.entry("otherpunctuation", "Po"), Map.entry("symbol", "S"), Map.entry("mathsymbol", "Sm"),
            Map.entry("currencysymbol", "Sc"), Map.entry("modifiersymbol", "Sk"), Map.entry("othersymbol", "So"),
            Map.entry("separator", "Z"), Map.entry("spaceseparator", "Zs"), Map.entry("lineseparator", "Zl"),
            Map.entry("paragraphseparator", "Zp"), Map.entry("other", "C"), Map.entry("control", "Cc"),
            Map.entry("format", "Cf"), Map.entry("surrogate", "Cs"), Map.entry("privateuse", "Co"),
            Map.entry("unassigned", "Cn"));

    /** Class contents (usable inside brackets) of binary properties and POSIX classes, Unicode flavour. */
    private static final Map<String, String> PROPERTIES = Map.ofEntries(
            Map.entry("alpha", "\\p{IsAlphabetic}"), Map.entry("alphabetic", "\\p{IsAlphabetic}"),
            Map.entry("space", "\\p{IsWhite_Space}"), Map.entry("whitespace", "\\p{IsWhite_Space}"),
            Map.entry("digit", "\\p{Nd}"), Map.entry("upper", "\\p{IsUppercase}"),
            Map.entry("uppercase", "\\p{IsUppercase}"), Map.entry("lower", "\\p{IsLowercase}"),
            Map.entry("lowercase", "\\p{IsLowercase}"), Map.entry("alnum", "\\p{IsAlphabetic}\\p{Nd}"),
            Map.entry("punct", "\\p{P}"), Map.entry("cntrl", "\\p{Cc}"), Map.entry("word", WORD),
            Map.entry("xdigit", HEX), Map.entry("blank", "\\p{Zs}\\t"), Map.entry("any", "\\x{0}-\\x{10FFFF}"),
            Map.entry("ascii", "\\x{0}-\\x{7F}"));

    private OnigRegex() {
    }

    /**
     * Compiles an Oniguruma pattern.
     *
     * @param where the file and component the pattern comes from, for error messages
     */
    static Pattern compile(String pattern, String where) {
        String java = translate(pattern, where);
        try {
            return Pattern.compile(java, Pattern.MULTILINE | Pattern.UNIX_LINES);
        } catch (PatternSyntaxException e) {
            throw new TokenizerException("The regular expression " + quote(pattern) + " of " + where
                    + " cannot be translated to a Java regular expression: " + e.getDescription(), e);
        }
    }

    static String translate(String p, String where) {
        StringBuilder out = new StringBuilder(p.length() + 32);
        int depth = 0; // character class nesting
        int n = p.length();
        int i = 0;
        while (i < n) {
            char c = p.charAt(i);
            if (c == '\\') {
                if (i + 1 >= n) {
                    throw unsupported(p, where, "a trailing backslash");
                }
                char d = p.charAt(i + 1);
                boolean inClass = depth > 0;
                switch (d) {
                    case 's' -> out.append("\\p{IsWhite_Space}");
                    case 'S' -> out.append("\\P{IsWhite_Space}");
                    case 'd' -> out.append("\\p{Nd}");
                    case 'D' -> out.append("\\P{Nd}");
                    case 'w' -> out.append(inClass ? WORD : "[" + WORD + "]");
                    case 'W' -> out.append("[^" + WORD + "]");
                    case 'h' -> out.append(inClass ? HEX : "[" + HEX + "]");
                    case 'H' -> out.append("[^" + HEX + "]");
                    case 'p', 'P' -> {
                        i = property(p, i, d == 'P', inClass, out, where);
                        continue;
                    }
                    case 'K', 'y', 'Y', 'O', 'g' -> throw unsupported(p, where, "\\" + d);
                    case 'x' -> {
                        if (i + 2 < n && p.charAt(i + 2) == '{') {
                            int close = p.indexOf('}', i + 3);
                            if (close < 0) {
                                throw unsupported(p, where, "an unterminated \\x{...}");
                            }
                            out.append(p, i, close + 1);
                            i = close + 1;
                        } else {
                            out.append(p, i, Math.min(n, i + 4));
                            i = Math.min(n, i + 4);
                        }
                        continue;
                    }
                    default -> out.append(c).append(d);
                }
                i += 2;
            } else if (c == '[') {
                if (depth > 0 && p.startsWith("[:", i)) {
                    int close = p.indexOf(":]", i + 2);
                    if (close > 0) {
                        String name = p.substring(i + 2, close);
                        boolean negated = name.startsWith("^");
                        String content = PROPERTIES.get(normalize(negated ? name.substring(1) : name));
                        if (content == null) {
                            throw unsupported(p, where, "the POSIX bracket [:" + name + ":]");
                        }
                        out.append(negated ? "[^" + content + "]" : content);
                        i = close + 2;
                        continue;
                    }
                }
                depth++;
                out.append('[');
                i++;
                if (i < n && p.charAt(i) == '^') {
                    out.append('^');
                    i++;
                }
                if (i < n && p.charAt(i) == ']') { // a leading ']' is a literal in Oniguruma
                    out.append("\\]");
                    i++;
                }
            } else if (c == ']' && depth > 0) {
                depth--;
                out.append(']');
                i++;
            } else if (depth == 0 && c == '(' && i + 1 < n && p.charAt(i + 1) == '?') {
                i = group(p, i, out);
            } else if (depth == 0 && c == '{') {
                i = brace(p, i, out);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** {@code (?imx-imx)} and {@code (?imx-imx:...)}: Oniguruma's i folds Unicode case, its m is Java's s. */
    private static int group(String p, int i, StringBuilder out) {
        int j = i + 2;
        StringBuilder flags = new StringBuilder();
        while (j < p.length() && "imx-".indexOf(p.charAt(j)) >= 0) {
            flags.append(p.charAt(j));
            j++;
        }
        if (flags.length() == 0 || j >= p.length() || (p.charAt(j) != ':' && p.charAt(j) != ')')) {
            out.append("(?");
            return i + 2;
        }
        StringBuilder java = new StringBuilder();
        for (int k = 0; k < flags.length(); k++) {
            char f = flags.charAt(k);
            switch (f) {
                case 'i' -> java.append("iu");
                case 'm' -> java.append('s');
                default -> java.append(f);
            }
        }
        out.append("(?").append(java).append(p.charAt(j));
        return j + 1;
    }

    /** A brace outside a class: a quantifier ({@code {,n}} becomes {@code {0,n}}) or a literal. */
    private static int brace(String p, int i, StringBuilder out) {
        int close = p.indexOf('}', i);
        if (close > 0) {
            String body = p.substring(i + 1, close);
            if (body.matches("\\d+(,\\d*)?")) {
                out.append(p, i, close + 1);
                return close + 1;
            }
            if (body.matches(",\\d+")) {
                out.append("{0").append(body).append('}');
                return close + 1;
            }
        }
        out.append("\\{");
        return i + 1;
    }

    private static int property(String p, int i, boolean negated, boolean inClass, StringBuilder out, String where) {
        int n = p.length();
        String name;
        int next;
        if (i + 2 < n && p.charAt(i + 2) == '{') {
            int close = p.indexOf('}', i + 3);
            if (close < 0) {
                throw unsupported(p, where, "an unterminated \\p{...}");
            }
            name = p.substring(i + 3, close);
            next = close + 1;
        } else if (i + 2 < n) {
            name = String.valueOf(p.charAt(i + 2));
            next = i + 3;
        } else {
            throw unsupported(p, where, "a \\p without a property name");
        }
        if (name.startsWith("^")) {
            negated = !negated;
            name = name.substring(1);
        }
        String key = normalize(name);
        String category = null;
        if (key.length() <= 2 && !key.isEmpty() && "lmnpszc".indexOf(key.charAt(0)) >= 0
                && (key.length() == 1 || Character.isLetter(key.charAt(1)))) {
            category = key.length() == 1 ? key.toUpperCase(Locale.ROOT)
                    : Character.toUpperCase(key.charAt(0)) + key.substring(1);
            if (category.equals("LC") || category.equals("Lc")) {
                category = "LC";
            }
        } else if (key.equals("l&")) {
            category = "LC";
        } else {
            category = CATEGORIES.get(key);
        }
        if (category != null) {
            out.append(negated ? "\\P{" : "\\p{").append(category).append('}');
            return next;
        }
        String content = PROPERTIES.get(key);
        if (content != null) {
            if (!negated && inClass) {
                out.append(content);
            } else {
                out.append(negated ? "[^" : "[").append(content).append(']');
            }
            return next;
        }
        // A script (Han, Hiragana, Latin, ...): Java spells it with the Is prefix.
        try {
            Character.UnicodeScript.forName(name.replace(' ', '_'));
        } catch (IllegalArgumentException e) {
            throw unsupported(p, where, "the property \\p{" + name + "}");
        }
        out.append(negated ? "\\P{Is" : "\\p{Is").append(name.replace(' ', '_')).append('}');
        return next;
    }

    private static String normalize(String name) {
        return name.replace(" ", "").replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    }

    private static TokenizerException unsupported(String pattern, String where, String what) {
        return new TokenizerException("The regular expression " + quote(pattern) + " of " + where + " uses " + what
                + ", which has no java.util.regex equivalent here");
    }

    private static String quote(String pattern) {
        return "'" + pattern + "'";
    }
}
