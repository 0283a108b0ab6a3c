package io.quarkiverse.handoff.runtime.seam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class SeamTest {

    static String join(String opener, List<String> deltas) {
        Seam seam = new Seam(opener);
        StringBuilder out = new StringBuilder();
        for (String delta : deltas) {
            out.append(seam.accept(delta));
        }
        out.append(seam.finish());
        return out.toString();
    }

    static String join(String opener, String continuation) {
        return join(opener, List.of(continuation));
    }

    @ParameterizedTest(name = "[{0}] + [{1}]")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            // opener | raw cloud continuation | what the user gets after the opener
            "The capital of Peru is| Lima.| Lima.",
            "The capital of Peru is|Lima.| Lima.",
            "The capital of Peru is| is Lima.| Lima.",
            "The capital of Peru is|Peru is Lima, on the coast.| Lima, on the coast.",
            "Sure, I'll set a timer| set a timer for ten minutes.| for ten minutes.",
            "Sure, I'll set a timer|Sure, I'll set a timer for ten minutes.| for ten minutes.",
            "Sure, I'll set a TIMER| timer for ten minutes.| for ten minutes.",
            "It is sunny.| and warm today.| And warm today.",
            "It is sunny. |  and warm today.|And warm today.",
            "Here are a few ways to|, well, relax.|, well, relax.",
            "I think that| that is right.| that is right.",
            "Water boils at| 100 degrees Celsius.| 100 degrees Celsius.",
    })
    void repairsRealSeams(String opener, String continuation, String expected) {
        assertThat(join(opener, continuation)).isEqualTo(expected);
        assertThat(join(opener, chunks(continuation, 2))).as("in small chunks").isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "The capital of Peru is|Lima",
            "Sure, I'll set a timer|for",
    })
    void passesTheFirstWordOnAsSoonAsItCannotBeAnEcho(String opener, String firstWord) {
        Seam seam = new Seam(opener);
        assertThat(seam.accept(" " + firstWord)).as("an unfinished word is held").isEmpty();
        assertThat(seam.accept(" ")).as("a finished word that echoes nothing passes").isEqualTo(" " + firstWord + " ");
        assertThat(seam.accept("more")).isEqualTo("more");
    }

    // ---- properties over generated openers and continuations ----

    @Provide
    Arbitrary<List<String>> words() {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)
                .list().ofMinSize(1).ofMaxSize(10);
    }

    @Property(tries = 300)
    void neverDropsAWordOfAContinuationThatDoesNotEcho(@ForAll("words") List<String> opener,
            @ForAll("words") List<String> continuation, @ForAll @IntRange(min = 1, max = 7) int chunk) {
        // a continuation word that appears nowhere in the opener cannot be an echo
        List<String> fresh = continuation.stream().map(w -> w + "q").toList();
        String openerText = String.join(" ", opener.stream().map(w -> w + "x").toList());
        String continuationText = " " + String.join(" ", fresh);
        String joined = join(openerText, chunks(continuationText, chunk));
        assertThat(joined).isEqualTo(continuationText);
    }

    @Property(tries = 300)
    void removesAnEchoOfTheOpenersEnd(@ForAll("words") List<String> opener, @ForAll("words") List<String> rest,
            @ForAll @IntRange(min = 2, max = 10) int echoed, @ForAll @IntRange(min = 1, max = 7) int chunk) {
        List<String> openerWords = opener.stream().map(w -> w + "x").toList();
        int k = Math.min(echoed, openerWords.size());
        if (k < 2) {
            return;
        }
        List<String> echo = openerWords.subList(openerWords.size() - k, openerWords.size());
        List<String> fresh = rest.stream().map(w -> w + "q").toList();
        String continuation = " " + String.join(" ", echo) + " " + String.join(" ", fresh);
        String joined = join(String.join(" ", openerWords), chunks(continuation, chunk));
        assertThat(joined).isEqualTo(" " + String.join(" ", fresh));
    }

    @Property(tries = 300)
    void theJointHasExactlyOneSpaceBetweenWords(@ForAll("words") List<String> opener,
            @ForAll("words") List<String> continuation, @ForAll boolean leadingSpace,
            @ForAll @IntRange(min = 1, max = 7) int chunk) {
        String openerText = String.join(" ", opener.stream().map(w -> w + "x").toList());
        String continuationText = (leadingSpace ? " " : "") + String.join(" ", continuation.stream()
                .map(w -> w + "q").toList());
        String full = openerText + join(openerText, chunks(continuationText, chunk));
        assertThat(full).doesNotContain("  ");
        assertThat(full.split(" ")).hasSize(opener.size() + continuation.size());
    }

    static List<String> chunks(String text, int size) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i += size) {
            out.add(text.substring(i, Math.min(text.length(), i + size)));
        }
        return out;
    }
}
