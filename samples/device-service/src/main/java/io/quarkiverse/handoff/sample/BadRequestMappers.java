package io.quarkiverse.handoff.sample;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * Bad requests get a 400 with a JSON message that says what is wrong, never a stack trace or a Java class name.
 */
public class BadRequestMappers {

    static final String EXPECTED_BODY = "{\"messages\":[{\"role\":\"user\",\"content\":\"...\"}],\"profile\":\"watch\"}";

    /**
     * The body of every 4xx: a stable {@code code} and a {@code message} that says what to fix. {@code error} repeats
     * the code under the name this shape had first.
     */
    public record Problem(String code, String message) {
        @JsonProperty("error")
        public String error() {
            return code;
        }
    }

    @ServerExceptionMapper
    public Response invalidRequest(IllegalArgumentException e) {
        return badRequest("invalid-request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response conversationTooLarge(ConversationLimits.TooLarge e) {
        return Response.status(413).type(MediaType.APPLICATION_JSON_TYPE).entity(new Problem(e.code(), e.getMessage()))
                .build();
    }

    @ServerExceptionMapper({ JsonProcessingException.class, JsonParseException.class, JsonMappingException.class,
            MismatchedInputException.class })
    public Response malformedJson(JsonProcessingException e) {
        return badRequest("malformed-json", "the body is not valid JSON for this endpoint: " + JsonErrors.describe(e)
                + " (expected " + EXPECTED_BODY + ")");
    }

    /** Quarkus REST wraps some body-reading failures before they reach the JSON mappers. */
    @ServerExceptionMapper
    public Response unreadableBody(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status == Response.Status.UNSUPPORTED_MEDIA_TYPE.getStatusCode()) {
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new Problem(
                    "unsupported-media-type", "send the body as JSON with the header Content-Type: application/json"
                            + " (expected " + EXPECTED_BODY + ")"))
                    .build();
        }
        if (status != Response.Status.BAD_REQUEST.getStatusCode()) {
            return e.getResponse();
        }
        Throwable cause = e.getCause();
        String detail = cause instanceof JsonProcessingException json ? JsonErrors.describe(json)
                : e.getMessage();
        return badRequest("malformed-json", "the body cannot be read: " + detail + " (expected " + EXPECTED_BODY + ")");
    }

    private static Response badRequest(String code, String message) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new Problem(code, message)).build();
    }
}
