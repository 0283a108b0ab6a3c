package io.quarkiverse.handoff.runtime.continuator;

import java.util.Map;
import java.util.Set;

/**
 * What a prefill request adds to the OpenAI protocol for the servers that need to be told to continue the final
 * assistant message: top-level fields of the request body (vLLM's {@code continue_final_message}), and fields of that
 * assistant message itself (Mistral's {@code "prefix": true}).
 *
 * @param parameters extra top-level fields of the request body
 * @param messageFields extra fields of the final (prefilled) assistant message
 */
record PrefillFields(Map<String, Object> parameters, Map<String, Object> messageFields) {

    static final PrefillFields NONE = new PrefillFields(Map.of(), Map.of());

    /** Fields the message already has: the opener's role and text are never replaced. */
    private static final Set<String> MESSAGE_OWN_FIELDS = Set.of("role", "content");
    /** Fields of the body the continuation itself writes: the conversation, the model and the streaming. */
    private static final Set<String> BODY_OWN_FIELDS = Set.of("messages", "model", "stream");

    PrefillFields {
        parameters = Map.copyOf(parameters);
        messageFields = Map.copyOf(messageFields);
    }

    /**
     * The configured fields, typed as JSON literals; a field that would replace the conversation, the model, the
     * streaming or the opener is refused.
     */
    static PrefillFields of(CloudContinuationConfig config) {
        for (String field : config.prefillParameters().keySet()) {
            if (BODY_OWN_FIELDS.contains(field)) {
                throw new IllegalArgumentException("quarkus.handoff.continuator.prefill-parameters." + field
                        + " would replace the request's own '" + field + "': remove it (the property adds fields to "
                        + "the request body, e.g. prefill-parameters.continue_final_message=true; the model is "
                        + "configured on its quarkus-langchain4j provider)");
            }
        }
        for (String field : config.prefillMessageFields().keySet()) {
            if (MESSAGE_OWN_FIELDS.contains(field)) {
                throw new IllegalArgumentException("quarkus.handoff.continuator.prefill-message-fields." + field
                        + " would replace the opener's own '" + field + "' in the prefilled assistant message: remove"
                        + " it (the property adds fields to that message, e.g. prefill-message-fields.prefix=true)");
            }
        }
        return new PrefillFields(LangChain4jContinuator.typed(config.prefillParameters()),
                LangChain4jContinuator.typed(config.prefillMessageFields()));
    }
}
