package io.quarkiverse.handoff.runtime.observability;

import java.util.List;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attributes of the handoff span: OpenTelemetry GenAI semantic conventions where they apply, {@code handoff.*}
 * for the rest. Token usage ({@code gen_ai.usage.*}) is not reported: neither the opener nor the continuator report
 * token counts through the handoff's events.
 */
public final class HandoffSpanAttributes {

    /** Always {@code chat}. */
    public static final AttributeKey<String> GEN_AI_OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    /**
     * Who continues the reply: the quarkus-langchain4j provider (e.g. {@code openai}) or {@code onnxruntime} when the
     * on-device model finishes the reply itself (embedded continuator).
     */
    public static final AttributeKey<String> GEN_AI_SYSTEM = AttributeKey.stringKey("gen_ai.system");
    /** The continuing model: the cloud model's name, or the opener model's for the embedded continuator. */
    public static final AttributeKey<String> GEN_AI_REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    /** The opener's sampling temperature, as planned. */
    public static final AttributeKey<Double> GEN_AI_REQUEST_TEMPERATURE = AttributeKey
            .doubleKey("gen_ai.request.temperature");
    /** The opener's nucleus sampling mass, as planned. */
    public static final AttributeKey<Double> GEN_AI_REQUEST_TOP_P = AttributeKey.doubleKey("gen_ai.request.top_p");
    /** The error event's code when the handoff failed. */
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    public static final AttributeKey<String> PROFILE = AttributeKey.stringKey("handoff.profile");
    public static final AttributeKey<String> MODE = AttributeKey.stringKey("handoff.mode");
    public static final AttributeKey<String> HANDOFF_POINT = AttributeKey.stringKey("handoff.point");
    public static final AttributeKey<Long> PLANNED_OPENER_WORDS = AttributeKey.longKey("handoff.plan.opener_words");
    public static final AttributeKey<String> RECOVERY_METHOD = AttributeKey.stringKey("handoff.plan.recovery_method");
    public static final AttributeKey<List<String>> FIRED_RULES = AttributeKey.stringArrayKey("handoff.fired_rules");
    public static final AttributeKey<String> OPENER_MODEL = AttributeKey.stringKey("handoff.opener.model");
    public static final AttributeKey<Long> OPENER_WORDS = AttributeKey.longKey("handoff.opener.words");
    public static final AttributeKey<String> CONTINUATOR = AttributeKey.stringKey("handoff.continuator");
    public static final AttributeKey<Long> CONTINUATION_DELTAS = AttributeKey.longKey("handoff.continuation.deltas");
    public static final AttributeKey<String> STRATEGY = AttributeKey.stringKey("handoff.strategy");
    public static final AttributeKey<Boolean> DEGRADED = AttributeKey.booleanKey("handoff.degraded");
    public static final AttributeKey<String> CORRECTION_METHOD = AttributeKey.stringKey("handoff.correction.method");
    public static final AttributeKey<Boolean> ABANDONED = AttributeKey.booleanKey("handoff.abandoned");
    public static final AttributeKey<String> OPENER_STOP_REASON = AttributeKey.stringKey("handoff.opener.stop.reason");
    public static final AttributeKey<String> OPENER_STOP_FACT = AttributeKey.stringKey("handoff.opener.stop.fact");

    public static final AttributeKey<Double> OPENER_FIRST_TOKEN_MS = AttributeKey
            .doubleKey("handoff.timing.opener_first_token_ms");
    public static final AttributeKey<Double> OPENER_FIRST_WORD_MS = AttributeKey
            .doubleKey("handoff.timing.opener_first_word_ms");
    public static final AttributeKey<Double> OPENER_DONE_MS = AttributeKey.doubleKey("handoff.timing.opener_done_ms");
    public static final AttributeKey<Double> CLOUD_REQUEST_SENT_MS = AttributeKey
            .doubleKey("handoff.timing.cloud_request_sent_ms");
    public static final AttributeKey<Double> CLOUD_FIRST_TOKEN_MS = AttributeKey
            .doubleKey("handoff.timing.cloud_first_token_ms");
    public static final AttributeKey<Double> SEAM_GAP_MS = AttributeKey.doubleKey("handoff.timing.seam_gap_ms");
    public static final AttributeKey<Double> TOTAL_MS = AttributeKey.doubleKey("handoff.timing.total_ms");

    private HandoffSpanAttributes() {
    }
}
