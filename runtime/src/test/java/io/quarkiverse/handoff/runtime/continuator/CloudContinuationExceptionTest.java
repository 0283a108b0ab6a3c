package io.quarkiverse.handoff.runtime.continuator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CancellationException;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.langchain4j.exception.HttpException;
import io.quarkiverse.handoff.runtime.continuator.CloudContinuationException.Kind;

/** Every cloud failure is named, with a message for people that names no class and no address. */
class CloudContinuationExceptionTest {

    static final String INTERNAL = "io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: "
            + "/10.1.2.3:8443";

    static CloudContinuationException named(Throwable failure, boolean answerStarted) {
        CloudContinuationException named = CloudContinuationException.of(failure, answerStarted);
        assertThat(named.getMessage()).doesNotContain("Exception").doesNotContain("10.1.2.3")
                .doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Z]");
        return named;
    }

    @Test
    void aConnectionFailureIsNamedByWhetherTheAnswerHadStarted() {
        ConnectException refused = new ConnectException(INTERNAL);
        assertThat(named(refused, false).kind()).isEqualTo(Kind.CONNECTION_FAILED);
        assertThat(named(new RuntimeException(refused), true).kind()).isEqualTo(Kind.CONNECTION_LOST);
        assertThat(named(refused, false).code()).isEqualTo("connection-failed");
        assertThat(named(refused, false).detail()).as("the log keeps what it was").contains("10.1.2.3");
    }

    @Test
    void anHttpErrorIsNamedWithItsStatus() {
        CloudContinuationException named = named(new HttpException(503, "{\"error\":{\"message\":\"overloaded\"}}"),
                false);
        assertThat(named.kind()).isEqualTo(Kind.HTTP_ERROR);
        assertThat(named.getMessage()).isEqualTo("the cloud answered HTTP 503");
        assertThat(named.detail()).contains("overloaded");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens. However, your messages "
                    + "resulted in 9001 tokens.\",\"type\":\"invalid_request_error\","
                    + "\"code\":\"context_length_exceeded\"}}",
            "{\"error\":{\"code\":400,\"message\":\"the request exceeds the available context size\","
                    + "\"type\":\"exceed_context_size_error\"}}",
            "{\"error\":\"prompt is too long: 210000 tokens > 200000 maximum\"}" })
    void aConversationTheCloudCannotTakeIsNamedSo(String body) {
        CloudContinuationException named = named(new HttpException(400, body), false);
        assertThat(named.kind()).isEqualTo(Kind.CONVERSATION_TOO_LONG);
        assertThat(named.code()).isEqualTo("conversation-too-long");
        assertThat(named.getMessage()).contains("drop the earliest turns");
        assertThat(CloudContinuationException.of(new HttpException(413, ""), false).kind())
                .isEqualTo(Kind.CONVERSATION_TOO_LONG);
        assertThat(ContinuationGuard.countsAgainstTheCloud(new HttpException(400, body)))
                .as("the breaker does not count it against the cloud").isFalse();
        assertThat(ContinuationGuard.retryable(new HttpException(400, body))).isFalse();
    }

    @Test
    void anotherClientErrorIsAnHttpError() {
        assertThat(named(new HttpException(401, "{\"error\":{\"message\":\"Incorrect API key\"}}"), false).kind())
                .isEqualTo(Kind.HTTP_ERROR);
    }

    @Test
    void theBreakerAndAnythingElseAreNamedToo() {
        assertThat(named(new CircuitBreakerOpenException("quarkus-handoff cloud continuation"), false).kind())
                .isEqualTo(Kind.CIRCUIT_OPEN);
        CloudContinuationException other = named(new IllegalStateException("java.lang.Foo at 10.1.2.3"), false);
        assertThat(other.kind()).isEqualTo(Kind.FAILED);
        assertThat(other.code()).isEqualTo("cloud-failed");
        CloudContinuationException stalled = new CloudContinuationException(Kind.STALLED, "stalled");
        assertThat(CloudContinuationException.of(stalled, true)).isSameAs(stalled);
    }

    @Test
    void retriesAndTheBreakerFollowTheName() {
        assertThat(ContinuationGuard.retryable(CloudContinuationException.connectionFailed(new ConnectException())))
                .isTrue();
        assertThat(ContinuationGuard.retryable(new CloudContinuationException(Kind.ERROR_EVENT, "error"))).isTrue();
        assertThat(ContinuationGuard.retryable(new CloudContinuationException(Kind.MALFORMED_STREAM, "bad")))
                .isFalse();
        assertThat(ContinuationGuard.retryable(new CircuitBreakerOpenException("open"))).isFalse();
        assertThat(ContinuationGuard.countsAgainstTheCloud(new CancellationException())).isFalse();
        assertThat(ContinuationGuard.countsAgainstTheCloud(new HttpException(500, "boom"))).isTrue();
        // the wire client's own HTTP errors: retried by status, after the cloud's Retry-After
        CloudContinuationException tooMany = CloudContinuationException.httpError(429, "slow down", null,
                Duration.ofSeconds(1));
        assertThat(ContinuationGuard.retryable(tooMany)).isTrue();
        assertThat(tooMany.retryAfter()).hasValue(Duration.ofSeconds(1));
        assertThat(tooMany.getMessage()).isEqualTo("the cloud answered HTTP 429");
        assertThat(ContinuationGuard.retryable(CloudContinuationException.httpError(503, "", null))).isTrue();
        assertThat(ContinuationGuard.retryable(CloudContinuationException.httpError(401, "", null))).isFalse();
        // a failure once text was shown is never retried, and counts against the cloud all the same
        ContinuationGuard.NotRetried midStream = new ContinuationGuard.NotRetried(
                new CloudContinuationException(Kind.ERROR_EVENT, "error"));
        assertThat(ContinuationGuard.retryable(midStream)).isFalse();
        assertThat(ContinuationGuard.countsAgainstTheCloud(midStream)).isTrue();
        assertThat(ContinuationGuard.countsAgainstTheCloud(new ContinuationGuard.NotRetried(
                new CloudContinuationException(Kind.STALLED, "stalled")))).isTrue();
    }
}
