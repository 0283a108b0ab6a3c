package io.quarkiverse.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkiverse.handoff.policy.HandoffMode;
import io.quarkiverse.handoff.policy.HandoffPlan;
import io.quarkiverse.handoff.policy.HandoffPoint;
import io.quarkiverse.handoff.policy.Sampling;

/** An opener's stop is reported as words without their whitespace, and reporting it is up to the opener. */
class OpenerStopTest {

    static final HandoffPlan PLAN = new HandoffPlan("phone", HandoffMode.HYBRID, 6, HandoffPoint.AFTER_WORDS, 0.2,
            "natural", Sampling.GREEDY, 3000, false, List.of("a rule"));

    @Test
    void wordsComeWithoutTheirWhitespace() {
        OpenerStop stop = new OpenerStop(OpenerStop.UNGROUNDED_FACT, " Lima,", "NAME", 0.4, List.of(" to", " the"));
        assertThat(stop.before()).isEqualTo("Lima,");
        assertThat(stop.dropped()).containsExactly("to", "the");
        assertThat(new OpenerStop(OpenerStop.END_OF_REPLY, " ", null, Double.NaN, null))
                .isEqualTo(new OpenerStop(OpenerStop.END_OF_REPLY, null, null, null, List.of()));
    }

    @Test
    void aStopWithoutAReasonIsRefused() {
        assertThatThrownBy(() -> new OpenerStop(" ", "Lima", null, null, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an opener's stop needs a reason, e.g. planned-words");
    }

    @Test
    void aRequestTakesTheStopItsOpenerReports() {
        List<OpenerStop> reported = new ArrayList<>();
        OpenerStop stop = new OpenerStop(OpenerStop.PLANNED_WORDS, null, null, null, List.of());
        new OpenerRequest(Conversation.of("Hi"), PLAN, HandoffClock.start(), reported::add).onStop().accept(stop);
        assertThat(reported).containsExactly(stop);
        OpenerRequest unasked = new OpenerRequest(Conversation.of("Hi"), PLAN, HandoffClock.start());
        assertThatCode(() -> unasked.onStop().accept(stop)).as("an opener reports whether or not it is asked")
                .doesNotThrowAnyException();
    }
}
