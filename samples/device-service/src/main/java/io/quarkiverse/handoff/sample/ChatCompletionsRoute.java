package io.quarkiverse.handoff.sample;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.handoff.HandoffRequest;
import io.quarkiverse.handoff.event.ContinuationEvent;
import io.quarkiverse.handoff.event.DoneEvent;
import io.quarkiverse.handoff.event.ErrorEvent;
import io.quarkiverse.handoff.event.HandoffEvent;
import io.quarkiverse.handoff.event.OpenerEvent;
import io.quarkiverse.handoff.event.PlanEvent;
import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.runtime.Handoff;
import io.quarkiverse.handoff.runtime.policy.DeviceProfiles;
import io.quarkiverse.handoff.sample.ChatCompletionRequest.InvalidRequest;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Multi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code POST /v1/chat/completions}: the OpenAI chat-completions protocol, so that any OpenAI client can use the
 * device service as its model. The opener's words and the continuation arrive as ONE assistant message: streamed as
 * {@code chat.completion.chunk} Server-Sent Events ending with {@code data: [DONE]} when {@code "stream": true}, else
 * as one {@code chat.completion}.
 * <p>
 * The device profile comes from the {@code X-Device-Profile} header, else {@code metadata.profile}, else the
 * {@code user} field when it names a known profile, else {@code handoff.sample.default-profile}.
 * {@code metadata.privacy} ({@code sensitive}) asks for personal data to be masked before the cloud. Bad requests get 400
 * with OpenAI's error shape {@code {"error":{"message":..,"type":"invalid_request_error","param":..}}}.
 * <p>
 * Beside the standard fields, the last chunk (or the completion) carries a {@code handoff} object: profile, opener,
 * strategy, continuator, degraded (with degradedCode and degradedReason), the fired rules and the timings. OpenAI
 * clients ignore it. A handoff that ends with an error is OpenAI's error shape with the error event's code: HTTP 400
 * ({@code invalid_request_error}) when the cloud refused the conversation as too long, 503 when there is no opener
 * model, 500 otherwise; in a stream, the same error object is the event before {@code [DONE]}.
 * <p>
 * A Vert.x route rather than a REST resource: whether the answer is a stream or one JSON document depends on the
 * body's {@code stream} field, not on content negotiation. Nothing here blocks: the body is read by Vert.x, each
 * event is written as it is emitted, and the next is requested once the write is done.
 */
@ApplicationScoped
public class ChatCompletionsRoute {

    private static final Logger LOG = Logger.getLogger(ChatCompletionsRoute.class);

    public static final String PATH = "/v1/chat/completions";
    static final String SSE = "text/event-stream";
    static final String JSON = "application/json";

    @Inject
    Handoff handoff;

    @Inject
    DeviceProfiles profiles;

    @Inject
    SampleConfig config;

    @Inject
    ObjectMapper mapper;

    /** The largest body accepted; {@link ServiceGuard} refuses a larger declared length before this route runs. */
    @ConfigProperty(name = ServiceGuard.BODY_LIMIT_PROPERTY)
    MemorySize maxBodySize;

    void register(@Observes Router router) {
        router.post(PATH).handler(BodyHandler.create(false).setBodyLimit(maxBodySize.asLongValue()));
        router.post(PATH).handler(this::complete);
        router.post(PATH).failureHandler(this::tooLarge);
    }

    /** The body handler refuses a chunked body over the limit with a bare 413: say what it is and what to do. */
    void tooLarge(RoutingContext context) {
        if (context.statusCode() != 413) {
            context.next();
            return;
        }
        json(context.response(), 413, errorJson("invalid_request_error", ServiceGuard.tooLarge(maxBodySize.asLongValue()),
                "messages", "request-too-large"));
    }

