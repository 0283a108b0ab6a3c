package io.quarkiverse.handoff.runtime.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class OnigRegexTest {

    private static final String QWEN2 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
            + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private static List<String> split(String pattern, String text) {
        Matcher m = OnigRegex.compile(pattern, "test").matcher(text);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    @Test
    void whitespaceIsUnicodeWhiteSpace() {
        assertThat(split("\\s+", "a\u00a0\u3000b\u2003c")).containsExactly("\u00a0\u3000", "\u2003");
        assertThat(split("[^\\s]+", "a\u00a0b")).containsExactly("a", "b");
        assertThat(split("\\S+", "x\u2028y")).containsExactly("x", "y");
    }

    @Test
    void qwen2PatternSplitsLikeTheReference() {
        assertThat(split(QWEN2, "I'M here  \n\nnow 123 😀!")).containsExactly("I", "'M", " here", "  \n\n", "now",
                " ", "1", "2", "3", " 😀!");
        // (?i:...) folds by Unicode rules, like Oniguruma: the long s matches 's
        assertThat(split(QWEN2, "'ſ")).containsExactly("'ſ");
    }

    @Test
    void translatesOnigurumaOnlySyntax() {
        assertThat(OnigRegex.translate("\\h+", "t")).isEqualTo("[0-9a-fA-F]+");
        assertThat(OnigRegex.translate("[\\w-]", "t")).isEqualTo("[\\p{L}\\p{M}\\p{Nd}\\p{Pc}-]");
        assertThat(OnigRegex.translate("a{,3}", "t")).isEqualTo("a{0,3}");
        assertThat(OnigRegex.translate("x{y", "t")).isEqualTo("x\\{y");
        assertThat(OnigRegex.translate("(?m:.)", "t")).isEqualTo("(?s:.)");
        assertThat(OnigRegex.translate("\\p{^Letter}\\p{Han}", "t")).isEqualTo("\\P{L}\\p{IsHan}");
        assertThat(OnigRegex.translate("[[:alpha:][:^digit:]]", "t")).isEqualTo("[\\p{IsAlphabetic}[^\\p{Nd}]]");
        assertThat(split("\\p{Han}+", "abc日本x")).containsExactly("日本");
        assertThat(split("\\d+", "a١٢3b")).containsExactly("١٢3");
        Pattern p = OnigRegex.compile("^b$", "t");
        assertThat(p.matcher("a\nb\nc").find()).isTrue();
    }

    @Test
    void refusesWhatJavaCannotDo() {
        assertThatThrownBy(() -> OnigRegex.compile("a\\Kb", "the pre_tokenizer Split of x.json"))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("x.json").hasMessageContaining("\\K");
        assertThatThrownBy(() -> OnigRegex.compile("\\p{NoSuchScript}", "y.json"))
                .isInstanceOf(TokenizerException.class).hasMessageContaining("NoSuchScript");
    }
}
