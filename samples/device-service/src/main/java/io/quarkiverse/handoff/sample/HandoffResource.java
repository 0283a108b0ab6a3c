package io.quarkiverse.handoff.sample;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.runtime.Handoff;
import io.smallrye.mutiny.Multi;

/**
 * {@code POST /v1/handoff}: streams one handoff as Server-Sent Events named {@code opener}, {@code handoff},
 * {@code continuation}, {@code correction}, {@code done} and {@code error}; each event's data is a JSON object with
 * its {@code type}. The profile is the body's {@code profile}, else the {@code X-Device-Profile} header, else the default
 * profile ({@link ProfileChoice}).
 */
@Path(HandoffResource.PATH)
public class HandoffResource {

    public static final String PATH = "/v1/handoff";

    static final String PROFILE_HEADER = "X-Device-Profile";

    @Inject
    Handoff handoff;

    @Inject
    ObjectMapper mapper;

    @Inject
    ProfileChoice profiles;

    @Inject
    ConversationLimits limits;

    @Context
    Sse sse;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> handoff(HandoffBody body, @HeaderParam(PROFILE_HEADER) String profileHeader) {
        if (body == null) {
            throw new IllegalArgumentException("the request has no body: send JSON with 'messages' and 'profile'");
        }
        String profile = profiles.orDefault(body.profile() != null && !body.profile().isBlank() ? body.profile()
                : profileHeader);
        Conversation conversation = body.conversation();
        limits.check(conversation);
        HandoffRequest request = new HandoffRequest(conversation, profile, body.deviceFacts());
        return handoff.run(request).map(this::toSse);
    }

    private OutboundSseEvent toSse(HandoffEvent event) {
        // the data is JSON text already: an explicit media type would only add a non-standard 'content-type:' line
        // to every event
        return sse.newEventBuilder().name(event.type()).data(data(mapper, event).toString()).build();
    }

    /**
     * The data of an event as this endpoint sends it: the event's fields and its {@code type}, which the event's own
     * Jackson mapping writes (see {@link HandoffEvent}).
     */
    public static ObjectNode data(ObjectMapper mapper, HandoffEvent event) {
        return mapper.valueToTree(event);
    }
}
