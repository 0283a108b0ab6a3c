package io.quarkiverse.handoff.runtime.seam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
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
        return join(new Seam(opener), deltas);
    }

    static String join(Seam seam, List<String> deltas) {
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
            // the opener's last word as the subject of a new clause is content, not an echo
            "Sure, I'll set a timer|Timer is running now.|\u2026 Timer is running now.",
            "Sure, I'll set a timer| Timer will ring in ten minutes.|\u2026 Timer will ring in ten minutes.",
            "Sure, I'll set a timer| timer, for ten minutes.|, for ten minutes.",
            // a number restated in words, or in digits
            "Sure, a timer for 25| for twenty-five minutes.| minutes.",
            "Sure, a timer for ten| for 10 minutes.| minutes.",
            // restated openers, as instruction-following models write them
            "The capital of Peru is| The capital of Peru is Lima.| Lima.",
            "Photosynthesis is how plants turn|plants turn sunlight into sugar.| sunlight into sugar.",
            "Sure, I'll set a timer|For ten minutes, starting now.| for ten minutes, starting now.",
            "To reset your router,| To reset your router, unplug it for thirty seconds.| unplug it for thirty seconds.",
            "The Eiffel Tower is in| In Paris, France.| Paris, France.",
            // partial-word completions
            "It is made of tiny ph| photons of light.|otons of light.",
            "The word you want is str|strawberry.|awberry.",
            "I like the| theater downtown.| theater downtown.",
            // quotes
            "She called it \"the best|\"the best day ever.\"| day ever.\"",
            "He said \"|Hello there.\"|Hello there.\"",
            "The sign says \"Stop| here.\"| here.\"",
            // numbers
            "Water boils at 100| 100 degrees Celsius at sea level.| degrees Celsius at sea level.",
            "The answer is 42|42.|.",
            "It costs $5|$5.99 in total.| $5.99 in total.",
            "In 1969,| Apollo 11 landed on the Moon.| Apollo 11 landed on the Moon.",
            // lists
            "Here are three steps: 1.| 1. Preheat the oven.| Preheat the oven.",
            "You will need:| flour, eggs and milk.| flour, eggs and milk.",
            // a capital that is only a name stays
            "The best city for food is| Lyon, in France.| Lyon, in France.",
    })
    void repairsRealSeams(String opener, String continuation, String expected) {
        assertThat(join(opener, continuation)).isEqualTo(expected);
        assertThat(join(opener, chunks(continuation, 2))).as("in small chunks").isEqualTo(expected);
        assertThat(join(opener, chunks(continuation, 1))).as("character by character").isEqualTo(expected);
    }

    @ParameterizedTest(name = "pivot [{0}] + [{1}]")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            "The capital of Australia is Sydney|[PIVOT] Sorry, I misspoke: it is Canberra.|\u2026 Sorry, I misspoke: it is Canberra.",
            "The capital of Australia is Sydney|[PIVOT] \u2014 or rather, Canberra, its capital.| \u2014 or rather, Canberra, its capital.",
            "Paris is in Italy.|[pivot]well, it is actually in France.| Well, it is actually in France.",
            "Spiders are insects,|  [PIVOT]  or so the rumour goes: they are arachnids.| or so the rumour goes: they are arachnids.",
            "The capital of Australia is|[PIVOT] is Canberra.| Canberra.",
    })
    void stripsThePivotMarkerAndReportsIt(String opener, String continuation, String expected) {
        for (int size : new int[] { 100, 3, 1 }) {
            Seam seam = new Seam(opener);
            assertThat(join(seam, chunks(continuation, size))).as("chunks of %d", size).isEqualTo(expected);
            assertThat(seam.pivoted()).isTrue();
        }
    }

    @ParameterizedTest(name = "no pivot [{0}]")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            "See the list|[1] first item.| [1] first item.",
            "Press| [P] to pause.| [P] to pause.",
            "The tag is|[PIV| [PIV",
    })
    void textThatOnlyLooksLikeTheMarkerIsKept(String opener, String continuation, String expected) {
        Seam seam = new Seam(opener);
        assertThat(join(seam, chunks(continuation, 1))).isEqualTo(expected);
        assertThat(seam.pivoted()).isFalse();
    }

    @ParameterizedTest(name = "prefill [{0}] + [{1}]")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            "It is made of tiny ph|otons of light.|otons of light.",
            "The capital of Peru is| Lima.| Lima.",
            "It is sunny.|and warm.| And warm.",
            "Sure, I'll set a timer| for ten minutes.| for ten minutes.",
            // a whole word after a whole word is a new word, not the rest of the last one
            "The capital of Australia is|Canberra.| Canberra.",
            "I've started a ten-minute|timer.| timer.",
            // what does complete the last word is glued: a suffix, a contraction, a hyphenated part
            "Sure, I'll set two timer|s for you.|s for you.",
            "It is|n't far.|n't far.",
            "I've started a ten|-minute timer.|-minute timer.",
            // a server that ignored the prefill and answered afresh: its restatement is cut, the rest joined
            "The capital city of Australia|the capital of Australia is Canberra.| is Canberra.",
            "The capital city of Australia|The capital of Australia is Canberra.| is Canberra.",
    })
    void trustsALiteralContinuation(String opener, String continuation, String expected) {
        assertThat(join(new Seam(opener, Seam.Mode.LITERAL), chunks(continuation, 2))).isEqualTo(expected);
    }

    @Test
    void aNewParagraphOrListItemKeepsItsCapital() {
        for (Seam.Mode mode : List.of(Seam.Mode.CONTINUATION, Seam.Mode.LITERAL)) {
            assertThat(join(new Seam("Here is what I found", mode), chunks("\n\nThe timer starts now.", 3)))
                    .as(mode.name()).isEqualTo("\n\nThe timer starts now.");
            assertThat(join(new Seam("Here is what I found", mode), chunks("\n- The timer is set.", 3)))
                    .as(mode.name()).isEqualTo("\n- The timer is set.");
            assertThat(join(new Seam("Here is what I found", mode), chunks(" For ten minutes.", 3)))
                    .as("%s: a capital inside the sentence is still a mistake", mode).isEqualTo(" for ten minutes.");
        }
    }

    @Test
    void joinsByTheRulesOfTheOrthographyItIsGiven() {
        Orthography unspaced = new Orthography() {
            private final Orthography english = Orthography.english();

            @Override
            public boolean isWordFragment(String letters) {
                return english.isWordFragment(letters);
            }

            @Override
            public boolean completesLastWord(String opener, String continuation, boolean literal) {
                return english.completesLastWord(opener, continuation, literal);
            }

            @Override
            public String spaced(String opener, String continuation, boolean glued) {
                return continuation.stripLeading(); // a language written without spaces between words
            }

            @Override
            public String cased(String opener, String continuation, boolean startsOver, boolean continuesSentence) {
                return continuation;
            }

            @Override
            public boolean endsSentence(CharSequence text) {
                return english.endsSentence(text);
            }
        };
        assertThat(join(new Seam("The capital of Peru is", Seam.Mode.CONTINUATION, unspaced), chunks(" is Lima.", 2)))
                .isEqualTo("Lima.");
        assertThat(join(new Seam("It is sunny.", Seam.Mode.LITERAL, unspaced), chunks(" and warm.", 2)))
                .isEqualTo("and warm.");
        assertThat(join(new Seam("It is sunny.", Seam.Mode.LITERAL), chunks(" and warm.", 2)))
                .as("English, by default").isEqualTo(" And warm.");
    }

    @ParameterizedTest(name = "splice [{0}] + [{1}]")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            "The capital of Peru is|The capital of Peru is Lima, on the Pacific coast.| Lima, on the Pacific coast.",
            "The capital of Peru is|Peru's capital is Lima.| Lima.",
            "Sure, I'll set a timer|Sure! I've set a timer for ten minutes.| for ten minutes.",
            "The capital of Peru is|Lima is the capital of Peru.|\u2026 Lima is the capital of Peru.",
            "Water boils at|At sea level, water boils at 100 degrees Celsius.| 100 degrees Celsius.",
            // the answer's subject comes before its restatement: keep the sentence whole after a trail-off
            "The capital city of Australia|Canberra is the capital of Australia. It became the capital in 1913.|"
                    + "\u2026 Canberra is the capital of Australia. It became the capital in 1913.",
            "The author of the book|Harper Lee was the author of the book, in 1960.|"
                    + "\u2026 Harper Lee was the author of the book, in 1960.",
    })
    void removesTheRestatementOfAFreshAnswer(String opener, String answer, String expected) {
        assertThat(join(new Seam(opener, Seam.Mode.SPLICE), List.of(answer))).isEqualTo(expected);
        assertThat(join(new Seam(opener, Seam.Mode.SPLICE), chunks(answer, 3))).as("in chunks").isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void abandonedHeldTextNeverReachesTheUser() {
        Seam seam = new Seam("The capital of Peru is");
        assertThat(seam.accept(" The capital")).isEmpty();
        seam.abandonHeld();
        assertThat(seam.accept(" Lima, as the device says.")).isEqualTo(" Lima, as the device says.");
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
        String openerText = String.join(" ", opener.stream().map(w -> w + "ox").toList());
        String continuationText = " " + String.join(" ", fresh);
        String joined = join(openerText, chunks(continuationText, chunk));
        assertThat(joined).isEqualTo(continuationText);
    }

    @Property(tries = 300)
    void removesAnEchoOfTheOpenersEnd(@ForAll("words") List<String> opener, @ForAll("words") List<String> rest,
            @ForAll @IntRange(min = 2, max = 10) int echoed, @ForAll @IntRange(min = 1, max = 7) int chunk) {
        List<String> openerWords = opener.stream().map(w -> w + "ox").toList();
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
        String openerText = String.join(" ", opener.stream().map(w -> w + "ox").toList());
        String continuationText = (leadingSpace ? " " : "") + String.join(" ", continuation.stream()
                .map(w -> w + "q").toList());
        String full = openerText + join(openerText, chunks(continuationText, chunk));
        assertThat(full).doesNotContain("  ");
        assertThat(full.split(" ")).hasSize(opener.size() + continuation.size());
    }

    @Property(tries = 300)
    void stripsTheMarkerHoweverItIsChunked(@ForAll("words") List<String> opener,
            @ForAll("words") List<String> continuation, @ForAll @IntRange(min = 1, max = 9) int chunk) {
        String openerText = String.join(" ", opener.stream().map(w -> w + "ox").toList()) + ".";
        String continuationText = " " + String.join(" ", continuation.stream().map(w -> w + "q").toList());
        Seam plain = new Seam(openerText);
        String expected = join(plain, chunks(continuationText, chunk));
        Seam marked = new Seam(openerText);
        String joined = join(marked, chunks(" " + io.quarkiverse.handoff.Continuator.PIVOT_MARKER + continuationText,
                chunk));
        assertThat(joined).isEqualTo(expected);
        assertThat(marked.pivoted()).isTrue();
        assertThat(plain.pivoted()).isFalse();
    }

    @Property(tries = 200)
    void aSplicedAnswerKeepsEverythingAfterItsRestatement(@ForAll("words") List<String> opener,
            @ForAll("words") List<String> rest, @ForAll @IntRange(min = 1, max = 7) int chunk) {
        List<String> openerWords = opener.stream().map(w -> w + "ox").toList();
        String openerText = String.join(" ", openerWords);
        String tail = " " + String.join(" ", rest.stream().map(w -> w + "q").toList());
        String answer = openerText + tail;
        assertThat(join(new Seam(openerText, Seam.Mode.SPLICE), chunks(answer, chunk))).isEqualTo(tail);
    }

    @ParameterizedTest(name = "[{0}] + [{1}]")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            // opener | continuation with a marker in a form models write | what the user gets after the opener
            "The capital of Australia is Sydney|**[PIVOT]** Sorry, it is Canberra.|\u2026 Sorry, it is Canberra.",
            "The capital of Australia is Sydney|`[pivot]` Sorry, it is Canberra.|\u2026 Sorry, it is Canberra.",
            "The capital of Australia is Sydney|[ Pivot ]: Sorry, it is Canberra.|\u2026 Sorry, it is Canberra.",
            "The capital of Australia is Sydney|PIVOT: Sorry, it is Canberra.|\u2026 Sorry, it is Canberra.",
            "The capital of Australia is Sydney|**PIVOT:** Sorry, it is Canberra.|\u2026 Sorry, it is Canberra.",
            "The capital of Australia is Sydney|_[PIVOT]_ Sorry, it is Canberra.|\u2026 Sorry, it is Canberra.",
            // after the first sentence, and in the middle of one
            "It was written by| J.D. Salinger. [PIVOT] Sorry, correction: it was Harper Lee.| J.D. Salinger. Sorry, "
                    + "correction: it was Harper Lee.",
            "It was written by| J.D. Salinger.[PIVOT]Sorry, it was Harper Lee.| J.D. Salinger. Sorry, it was Harper Lee.",
            "The Catcher in| the Rye**[PIVOT]** Sorry, that was Salinger.| the Rye Sorry, that was Salinger.",
            // not markers: the word itself, and brackets around other words
            "Rotate the table| and pivot it on its corner.| and pivot it on its corner.",
            "In a spreadsheet, a| pivot: a table that sums rows.| pivot: a table that sums rows.",
            "Write it as| [note] in the margin.| [note] in the margin.",
    })
    void theMarkerIsTakenOutInEveryFormAndPosition(String opener, String continuation, String expected) {
        for (int chunk = 1; chunk <= continuation.length(); chunk++) {
            Seam seam = new Seam(opener);
            assertThat(join(seam, chunks(continuation, chunk))).as("in deltas of %d", chunk).isEqualTo(expected);
            boolean marker = continuation.toLowerCase().contains("pivot") && !expected.contains("pivot");
            assertThat(seam.pivoted()).as("in deltas of %d", chunk).isEqualTo(marker);
            assertThat(seam.endsWithMarker()).isFalse();
        }
    }

    @Test
    void aStreamCutInsideAnEmojiEndsWithAReplacementCharacterNotHalfOfIt() {
        Seam seam = new Seam("The timer is set", Seam.Mode.LITERAL);
        String shown = seam.accept(" for you \uD83D") + seam.finish();
        assertThat(shown).isEqualTo(" for you \uFFFD");
        assertThat(shown.chars().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
    }

    @Test
    void anEmptyOpenerPassesTheAnswerAsItIs() {
        // nothing was said: the cloud answers, word by word, whatever the deltas
        for (int chunk = 1; chunk <= 6; chunk++) {
            for (String opener : List.of("", " ")) {
                assertThat(join(opener, chunks("Timer is set. Ten minutes.", chunk))).as("deltas of %d", chunk)
                        .isEqualTo("Timer is set. Ten minutes.");
            }
        }
    }

    @Test
    void aMarkerWithNothingAfterItIsReported() {
        for (String continuation : List.of("[PIVOT]", " [PIVOT]  ", "**[PIVOT]**\n", " is Canberra. [PIVOT] ")) {
            Seam seam = new Seam("The capital of Australia is");
            String text = join(seam, chunks(continuation, 2));
            assertThat(text).as(continuation).doesNotContainIgnoringCase("pivot");
            assertThat(seam.pivoted()).as(continuation).isTrue();
            assertThat(seam.endsWithMarker()).as(continuation).isTrue();
        }
    }

    @ParameterizedTest(name = "[{0}] + [{1}]: {2}")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            "The capital of Australia is Sydney|. Sorry, correction: it is Canberra.|true",
            "The capital of Australia is Sydney| \u2014 sorry, I misspoke: it is Canberra.|true",
            "It was written by|  J.D. Salinger. Actually, no: it was Harper Lee.|true",
            "It was written by| J.D. Salinger. Actually, that's not right: Harper Lee wrote it.|true",
            "It was written by| J.D. Salinger. My mistake, it was Harper Lee.|true",
            "The capital of Australia is Sydney|. Correction: it is Canberra.|true",
            "The capital of Australia is Sydney|Sorry, that's wrong: it is Canberra.|true",
            // everyday words, not corrections
            "It was written by| J.D. Salinger. Actually, it is one of his best books.|false",
            "Sure, I'll set a timer| and sorry for the wait, it is running.|false",
            "Here's a|n approach my mistake-free friends use.|false",
            "The report needs a| correction of the totals.|false",
    })
    void aCorrectionInWordsWithoutTheMarkerIsNoticed(String opener, String continuation, boolean pivot) {
        for (int chunk = 1; chunk <= continuation.length(); chunk += 3) {
            Seam seam = new Seam(opener);
            join(seam, chunks(continuation, chunk));
            assertThat(seam.pivotedInProse()).as("in deltas of %d", chunk).isEqualTo(pivot);
            assertThat(seam.pivoted()).as("no marker").isFalse();
        }
    }

    static List<String> chunks(String text, int size) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i += size) {
            out.add(text.substring(i, Math.min(text.length(), i + size)));
        }
        return out;
    }
}
