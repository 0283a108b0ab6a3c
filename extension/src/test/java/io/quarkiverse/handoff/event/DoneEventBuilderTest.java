package io.quarkiverse.handoff.event;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The builder puts every value in the component of the same name, and leaves what is not set null, false or 0. */
class DoneEventBuilderTest {

    @Test
    void everyValueLandsInItsComponent() {
        Timings timings = new Timings(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 1.0, 1.0);
        DoneEvent done = DoneEvent.builder()
                .text("Paris is the capital.")
                .opener("Paris is")
                .continuation(" the capital.")
                .strategy("instruction")
                .continuator("openai")
                .degraded(true)
                .correction("natural")
                .timings(timings)
                .ms(40.5)
                .degradedReason("the cloud's first token did not come in time")
                .cloudAttempts(3)
                .speculation(DoneEvent.SPECULATION_UNUSED)
                .degradedCode("first-token-timeout")
                .build();

        assertThat(done.text()).isEqualTo("Paris is the capital.");
        assertThat(done.opener()).isEqualTo("Paris is");
        assertThat(done.continuation()).isEqualTo(" the capital.");
        assertThat(done.strategy()).isEqualTo("instruction");
        assertThat(done.continuator()).isEqualTo("openai");
        assertThat(done.degraded()).isTrue();
        assertThat(done.correction()).isEqualTo("natural");
        assertThat(done.timings()).isSameAs(timings);
        assertThat(done.ms()).isEqualTo(40.5);
        assertThat(done.degradedReason()).isEqualTo("the cloud's first token did not come in time");
        assertThat(done.cloudAttempts()).isEqualTo(3);
        assertThat(done.speculation()).isEqualTo(DoneEvent.SPECULATION_UNUSED);
        assertThat(done.degradedCode()).isEqualTo("first-token-timeout");
        assertThat(done).isEqualTo(new DoneEvent("Paris is the capital.", "Paris is", " the capital.", "instruction",
                "openai", true, "natural", timings, 40.5, "the cloud's first token did not come in time", 3,
                DoneEvent.SPECULATION_UNUSED, "first-token-timeout"));
    }

    @Test
    void whatIsNotSetIsNullFalseOrZero() {
        assertThat(DoneEvent.builder().build())
                .isEqualTo(new DoneEvent(null, null, null, null, null, false, null, null, 0, null, 0, null, null));
    }
}
