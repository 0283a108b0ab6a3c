package io.quarkiverse.handoff.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * One span per handoff with the GenAI attributes, exported to an in-memory exporter (no collector, no network).
 */
@QuarkusTest
@TestProfile(HandoffTracingTest.Tracing.class)
@QuarkusTestResource(value = OpenAiServerResource.class, restrictToAnnotatedClass = true)
class HandoffTracingTest {

    /** Tracing on, exported only to the in-memory exporter bean, quickly. */
    public static class Tracing implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.exporter.otlp.enabled", "false",
                    "quarkus.otel.bsp.schedule.delay", "50ms");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void reset() {
        OpenAiServerResource.server.reset();
        OpenAiServerResource.server.script(List.of(" starting", " now,", " I'll buzz", " when it's done."));
        spans.reset();
    }

    private static String attribute(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    private Optional<SpanData> handoffSpan(String profile) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> profile.equals(attribute(s, "handoff.profile")))
                .findFirst();
    }

    @Test
    void aHandoffIsOneSpanWithGenAiAndHandoffAttributes() {
        given().contentType(ContentType.JSON)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"Set a timer for 10 minutes\"}],"
                        + "\"profile\":\"watch\"}")
                .when().post("/v1/handoff").then().statusCode(200);

        SpanData span = await().atMost(Duration.ofSeconds(10)).until(() -> handoffSpan("watch"), Optional::isPresent)
                .orElseThrow();
        assertThat(attribute(span, "gen_ai.operation.name")).isEqualTo("chat");
        assertThat(attribute(span, "gen_ai.system")).isEqualTo("openai");
        assertThat(attribute(span, "gen_ai.request.model")).isNotBlank();
        assertThat(span.getName()).isEqualTo("chat " + attribute(span, "gen_ai.request.model"));
        assertThat(attribute(span, "handoff.opener.model")).isEqualTo("demo-model");
        assertThat(attribute(span, "handoff.strategy")).as("a cloud strategy").isNotBlank().isNotEqualTo("local");
        assertThat(attribute(span, "handoff.continuator")).isNotBlank().isNotEqualTo("embedded");
        assertThat(attribute(span, "handoff.mode")).isEqualTo("hybrid");
        assertThat(span.getAttributes().get(AttributeKey.booleanKey("handoff.degraded"))).isFalse();
        assertThat(span.getAttributes().get(AttributeKey.stringArrayKey("handoff.fired_rules"))).isNotEmpty();
        assertThat(span.getAttributes().get(AttributeKey.longKey("handoff.opener.words"))).isPositive();
        assertThat(attribute(span, "handoff.opener.stop.reason")).as("the done event's openerStop.reason")
                .isIn("planned-words", "clause-boundary", "clause-search-limit", "low-confidence", "ungrounded-fact",
                        "end-of-reply", "decode-ended");
        for (String timing : List.of("opener_first_token_ms", "opener_first_word_ms", "cloud_first_token_ms",
                "seam_gap_ms", "total_ms")) {
            assertThat(span.getAttributes().get(AttributeKey.doubleKey("handoff.timing." + timing))).as(timing)
                    .isNotNull().isGreaterThanOrEqualTo(0.0);
        }
        double totalMs = span.getAttributes().get(AttributeKey.doubleKey("handoff.timing.total_ms"));
        double spanMs = (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6;
        // it starts when the handoff started and ends after its done event: at least the handoff's total time
        assertThat(spanMs).as("the span covers the whole handoff").isGreaterThanOrEqualTo(totalMs - 0.01);
        assertThat(span.getEvents()).extracting(e -> e.getName()).contains("handoff");
        assertThat(span.getInstrumentationScopeInfo().getName()).isEqualTo("io.quarkiverse.handoff");
    }

    @Test
    void aDegradedHandoffIsMarkedOnItsSpan() {
        OpenAiServerResource.server.failWith(500);
        given().contentType(ContentType.JSON)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"Set a timer for 10 minutes\"}],"
                        + "\"profile\":\"glasses\"}")
                .when().post("/v1/handoff").then().statusCode(200);
        SpanData span = await().atMost(Duration.ofSeconds(10)).until(() -> handoffSpan("glasses"), Optional::isPresent)
                .orElseThrow();
        assertThat(span.getAttributes().get(AttributeKey.booleanKey("handoff.degraded"))).isTrue();
        assertThat(attribute(span, "handoff.strategy")).isEqualTo("local");
    }
}
