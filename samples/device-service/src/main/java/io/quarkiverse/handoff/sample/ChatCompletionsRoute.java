package io.quarkiverse.handoff.sample;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

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
import io.quarkiverse.handoff.runtime.opener.OnnxOpener;
import io.quarkiverse.handoff.runtime.opener.OpenerEngine;
import io.quarkiverse.handoff.sample.ChatCompletionRequest.InvalidRequest;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.subscription.Cancellable;
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
 * {@code model} when it names a profile ({@code GET /v1/models} lists them), else the {@code user} field when it names
 * one, else the default profile ({@link ProfileChoice}). {@code metadata.privacy} ({@code sensitive}) asks for personal
 * data to be masked before the cloud. Bad requests, and parameters the service cannot honour
 * ({@link ChatCompletionRequest#UNSUPPORTED}, {@code n > 1}), get 400 with OpenAI's error shape
 * {@code {"error":{"message":..,"type":"invalid_request_error","param":..,"code":..}}}.
 * <p>
 * {@code max_tokens} and {@code stop} apply to the reply the client gets, opener included ({@link ReplyLimits}); the
 * handoff is cancelled where the reply ends, and the cloud is asked for no more than the request allows, as it is for
 * {@code temperature}. {@code usage} counts with the opener model's tokenizer: the prompt is the conversation as that
 * model reads it, the completion the reply the client got.
 * <p>
 * Beside the standard fields, the last chunk (or the completion) carries a {@code handoff} object: profile, opener,
 * strategy, continuator, degraded (with degradedCode and degradedReason), where and why the opener stopped, the fired
 * rules and the timings (a reply cut
 * by {@code max_tokens} or {@code stop} ends the handoff early: only what was decided by then). OpenAI clients ignore
 * it. A handoff that ends with an error is OpenAI's error shape with the error event's code: HTTP 400
 * ({@code invalid_request_error}) when the cloud refused the conversation as too long, 503 when there is no opener
 * model, 500 otherwise; in a stream, the same error object is the event before {@code [DONE]}.
 * <p>
 * A Vert.x route rather than a REST resource: whether the answer is a stream or one JSON document depends on the
 * body's {@code stream} field, not on content negotiation. Nothing here blocks: the body is read by Vert.x, each
 * event is written as it is emitted, the next is requested once the write is done, and the prompt's tokens are
 * counted on a worker thread.
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
    ProfileChoice profiles;

    @Inject
    ConversationLimits limits;

    @Inject
    OnnxOpener openerModel;

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
            limits.check(parsed.conversation());
            events = handoff.run(new HandoffRequest(parsed.conversation(), profile, facts, parsed.limits()));
        } catch (ConversationLimits.TooLarge e) {
            json(context.response(), 413, errorJson("invalid_request_error", e.getMessage(), e.param(), e.code()));
            return;
        } catch (InvalidRequest e) {
            json(context.response(), 400, errorJson("invalid_request_error", e.getMessage(), e.param(), null));
            return;
        } catch (IllegalArgumentException e) {
            json(context.response(), 400, errorJson("invalid_request_error", e.getMessage(), null, null));
            return;
        }
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = Instant.now().getEpochSecond();
        // the opener model's tokenizer counts and cuts the reply; without an opener model there is none
        Uni<OpenerEngine> counter = openerModel.engine().onFailure().recoverWithNull();
        if (parsed.stream()) {
            stream(context.response(), counter.onItem().transformToMulti(
                    engine -> new Completion(id, created, parsed, engine).chunks(events)));
        } else {
            Cancellable completion = counter.onItem()
                    .transformToUni(engine -> new Completion(id, created, parsed, engine).reply(events))
                    .subscribe().with(
                            reply -> json(context.response(), reply.status(), reply.json()),
                            failure -> json(context.response(), 500, unexpected(failure)));
            // the client went away before its reply: stop the handoff (the cloud request is cancelled)
            context.response().closeHandler(ignored -> completion.cancel());
        }
    }

    /**
     * Header, then metadata.profile, then a model or user field naming a profile, then the configured default: OpenAI
     * clients send a model of their own (e.g. "gpt-4o-mini") and an end-user id as user, which select nothing.
     */
    private String profile(ChatCompletionRequest request, String header) {
        if (header != null && !header.isBlank()) {
            return header.trim();
        }
        if (request.metadataProfile() != null) {
            return request.metadataProfile();
        }
        if (profiles.isProfile(request.model())) {
            return request.model().trim();
        }
        if (profiles.isProfile(request.user())) {
            return request.user().trim();
        }
        return profiles.orDefault(null);
    }

    private void stream(HttpServerResponse response, Multi<ObjectNode> completion) {
        response.setStatusCode(200).setChunked(true)
                .putHeader("Content-Type", SSE).putHeader("Cache-Control", "no-cache");
        Multi<String> chunks = Multi.createBy().concatenating().streams(completion.map(this::sse),
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

    /** A piece of the reply the client gets; {@link #END} ends the reply (and cancels the rest of the handoff). */
    private record Piece(String text) {
        static final Piece END = new Piece("");
    }

    /** The state of one completion while its events arrive. */
    private final class Completion {
        private final String id;
        private final long created;
        private final String model;
        private final ChatCompletionRequest request;
        private final ReplyLimits limits;
        /** The prompt's tokens, counted on a worker thread while the handoff runs; null without an opener model. */
        private final Uni<Integer> promptTokens;
        private final StringBuilder openerText = new StringBuilder();
        private volatile PlanEvent plan;
        private volatile DoneEvent done;
        private volatile ErrorEvent error;

        Completion(String id, long created, ChatCompletionRequest request, OpenerEngine engine) {
            this.id = id;
            this.created = created;
            this.model = request.model() != null ? request.model() : "handoff";
            this.request = request;
            this.limits = new ReplyLimits(engine == null ? null : engine.tokenizer(), request.limits().maxTokens(),
                    request.limits().stop());
            this.promptTokens = engine == null || !(request.includeUsage() || !request.stream()) ? null
                    : countLater(engine);
        }

        private Uni<Integer> countLater(OpenerEngine engine) {
            CompletableFuture<Integer> counted = Uni.createFrom()
                    .item(() -> engine.promptTokens(request.conversation().messages()))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .subscribeAsCompletionStage();
            return Uni.createFrom().completionStage(counted);
        }

        /** The reply's text as the client gets it, cut by the request's limits. */
        private Multi<String> texts(Multi<HandoffEvent> events) {
            return events.onItem().transformToIterable(this::pieces)
                    // the reply ended (cut, done or failed): completing here cancels what is left of the handoff
                    .select().first(piece -> piece != Piece.END)
                    .map(Piece::text);
        }

        private List<Piece> pieces(HandoffEvent event) {
            String text = null;
            if (event instanceof OpenerEvent opener) {
                openerText.append(opener.text());
                text = limits.accept(opener.text());
            } else if (event instanceof ContinuationEvent continuation) {
                text = limits.accept(continuation.delta());
            } else if (event instanceof PlanEvent planned) {
                plan = planned;
            } else if (event instanceof DoneEvent d) {
                done = d;
                text = limits.finish();
            } else if (event instanceof ErrorEvent e) {
                error = e;
                return List.of(Piece.END);
            }
            List<Piece> pieces = new ArrayList<>(2);
            if (text != null && !text.isEmpty()) {
                pieces.add(new Piece(text));
            }
            if (limits.ended()) {
                pieces.add(Piece.END);
            }
            return pieces;
        }

        /** The streamed completion: the role, the reply's pieces, then its end (and usage) or its error. */
        Multi<ObjectNode> chunks(Multi<HandoffEvent> events) {
            return Multi.createBy().concatenating().streams(
                    Multi.createFrom().item(() -> chunk(role(), null)),
                    texts(events).map(text -> chunk(content(text), null)),
                    Multi.createFrom().deferred(this::ending));
        }

        private Multi<ObjectNode> ending() {
            if (error != null) {
                return Multi.createFrom().item(errorJson(error));
            }
            if (!limits.ended()) {
                return Multi.createFrom().item(incomplete());
            }
            ObjectNode last = chunk(mapper.createObjectNode(), limits.finishReason());
            last.set("handoff", handoffInfo());
            if (!request.includeUsage()) {
                return Multi.createFrom().item(last);
            }
            return usage().onItem().transformToMulti(usage -> {
                if (usage == null) {
                    return Multi.createFrom().item(last);
                }
                // OpenAI's usage chunk: no choices, the usage of the whole request
                ObjectNode usageChunk = head("chat.completion.chunk");
                usageChunk.putArray("choices");
                usageChunk.set("usage", usage);
                return Multi.createFrom().items(last, usageChunk);
            });
        }

        /** The one-document completion, once the reply ended. */
        Uni<Reply> reply(Multi<HandoffEvent> events) {
            return texts(events).collect().asList().onItem().transformToUni(ignored -> {
                if (error != null) {
                    return Uni.createFrom().item(new Reply(status(error), errorJson(error).toString()));
                }
                if (!limits.ended()) {
                    return Uni.createFrom().item(new Reply(500, incomplete().toString()));
                }
                return usage().map(usage -> {
                    ObjectNode completion = head("chat.completion");
                    ObjectNode choice = completion.putArray("choices").addObject();
                    choice.put("index", 0);
                    ObjectNode message = choice.putObject("message");
                    message.put("role", "assistant").put("content", limits.text());
                    message.putNull("refusal");
                    choice.putNull("logprobs");
                    choice.put("finish_reason", limits.finishReason());
                    completion.set("usage", usage);
                    completion.set("handoff", handoffInfo());
                    return new Reply(200, completion.toString());
                });
            });
        }

        /** {@code usage} as OpenAI reports it, counted by the opener model's tokenizer; null without one. */
        private Uni<ObjectNode> usage() {
            if (promptTokens == null) {
                return Uni.createFrom().nullItem();
            }
            return promptTokens.map(prompt -> {
                int completion = limits.tokens();
                ObjectNode usage = mapper.createObjectNode();
                usage.put("prompt_tokens", prompt).put("completion_tokens", completion)
                        .put("total_tokens", prompt + completion);
                return usage;
            });
        }

        private ObjectNode incomplete() {
            return errorJson("server_error", "the handoff ended without a reply", null, "handoff-incomplete");
        }

        ObjectNode chunk(ObjectNode delta, String finishReason) {
            ObjectNode chunk = head("chat.completion.chunk");
            ObjectNode choice = chunk.putArray("choices").addObject();
            choice.put("index", 0);
            choice.set("delta", delta);
            choice.putNull("logprobs");
            choice.put("finish_reason", finishReason);
            if (request.includeUsage()) {
                // as OpenAI does: every chunk has the field, only the last one a value
                chunk.putNull("usage");
            }
            return chunk;
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

        /** What the handoff decided and did; a reply cut before the handoff's end has no done event's fields. */
        private ObjectNode handoffInfo() {
            ObjectNode info = mapper.createObjectNode();
            PlanEvent planned = plan;
            if (planned != null) {
                info.put("profile", planned.plan().profile());
                ArrayNode rules = info.putArray("firedRules");
                planned.plan().firedRules().forEach(rules::add);
            }
            DoneEvent finished = done;
            if (finished == null) {
                info.put("opener", openerText.toString());
                return info;
            }
            info.put("opener", finished.opener());
            info.put("strategy", finished.strategy());
            info.put("continuator", finished.continuator());
            info.put("degraded", finished.degraded());
            info.put("degradedCode", finished.degradedCode());
            info.put("degradedReason", finished.degradedReason());
            info.put("correction", finished.correction());
            info.set("openerStop", mapper.valueToTree(finished.openerStop()));
            info.set("timings", mapper.valueToTree(finished.timings()));
            return info;
        }
    }
}
