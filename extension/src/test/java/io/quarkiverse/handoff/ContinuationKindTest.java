package io.quarkiverse.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Multi;

/** The kinds' names are the values {@code done.strategy} has always reported; a name of a continuator's own is safe. */
class ContinuationKindTest {

    @Test
    void eachKindIsNamedAsDoneReportsIt() {
        assertThat(ContinuationKind.values()).extracting(ContinuationKind::strategy)
                .containsExactly("prefill", "instruction", "splice", "answer", "local");
        for (ContinuationKind kind : ContinuationKind.values()) {
            assertThat(ContinuationKind.ofStrategy(kind.strategy())).isEqualTo(kind);
        }
    }

    @Test
    void aContinuatorsOwnStrategyNameIsAnInstructionUnlessItSaysOtherwise() {
        assertThat(ContinuationKind.ofStrategy("my-http-api")).isEqualTo(ContinuationKind.INSTRUCTION);
        assertThat(ContinuationKind.ofStrategy(null)).isEqualTo(ContinuationKind.INSTRUCTION);
        assertThat(continuator("prefill").kind()).isEqualTo(ContinuationKind.PREFILL);
        assertThat(continuator("my-http-api").kind()).isEqualTo(ContinuationKind.INSTRUCTION);
    }

    private static Continuator continuator(String strategy) {
        return new Continuator() {
            @Override
            public Multi<String> continueReply(ContinuationRequest request) {
                return Multi.createFrom().empty();
            }

            @Override
            public String strategy() {
                return strategy;
            }

            @Override
            public String name() {
                return "test";
            }
        };
    }
}
