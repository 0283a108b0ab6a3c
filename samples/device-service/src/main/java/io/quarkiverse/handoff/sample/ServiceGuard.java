package io.quarkiverse.handoff.sample;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * What every {@code /v1} request passes before anything reads its body: the API key when one is configured
 * ({@code handoff.sample.api-key}), a JSON {@code Content-Type} on a {@code POST} (so that a web page elsewhere cannot
 * send one without a CORS preflight, which is refused unless {@code quarkus.http.cors.origins} allows it), and the
 * body limit ({@code quarkus.http.limits.max-body-size}) of a body that declares its length.
 * <p>
 * It runs on the root router ahead of Quarkus's own body-size check, which ends an oversized request with a bare 413:
 * here the client learns the limit and the property that sets it. Each answer is the endpoint's own error shape:
 * OpenAI's on {@code /v1/chat/completions}, {@code {code, message}} elsewhere.
 */
@ApplicationScoped
public class ServiceGuard {

    /** Ahead of Quarkus's upload limit, so that an oversized body gets a JSON answer, not a bare 413. */
    static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;
    static final String API_KEY_HEADER = "X-API-Key";
    static final String BODY_LIMIT_PROPERTY = "quarkus.http.limits.max-body-size";
    /** An oversized body up to this many times the limit is read and dropped rather than cut off. */
    private static final long DRAIN_FACTOR = 16;
    private static final Pattern MATRIX_PARAMETERS = Pattern.compile(";[^/]*");

    @Inject
    SampleConfig config;

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = BODY_LIMIT_PROPERTY)
    MemorySize maxBodySize;

    private byte[] apiKeyDigest;

    void register(@Observes Router router) {
        apiKeyDigest = config.apiKey().map(ServiceGuard::digest).orElse(null);
        router.route().order(ORDER).handler(this::check);
    }

    void check(RoutingContext context) {
        if (!guarded(context.normalizedPath())) {
            context.next();
            return;
        }
        HttpServerRequest request = context.request();
        if (apiKeyDigest != null && !authorized(request)) {
            context.response().putHeader("WWW-Authenticate", "Bearer realm=\"handoff\"");
            refuse(context, 401, "unauthorized", "this service needs its API key: send it as 'Authorization: Bearer KEY'"
                    + " or '" + API_KEY_HEADER + ": KEY' (the key is the service's handoff.sample.api-key)");
            return;
        }
        if (request.method() == HttpMethod.POST) {
            if (!isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
                refuse(context, 415, "unsupported-media-type",
                        "send the body as JSON with the header Content-Type: application/json");
                return;
            }
            long declared = declaredLength(request);
            if (declared > maxBodySize.asLongValue()) {
                refuseTooLarge(context, declared);
                return;
            }
        }
        context.next();
    }

    /**
     * Answers 413 and discards the body as it arrives (nothing is kept), so that a client that sends its whole body
     * before reading reads the answer instead of a reset connection; a body declared many times over the limit is
     * not worth draining, and its connection closes after the answer.
     */
    private void refuseTooLarge(RoutingContext context, long declared) {
        HttpServerRequest request = context.request();
        context.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        if (declared <= DRAIN_FACTOR * maxBodySize.asLongValue()) {
            request.handler(discarded -> {
            });
            request.resume();
        } else {
            context.response().endHandler(ended -> request.connection().close());
        }
        refuse(context, 413, "request-too-large", tooLarge(maxBodySize.asLongValue()));
    }

    /**
     * Whether a path reaches the {@code /v1} endpoints. Quarkus REST drops {@code ;parameters} from path segments and
     * Vert.x collapses no slashes, so the path is read the way the endpoints will see it: {@code /v1;x/handoff} and
     * {@code //v1/handoff} are guarded like {@code /v1/handoff}.
     */
    static boolean guarded(String path) {
        String endpoint = endpointPath(path);
        return endpoint.equals("/v1") || endpoint.startsWith("/v1/");
    }

    private static String endpointPath(String path) {
        return MATRIX_PARAMETERS.matcher(path).replaceAll("").replaceAll("/{2,}", "/");
    }

    /** What a client is told when its body is over the limit; the chat route says the same for chunked bodies. */
    static String tooLarge(long limit) {
        return "the request body is larger than the " + readable(limit) + " this service accepts: send fewer or"
                + " shorter messages, or raise " + BODY_LIMIT_PROPERTY;
    }

    private boolean authorized(HttpServerRequest request) {
        String given = request.getHeader(API_KEY_HEADER);
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (given == null && authorization != null
                && authorization.regionMatches(true, 0, "Bearer ", 0, "Bearer ".length())) {
            given = authorization.substring("Bearer ".length()).trim();
        }
        // equal-length digests compared in constant time: neither the key's length nor its prefix leaks
        return given != null && MessageDigest.isEqual(apiKeyDigest, digest(given));
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String mediaType = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim()
                .toLowerCase(Locale.ROOT);
        return mediaType.equals("application/json");
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // Vert.x itself refuses a malformed Content-Length
        }
    }

    private void refuse(RoutingContext context, int status, String code, String message) {
        ObjectNode body;
        if (endpointPath(context.normalizedPath()).startsWith(ChatCompletionsRoute.PATH)) {
            body = ChatCompletionsRoute.openAiError(mapper, status == 401 ? "authentication_error"
                    : "invalid_request_error", message, status == 413 ? "messages" : null, code);
        } else {
            body = mapper.valueToTree(new BadRequestMappers.Problem(code, message));
        }
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body.toString());
    }

    static String readable(long bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " bytes";
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
