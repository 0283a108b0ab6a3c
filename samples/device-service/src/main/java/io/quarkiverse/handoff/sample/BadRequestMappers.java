package io.quarkiverse.handoff.sample;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * Bad requests get a 400 with a JSON message that says what is wrong, never a stack trace.
 */
public class BadRequestMappers {

    public record Problem(String error, String message) {
    }

    @ServerExceptionMapper
    public Response invalidRequest(IllegalArgumentException e) {
        return badRequest("invalid-request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return badRequest("malformed-json", "the body is not valid JSON for this endpoint: " + e.getOriginalMessage()
                + " (expected {\"messages\":[{\"role\":\"user\",\"content\":\"...\"}],\"profile\":\"watch\"})");
    }

    private static Response badRequest(String code, String message) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new Problem(code, message)).build();
    }
}
