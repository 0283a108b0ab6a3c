package io.quarkiverse.handoff.runtime.continuator;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import dev.langchain4j.exception.HttpException;

/**
 * The cloud did not deliver a continuation, named: every way a cloud call fails is one {@link Kind}, with a stable
 * {@link Kind#code() code} (the done event's {@code degradedCode}) and a short message for people (its
 * {@code degradedReason}) that names neither exception classes nor addresses. What the failure really was (the
 * underlying exception, the cloud's own error text) is the {@link #getCause() cause} and the {@link #detail()}, for
 * the log only.
 * <p>
 * The handoff finishes the reply on the device on every kind but {@link Kind#CONVERSATION_TOO_LONG}, which is the
 * request's fault, not the cloud's: the handoff then ends with an error.
 */
public class CloudContinuationException extends RuntimeException {

    /** How a cloud continuation failed. */
    public enum Kind {
        /** No first token within the plan's deadline (across retries). */
        FIRST_TOKEN_TIMEOUT("first-token-timeout", false),
        /** The stream started, then went silent for longer than the idle timeout. */
        STALLED("stalled", false),
        /** The stream ended without any text. */
        EMPTY("empty-answer", false),
        /** The cloud sent an error event inside its 200 stream. Before any text, another try may work. */
        ERROR_EVENT("error-event", true),
        /** An event of the stream is not a chat completion chunk (or the answer is not an event stream). */
        MALFORMED_STREAM("malformed-stream", false),
        /** The body ended before the stream's end marker: the answer was cut short. */
        TRUNCATED("truncated", false),
        /** No connection, or it closed before the cloud answered. */
        CONNECTION_FAILED("connection-failed", true),
        /** The connection closed in the middle of the answer. */
        CONNECTION_LOST("connection-lost", false),
        /**
         * The cloud answered with an HTTP error status (retried on 5xx, 408 and 429, after its {@code Retry-After} when
         * it gave one).
         */
        HTTP_ERROR("http-error", false),
        /** The circuit breaker is open: the cloud failed repeatedly and is not called for a while. */
        CIRCUIT_OPEN("circuit-open", false),
        /** The cloud refused the conversation as longer than its model accepts. */
        CONVERSATION_TOO_LONG("conversation-too-long", false),
        /** Anything else. */
        FAILED("cloud-failed", false);

        private final String code;
        private final boolean retryable;

        Kind(String code, boolean retryable) {
            this.code = code;
            this.retryable = retryable;
        }

        /** The stable, machine-readable name of this failure. */
        public String code() {
            return code;
        }

        /** Whether another attempt may work (only ever made before any text reached the user). */
        boolean retryable() {
            return retryable;
        }
    }

    /** What model servers say when a request is longer than the model's context (OpenAI, vLLM, llama.cpp, Ollama). */
    private static final Pattern TOO_LONG = Pattern.compile(
            "context[_ ]length|context[_ ]window|context[_ ]size|maximum context|prompt is too long"
                    + "|too many (input )?tokens",
            Pattern.CASE_INSENSITIVE);

    private final Kind kind;
    private final String detail;
    /** The HTTP status of an {@link Kind#HTTP_ERROR}, else 0. */
    private final int status;
    /** How long the cloud asked to wait before another request ({@code Retry-After}), when it said. */
    private final Duration retryAfter;

    public CloudContinuationException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    /**
     * @param message what happened, for people: no exception class, no address
     * @param detail what the cloud or the connection said, for the log only (nullable)
     * @param cause the underlying failure, for the log only (nullable)
     */
    public CloudContinuationException(Kind kind, String message, String detail, Throwable cause) {
        this(kind, message, detail, cause, 0, null);
    }

