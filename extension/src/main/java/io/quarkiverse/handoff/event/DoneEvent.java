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
 */
public record DoneEvent(String text, String opener, String continuation, String strategy, String continuator,
        boolean degraded, String correction, Timings timings, double ms) implements HandoffEvent {

    @Override
    public String type() {
        return "done";
    }
}
