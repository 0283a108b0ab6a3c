package io.quarkiverse.handoff.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One event of a handoff's stream. A stream is: {@code opener}*, {@code handoff}, ({@code continuation} |
 * {@code correction})*, then {@code done}; or {@code error} in place of everything after the failure point when the
 * request cannot be served at all.
 * <p>
 * Serialized by Jackson, every event carries its {@link #type()} as a {@code type} field (the first one), and such
 * JSON reads back as the right event: {@code mapper.readValue(json, HandoffEvent.class)}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = OpenerEvent.class, name = "opener"),
        @JsonSubTypes.Type(value = PlanEvent.class, name = "handoff"),
        @JsonSubTypes.Type(value = ContinuationEvent.class, name = "continuation"),
        @JsonSubTypes.Type(value = CorrectionEvent.class, name = "correction"),
        @JsonSubTypes.Type(value = DoneEvent.class, name = "done"),
        @JsonSubTypes.Type(value = ErrorEvent.class, name = "error") })
public sealed interface HandoffEvent permits OpenerEvent, PlanEvent, ContinuationEvent, CorrectionEvent, DoneEvent,
        ErrorEvent {

    /** The event's wire name, used as the Server-Sent Event name and as the {@code type} field of its JSON. */
    String type();

    /** Milliseconds since the handoff started. */
    double ms();
}
