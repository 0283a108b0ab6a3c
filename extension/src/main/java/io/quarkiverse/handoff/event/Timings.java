package io.quarkiverse.handoff.event;

import java.util.OptionalDouble;

import io.quarkiverse.handoff.HandoffClock;
import io.quarkiverse.handoff.HandoffClock.Milestone;

/**
 * The timings of one handoff in milliseconds since it started; null where a stage did not happen.
 *
 * @param openerFirstTokenMs the micro-model's first token
 * @param openerFirstWordMs the first complete opener word
 * @param openerDoneMs the opener committed
 * @param cloudRequestSentMs the continuation request left
 * @param cloudFirstTokenMs the cloud's first token arrived
 * @param seamGapMs from the opener's commit to the first continuation text reaching the user
 * @param totalMs the whole handoff
 * @param cloudRequestGapMs from the opener's commit to the continuation request leaving (the early-start gap)
 * @param cloudFirstTokenLatencyMs from the continuation request leaving to the cloud's first token (the cloud's own
 *        time to first token, separate from the total)
 */
public record Timings(Double openerFirstTokenMs, Double openerFirstWordMs, Double openerDoneMs,
        Double cloudRequestSentMs, Double cloudFirstTokenMs, Double seamGapMs, Double totalMs,
        Double cloudRequestGapMs, Double cloudFirstTokenLatencyMs) {

    public Timings(Double openerFirstTokenMs, Double openerFirstWordMs, Double openerDoneMs,
            Double cloudRequestSentMs, Double cloudFirstTokenMs, Double seamGapMs, Double totalMs) {
        this(openerFirstTokenMs, openerFirstWordMs, openerDoneMs, cloudRequestSentMs, cloudFirstTokenMs, seamGapMs,
                totalMs, null, null);
    }

    /** Reads the timings off a handoff's clock. */
    public static Timings of(HandoffClock clock) {
        return new Timings(
                boxed(clock.millisAt(Milestone.OPENER_FIRST_TOKEN)),
                boxed(clock.millisAt(Milestone.OPENER_FIRST_WORD)),
                boxed(clock.millisAt(Milestone.OPENER_DONE)),
                boxed(clock.millisAt(Milestone.CLOUD_REQUEST_SENT)),
                boxed(clock.millisAt(Milestone.CLOUD_FIRST_TOKEN)),
                boxed(clock.millisBetween(Milestone.OPENER_DONE, Milestone.CONTINUATION_FIRST_DELTA)),
                boxed(clock.millisAt(Milestone.DONE)),
                boxed(clock.millisBetween(Milestone.OPENER_DONE, Milestone.CLOUD_REQUEST_SENT)),
                boxed(clock.millisBetween(Milestone.CLOUD_REQUEST_SENT, Milestone.CLOUD_FIRST_TOKEN)));
    }

    private static Double boxed(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }
}
