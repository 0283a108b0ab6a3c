package io.quarkiverse.handoff.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.OpenerStop;

/** The builder puts every value in the component of the same name, and leaves what is not set null, false or 0. */
class DoneEventBuilderTest {

    @Test
    void everyValueLandsInItsComponent() {
        Timings timings = new Timings(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 1.0, 1.0);
        OpenerStop stop = new OpenerStop(OpenerStop.UNGROUNDED_FACT, "Lima,", "NAME", 0.8, List.of("the"));
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
                .openerStop(stop)
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
        assertThat(done.openerStop()).isSameAs(stop);
        assertThat(done).isEqualTo(new DoneEvent("Paris is the capital.", "Paris is", " the capital.", "instruction",
                "openai", true, "natural", timings, 40.5, "the cloud's first token did not come in time", 3,
                DoneEvent.SPECULATION_UNUSED, "first-token-timeout", stop));
    }

    @Test
    void whatIsNotSetIsNullFalseOrZero() {
        assertThat(DoneEvent.builder().build())
                .isEqualTo(new DoneEvent(null, null, null, null, null, false, null, null, 0, null, 0, null, null, null));
    }

    @Test
    void theConstructorsOfEarlierVersionsLeaveTheOpenersStopNull() {
        assertThat(new DoneEvent("a", "a", "", "local", "embedded", false, null, null, 1, null, 0, null, null)
                .openerStop()).isNull();
        assertThat(new DoneEvent("a", "a", "", "local", "embedded", false, null, null, 1).openerStop()).isNull();
    }
}
