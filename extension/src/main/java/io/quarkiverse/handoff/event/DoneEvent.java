package io.quarkiverse.handoff.event;

/**
 * The handoff is complete.
 *
 * @param text the full reply: opener followed by continuation
 * @param opener the committed opener
 * @param continuation the continuation after seam repair
 * @param strategy how the continuation was obtained (e.g. prefill, instruction, splice, local)
 * @param continuator who continued the reply
 * @param degraded true when the reply was finished locally because the cloud failed or was unreachable
 * @param correction the error-correction method that fired, or null
 * @param timings when each stage happened, on the handoff's clock
 * @param degradedReason why the reply was finished on the device (e.g. the cloud's first token did not come in time),
 *        or null when it was not degraded
 * @param cloudAttempts how many requests were sent to the cloud (more than one when a failure before the first token
 *        was retried)
 */
public record DoneEvent(String text, String opener, String continuation, String strategy, String continuator,
        boolean degraded, String correction, Timings timings, double ms, String degradedReason, int cloudAttempts)
        implements HandoffEvent {

    public DoneEvent(String text, String opener, String continuation, String strategy, String continuator,
            boolean degraded, String correction, Timings timings, double ms) {
        this(text, opener, continuation, strategy, continuator, degraded, correction, timings, ms, null, 0);
    }

    @Override
    public String type() {
        return "done";
    }
}
