package io.quarkiverse.handoff.event;

/**
 * One event of a handoff's stream. A stream is: {@code opener}*, {@code handoff}, ({@code continuation} |
 * {@code correction})*, then {@code done}; or {@code error} in place of everything after the failure point when the
 * request cannot be served at all.
 */
public sealed interface HandoffEvent permits OpenerEvent, PlanEvent, ContinuationEvent, CorrectionEvent, DoneEvent,
        ErrorEvent {

    /** The event's wire name, used as the Server-Sent Event name. */
    String type();

    /** Milliseconds since the handoff started. */
    double ms();
}