    void complete(RoutingContext context) {
        ChatCompletionRequest parsed;
        Multi<HandoffEvent> events;
        try {
            parsed = ChatCompletionRequest.parse(mapper, ChatCompletionRequest.utf8(context.body().buffer()));
            String profile = profile(parsed, context.request().getHeader(HandoffResource.PROFILE_HEADER));
            DeviceFacts facts = parsed.metadataPrivacy() == null ? DeviceFacts.NONE
                    : new DeviceFacts(null, null, null, null, parsed.metadataPrivacy());
            events = handoff.run(new HandoffRequest(parsed.conversation(), profile, facts));
        } catch (InvalidRequest e) {
            json(context.response(), 400, errorJson("invalid_request_error", e.getMessage(), e.param(), null));
            return;
        } catch (IllegalArgumentException e) {
            json(context.response(), 400, errorJson("invalid_request_error", e.getMessage(), null, null));
            return;
        }
        Completion completion = new Completion("chatcmpl-" + UUID.randomUUID().toString().replace("-", ""),
                Instant.now().getEpochSecond(), parsed.model() != null ? parsed.model() : "handoff");
        if (parsed.stream()) {
            stream(context.response(), completion, events);
        } else {
            events.collect().asList().subscribe().with(
                    list -> {
                        Reply reply = completion.reply(list);
                        json(context.response(), reply.status(), reply.json());
                    },
                    failure -> json(context.response(), 500, unexpected(failure)));
        }
    }

    /** Header, then metadata.profile, then a user field naming a profile, then the configured default. */
    private String profile(ChatCompletionRequest request, String header) {
        if (header != null && !header.isBlank()) {
            return header.trim();
        }
        if (request.metadataProfile() != null) {
            return request.metadataProfile();
        }
        if (request.user() != null && profiles.contains(request.user())) {
            return request.user().trim();
        }
        String fallback = config.defaultProfile();
        if (!profiles.contains(fallback)) {
            throw new IllegalArgumentException("the request names no device profile and the default profile '"
                    + fallback + "' (handoff.sample.default-profile) is unknown: send the " + HandoffResource.PROFILE_HEADER
                    + " header or metadata.profile with one of " + profiles.names()
                    + ", or set handoff.sample.default-profile to one of them");
        }
        return fallback;
    }

