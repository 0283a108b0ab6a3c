package io.quarkiverse.handoff.event;

import io.quarkiverse.handoff.OpenerStop;

/**
 * The handoff is complete.
 *
 * @param text the full reply: opener followed by continuation
 * @param opener the committed opener
 * @param continuation the continuation after seam repair
 * @param strategy how the continuation was obtained (e.g. prefill, instruction, splice, local)
 * @param continuator who continued the reply
 * @param degraded true when the device finished the reply alone: the cloud failed, was not reachable or is not
 *        configured (the reply then ends with a plain sentence saying so)
 * @param correction the error-correction method that fired, or null
 * @param timings when each stage happened, on the handoff's clock
 * @param degradedReason why the reply was finished on the device, for people (e.g. the cloud's first token did not come
 *        in time), or null when it was not degraded
 * @param cloudAttempts how many requests were sent to the cloud (more than one when a failure before the first token
 *        was retried)
 * @param speculation what became of the plan's speculative cloud start: {@code used} (it became the reply, because the
 *        opener ended up empty or failed) or {@code unused} (cancelled when the opener committed); null when the plan
 *        started no speculation
 * @param degradedCode why the reply was finished on the device, as a stable code (e.g. {@code first-token-timeout},
 *        {@code error-event}, {@code truncated}; the list is in docs/recovery.md), or null when it was not degraded
 * @param openerStop where and why the opener stopped (e.g. {@code ungrounded-fact} before a name the conversation does
 *        not hold), as the opener reported it; null when no opener ran, the opener does not report its stop, or it
 *        failed before it stopped
 */
public record DoneEvent(String text, String opener, String continuation, String strategy, String continuator,
        boolean degraded, String correction, Timings timings, double ms, String degradedReason, int cloudAttempts,
        String speculation, String degradedCode, OpenerStop openerStop)
        implements
            HandoffEvent {

    /** {@code degradedCode}: no cloud model is configured; the embedded continuator closed the reply on the device. */
    public static final String NO_CLOUD = "no-cloud";
    /** {@code degradedCode}: the plan kept the reply on the device because the cloud was unreachable (breaker open). */
    public static final String CLOUD_UNAVAILABLE = "cloud-unavailable";
    /** {@code degradedCode}: a rule kept the reply on the device (local-only mode) while the cloud was reachable. */
    public static final String LOCAL_ONLY = "local-only";
    /** {@code degradedCode}: the cloud pivoted away from a wrong opener and said nothing after the marker. */
    public static final String PIVOT_UNANSWERED = "pivot-unanswered";

    /** The speculative answer became the reply. */
    public static final String SPECULATION_USED = "used";
    /** The speculative answer was cancelled: the opener committed words and the cloud continued them. */
    public static final String SPECULATION_UNUSED = "unused";

    public DoneEvent(String text, String opener, String continuation, String strategy, String continuator,
            boolean degraded, String correction, Timings timings, double ms, String degradedReason,
            int cloudAttempts, String speculation, String degradedCode) {
        this(text, opener, continuation, strategy, continuator, degraded, correction, timings, ms, degradedReason,
                cloudAttempts, speculation, degradedCode, null);
    }

    public DoneEvent(String text, String opener, String continuation, String strategy, String continuator,
            boolean degraded, String correction, Timings timings, double ms, String degradedReason,
            int cloudAttempts, String speculation) {
        this(text, opener, continuation, strategy, continuator, degraded, correction, timings, ms, degradedReason,
                cloudAttempts, speculation, null, null);
    }

    public DoneEvent(String text, String opener, String continuation, String strategy, String continuator,
            boolean degraded, String correction, Timings timings, double ms, String degradedReason,
            int cloudAttempts) {
        this(text, opener, continuation, strategy, continuator, degraded, correction, timings, ms, degradedReason,
                cloudAttempts, null, null, null);
    }

    public DoneEvent(String text, String opener, String continuation, String strategy, String continuator,
            boolean degraded, String correction, Timings timings, double ms) {
        this(text, opener, continuation, strategy, continuator, degraded, correction, timings, ms, null, 0, null,
                null, null);
    }

    /** A builder of a {@code done} event, its methods named as the components; what is not set is null, false or 0. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String type() {
        return "done";
    }

    /** Builds a {@link DoneEvent} by naming its components instead of listing them in order. */
    public static final class Builder {
        private String text;
        private String opener;
        private String continuation;
        private String strategy;
        private String continuator;
        private boolean degraded;
        private String correction;
        private Timings timings;
        private double ms;
        private String degradedReason;
        private int cloudAttempts;
        private String speculation;
        private String degradedCode;
        private OpenerStop openerStop;

        private Builder() {
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder opener(String opener) {
            this.opener = opener;
            return this;
        }

        public Builder continuation(String continuation) {
            this.continuation = continuation;
            return this;
        }

        public Builder strategy(String strategy) {
            this.strategy = strategy;
            return this;
        }

        public Builder continuator(String continuator) {
            this.continuator = continuator;
            return this;
        }

        public Builder degraded(boolean degraded) {
            this.degraded = degraded;
            return this;
        }

        public Builder correction(String correction) {
            this.correction = correction;
            return this;
        }

        public Builder timings(Timings timings) {
            this.timings = timings;
            return this;
        }

        public Builder ms(double ms) {
            this.ms = ms;
            return this;
        }

        public Builder degradedReason(String degradedReason) {
            this.degradedReason = degradedReason;
            return this;
        }

        public Builder cloudAttempts(int cloudAttempts) {
            this.cloudAttempts = cloudAttempts;
            return this;
        }

        public Builder speculation(String speculation) {
            this.speculation = speculation;
            return this;
        }

        public Builder degradedCode(String degradedCode) {
            this.degradedCode = degradedCode;
            return this;
        }

        public Builder openerStop(OpenerStop openerStop) {
            this.openerStop = openerStop;
            return this;
        }

        public DoneEvent build() {
            return new DoneEvent(text, opener, continuation, strategy, continuator, degraded, correction, timings, ms,
                    degradedReason, cloudAttempts, speculation, degradedCode, openerStop);
        }
    }
}
