package io.quarkiverse.handoff.runtime.correction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkiverse.handoff.Continuator;
import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.ErrorCorrection;
import io.quarkiverse.handoff.OpenerWord;

class ErrorCorrectionsTest {

    static final ErrorCorrection.CorrectionContext CONTEXT = new ErrorCorrection.CorrectionContext(
            Conversation.of("What is the capital of Australia?"), " The capital is Sydney", null);

    record Pirate(String method) implements ErrorCorrection {
        @Override
        public String instruction(CorrectionContext context) {
            return "Arr, start with " + Continuator.PIVOT_MARKER + " and fix it like a pirate.";
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "explicit|acknowledge the slip",
            "natural|no negation",
            "humorous|playful line",
    })
    void eachBuiltInMethodInstructsItsOwnPivot(String method, String phrase) {
        ErrorCorrection correction = ErrorCorrections.index(builtIns()).get(method);
        String instruction = correction.instruction(CONTEXT);
        assertThat(instruction).contains(phrase).contains(Continuator.PIVOT_MARKER)
                .startsWith("Only if the words already said are wrong").doesNotContain("{");
        String suspect = correction.instruction(new ErrorCorrection.CorrectionContext(CONTEXT.conversation(),
                CONTEXT.committedOpener(), "the on-device model was unsure of 'Sydney'"));
        assertThat(suspect).startsWith("The words already said may be wrong (the on-device model was unsure of "
                + "'Sydney'): check them");
    }

    @Test
    void theThreeMethodsAreDistinct() {
        List<String> instructions = builtIns().stream().map(c -> c.instruction(CONTEXT)).toList();
        assertThat(instructions).doesNotHaveDuplicates();
        assertThat(instructions.get(1)).as("natural redirection never negates").contains("no negation");
    }

    @Test
    void anApplicationAddsItsOwnMethodAndMayReplaceABuiltInOne() {
        Map<String, ErrorCorrection> index = ErrorCorrections.index(List.of(new ExplicitCorrection(),
                new NaturalCorrection(), new HumorousCorrection(), new Pirate("pirate"), new Pirate("natural")));
        assertThat(index.keySet()).containsExactlyInAnyOrder("explicit", "natural", "humorous", "pirate");
        assertThat(index.get("pirate")).isInstanceOf(Pirate.class);
        assertThat(index.get("natural")).as("the application's bean wins").isInstanceOf(Pirate.class);
    }

    @Test
    void twoApplicationMethodsWithOneNameFailClearly() {
        assertThatThrownBy(() -> ErrorCorrections.index(List.of(new Pirate("pirate"), new Pirate("pirate"))))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("two ErrorCorrection beans")
                .hasMessageContaining("'pirate'");
        assertThatThrownBy(() -> ErrorCorrections.index(List.of(new Pirate(" "))))
                .hasMessageContaining("has no method() name");
    }

    @Test
    void anUnknownMethodNamesTheKnownOnesAndTheFix() {
        ErrorCorrections corrections = ErrorCorrections.of(builtIns());
        assertThat(corrections.get("humorous")).isInstanceOf(HumorousCorrection.class);
        assertThatThrownBy(() -> corrections.get("sarcastic"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'sarcastic'")
                .hasMessageContaining("explicit, humorous, natural")
                .hasMessageContaining("io.quarkiverse.handoff.ErrorCorrection");
    }

    @Test
    void lowOpenerConfidenceMakesTheOpenerSuspect() {
        CorrectionDetector detector = new CorrectionDetector(0.05);
        List<OpenerWord> confident = List.of(new OpenerWord(0, " The", 0.9, 1), new OpenerWord(1, " capital", 0.4, 2));
        assertThat(detector.suspicion(confident)).isEmpty();
        List<OpenerWord> doubtful = List.of(new OpenerWord(0, " The", 0.9, 1), new OpenerWord(1, " Sydney", 0.01, 2),
                new OpenerWord(2, " is", 0.03, 3));
        assertThat(detector.suspicion(doubtful)).hasValueSatisfying(reason -> assertThat(reason)
                .contains("'Sydney'").contains("0.010").contains("0.050"));
        assertThat(detector.reason(detector.suspicion(doubtful), true)).startsWith("the cloud model found the opener wrong")
                .contains("Sydney");
        assertThat(detector.suspicion(List.of())).isEmpty();
        assertThatThrownBy(() -> new CorrectionDetector(1.5)).hasMessageContaining("confidence-threshold");
    }

    static List<ErrorCorrection> builtIns() {
        return List.of(new ExplicitCorrection(), new NaturalCorrection(), new HumorousCorrection());
    }
}