    private void stream(HttpServerResponse response, Completion completion, Multi<HandoffEvent> events) {
        response.setStatusCode(200).setChunked(true)
                .putHeader("Content-Type", SSE).putHeader("Cache-Control", "no-cache");
        Multi<String> chunks = Multi.createBy().concatenating().streams(
                Multi.createFrom().item(() -> sse(completion.chunk(role()))),
                events.onItem().transformToIterable(completion::chunks).map(this::sse),
                Multi.createFrom().item("data: [DONE]\n\n"));
        chunks.subscribe().withSubscriber(new Flow.Subscriber<String>() {
            private volatile Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                // the client went away: stop the handoff (the opener stops decoding, the cloud request is cancelled)
                response.closeHandler(ignored -> s.cancel());
                s.request(1);
            }

            @Override
            public void onNext(String chunk) {
                response.write(chunk).onComplete(written -> {
                    if (written.succeeded()) {
                        subscription.request(1);
                    } else {
                        subscription.cancel();
                    }
                });
            }

            @Override
            public void onError(Throwable failure) {
                ObjectNode error = unexpected(failure);
                if (!response.ended() && !response.closed()) {
                    response.end(sse(error));
                }
            }

            @Override
            public void onComplete() {
                if (!response.ended() && !response.closed()) {
                    response.end();
                }
            }
        });
    }

    private static void json(HttpServerResponse response, int status, Object body) {
        if (response.ended() || response.closed()) {
            return;
        }
        response.setStatusCode(status).putHeader("Content-Type", JSON).end(Buffer.buffer(body.toString()));
    }

    /** A failure the handoff did not turn into an error event: a fault of the service, logged with its trace. */
    private ObjectNode unexpected(Throwable failure) {
        LOG.errorf(failure, "The chat completion failed");
        return errorJson("server_error", "the handoff failed on the device: the service log has the details", null,
                ErrorEvent.HANDOFF_FAILED);
    }

    /** The OpenAI error of a handoff's error event: a conversation too long is the request's fault. */
    private ObjectNode errorJson(ErrorEvent error) {
        boolean tooLong = ErrorEvent.CONVERSATION_TOO_LONG.equals(error.code());
        return errorJson(tooLong ? "invalid_request_error" : "server_error", error.message(),
                tooLong ? "messages" : null, error.code());
    }

    /** The HTTP status of a handoff's error event: 400 for a conversation too long, 503 without an opener. */
    private static int status(ErrorEvent error) {
        return switch (error.code()) {
            case ErrorEvent.CONVERSATION_TOO_LONG -> 400;
            case ErrorEvent.OPENER_UNAVAILABLE -> 503;
            default -> 500;
        };
    }

    private ObjectNode errorJson(String type, String message, String param, String code) {
        return openAiError(mapper, type, message, param, code);
    }

    /** OpenAI's error shape: {@code {"error":{"message","type","param","code"}}}. */
    static ObjectNode openAiError(ObjectMapper mapper, String type, String message, String param, String code) {
        ObjectNode error = mapper.createObjectNode();
        error.put("message", message).put("type", type).put("param", param).put("code", code);
        ObjectNode root = mapper.createObjectNode();
        root.set("error", error);
        return root;
    }

    /** One Server-Sent Event with the JSON as its data. */
    private String sse(ObjectNode data) {
        return "data: " + data.toString() + "\n\n";
    }

    private ObjectNode role() {
        ObjectNode delta = mapper.createObjectNode();
        delta.put("role", "assistant").put("content", "");
        return delta;
    }

    private record Reply(int status, String json) {
    }

    /** The state of one completion while its events arrive. */
    private final class Completion {
        private final String id;
        private final long created;
        private final String model;
        private final AtomicReference<PlanEvent> plan = new AtomicReference<>();

        Completion(String id, long created, String model) {
            this.id = id;
            this.created = created;
            this.model = model;
        }

        ObjectNode chunk(ObjectNode delta) {
            return chunk(delta, null);
        }

        ObjectNode chunk(ObjectNode delta, String finishReason) {
            ObjectNode chunk = head("chat.completion.chunk");
            ObjectNode choice = chunk.putArray("choices").addObject();
            choice.put("index", 0);
            choice.set("delta", delta);
            choice.putNull("logprobs");
            choice.put("finish_reason", finishReason);
            return chunk;
        }

        List<ObjectNode> chunks(HandoffEvent event) {
            if (event instanceof OpenerEvent opener) {
                return List.of(chunk(content(opener.text())));
            } else if (event instanceof ContinuationEvent continuation) {
                return List.of(chunk(content(continuation.delta())));
            } else if (event instanceof PlanEvent planned) {
                plan.set(planned);
            } else if (event instanceof DoneEvent done) {
                ObjectNode last = chunk(mapper.createObjectNode(), "stop");
                last.set("handoff", handoffInfo(done));
                return List.of(last);
            } else if (event instanceof ErrorEvent error) {
                return List.of(errorJson(error));
            }
            return List.of();
        }

        Reply reply(List<HandoffEvent> events) {
            DoneEvent done = null;
            for (HandoffEvent event : events) {
                if (event instanceof PlanEvent planned) {
                    plan.set(planned);
                } else if (event instanceof DoneEvent d) {
                    done = d;
                } else if (event instanceof ErrorEvent error) {
                    return new Reply(status(error), errorJson(error).toString());
                }
            }
            if (done == null) {
                return new Reply(500, errorJson("server_error", "the handoff ended without a reply", null,
                        "handoff-incomplete").toString());
            }
            ObjectNode completion = head("chat.completion");
            ObjectNode choice = completion.putArray("choices").addObject();
            choice.put("index", 0);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant").put("content", done.text());
            message.putNull("refusal");
            choice.putNull("logprobs");
            choice.put("finish_reason", "stop");
            completion.set("handoff", handoffInfo(done));
            return new Reply(200, completion.toString());
        }

        private ObjectNode head(String object) {
            ObjectNode head = mapper.createObjectNode();
            head.put("id", id).put("object", object).put("created", created).put("model", model);
            return head;
        }

        private ObjectNode content(String text) {
            ObjectNode delta = mapper.createObjectNode();
            delta.put("content", text);
            return delta;
        }

        private ObjectNode handoffInfo(DoneEvent done) {
            ObjectNode info = mapper.createObjectNode();
            PlanEvent planned = plan.get();
            if (planned != null) {
                info.put("profile", planned.plan().profile());
                ArrayNode rules = info.putArray("firedRules");
                planned.plan().firedRules().forEach(rules::add);
            }
            info.put("opener", done.opener());
            info.put("strategy", done.strategy());
            info.put("continuator", done.continuator());
            info.put("degraded", done.degraded());
            info.put("degradedCode", done.degradedCode());
            info.put("degradedReason", done.degradedReason());
            info.put("correction", done.correction());
            info.set("timings", mapper.valueToTree(done.timings()));
            return info;
        }
    }
}
