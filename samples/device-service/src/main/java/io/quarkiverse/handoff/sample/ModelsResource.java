package io.quarkiverse.handoff.sample;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkiverse.handoff.runtime.policy.DeviceProfiles;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}: OpenAI's model list, one model per device profile, so that
 * an OpenAI client (or a chat UI that offers the server's models) picks a profile as its model:
 * {@code "model": "watch"} in a chat completion plans the reply for a watch. An unknown id is OpenAI's 404
 * ({@code code: model_not_found}).
 */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    static final String OWNER = "quarkus-handoff";

    /** When the service started: the profiles' {@code created}, the same in every answer of one run. */
    private static final long STARTED = Instant.now().getEpochSecond();

    public record Model(String id, String object, long created, @JsonProperty("owned_by") String ownedBy) {
    }

    public record ModelList(String object, List<Model> data) {
    }

    /** OpenAI's error object; read by reflection in a native image, being the entity of a built response. */
    @RegisterForReflection
    public record OpenAiError(String message, String type, String param, String code) {
    }

    @RegisterForReflection
    public record ErrorBody(OpenAiError error) {
    }

    @Inject
    DeviceProfiles profiles;

    @GET
    public ModelList models() {
        return new ModelList("list", profiles.names().stream().map(ModelsResource::describe).toList());
    }

    @GET
    @Path("{id}")
    public Response model(@PathParam("id") String id) {
        if (!profiles.contains(id)) {
            return Response.status(Response.Status.NOT_FOUND).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorBody(new OpenAiError("the model '" + id + "' does not exist: the models are the device "
                            + "profiles " + profiles.names() + " (GET /v1/models)", "invalid_request_error", null,
                            "model_not_found")))
                    .build();
        }
        return Response.ok(describe(profiles.resolve(id).name())).build();
    }

    private static Model describe(String profile) {
        return new Model(profile, "model", STARTED, OWNER);
    }
}