    private CloudContinuationException(Kind kind, String message, String detail, Throwable cause, int status,
            Duration retryAfter) {
        super(message, cause, false, false);
        this.kind = kind;
        this.detail = detail;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** The done event's {@code degradedCode}. */
    public String code() {
        return kind.code();
    }

    /** The cloud's HTTP status when it answered with an error status, else 0. */
    public int status() {
        return status;
    }

    /** How long the cloud asked to wait before the next request (its {@code Retry-After}), when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * Whether another attempt may work: the kind's own answer, and for an HTTP error its status (5xx, 408, 429).
     */
    boolean retryable() {
        if (kind == Kind.HTTP_ERROR) {
            return retryableStatus(status);
        }
        return kind.retryable();
    }

    /** The statuses worth another try: the server's trouble (5xx), a timeout (408), too many requests (429). */
    static boolean retryableStatus(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    /** What the failure really was, for the log: the cloud's own words, the connection's error. */
    public String detail() {
        if (detail != null) {
            return detail;
        }
        return getCause() == null ? getMessage() : getCause().toString();
    }

    /**
     * Names any failure of a continuation.
     *
     * @param answerStarted whether text of the answer had arrived when it failed (a connection failure then means the
     *        connection was lost rather than never made)
     */
    public static CloudContinuationException of(Throwable failure, boolean answerStarted) {
        if (failure instanceof CloudContinuationException named) {
            return named;
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return new CloudContinuationException(Kind.CIRCUIT_OPEN,
                    "the cloud's circuit breaker is open after repeated failures", null, failure);
        }
        HttpException http = find(failure, HttpException.class);
        if (http != null) {
            return httpError(http.statusCode(), http.getMessage(), failure);
        }
        if (isConnectionFailure(failure)) {
            return answerStarted ? connectionLost(failure) : connectionFailed(failure);
        }
        return new CloudContinuationException(Kind.FAILED, "the continuation request failed", null, failure);
    }

    /** An HTTP error status, with the cloud's body: a conversation too long for the cloud's model is named so. */
    static CloudContinuationException httpError(int status, String body, Throwable cause) {
        return httpError(status, body, cause, null);
    }

    /**
     * An HTTP error status, with the cloud's body and its {@code Retry-After} (nullable): a conversation too long for
     * the cloud's model is named so.
     */
    static CloudContinuationException httpError(int status, String body, Throwable cause, Duration retryAfter) {
        String detail = "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + oneLine(body))
                + (retryAfter == null ? "" : " (retry after " + retryAfter.toMillis() + " ms)");
        if (status == 413 || (status >= 400 && status < 500 && body != null && TOO_LONG.matcher(body).find())) {
            return new CloudContinuationException(Kind.CONVERSATION_TOO_LONG,
                    "the conversation is longer than the cloud model accepts: send fewer or shorter messages "
                            + "(drop the earliest turns)",
                    detail, cause);
        }
        return new CloudContinuationException(Kind.HTTP_ERROR, "the cloud answered HTTP " + status, detail, cause,
                status, retryAfter);
    }

    static CloudContinuationException connectionFailed(Throwable cause) {
        return new CloudContinuationException(Kind.CONNECTION_FAILED,
                "the cloud could not be reached: the connection failed or closed before it answered", null, cause);
    }

    static CloudContinuationException connectionLost(Throwable cause) {
        return new CloudContinuationException(Kind.CONNECTION_LOST,
                "the connection to the cloud was lost in the middle of its answer", null, cause);
    }

    /** Whether the failure is the connection's: refused, reset, closed, unresolvable host, TLS. */
    static boolean isConnectionFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof ClosedChannelException
                    || t instanceof SSLException || t instanceof SocketException) {
                return true;
            }
            String name = t.getClass().getName();
            // Vert.x and Netty name a closed connection by class, without a common JDK supertype
            if (name.endsWith("HttpClosedException") || name.endsWith("StacklessClosedChannelException")
                    || (t.getMessage() != null
                            && t.getMessage().toLowerCase(Locale.ROOT).contains("connection was closed"))) {
                return true;
            }
        }
        return false;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** A cloud's text on one line and bounded, for the log. */
    static String oneLine(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= 300 ? line : line.substring(0, 300) + "…";
    }
}
