package io.quarkiverse.handoff.sample;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.Conversation;
import io.quarkiverse.handoff.policy.CloudRequest;
import io.quarkiverse.handoff.policy.DeviceFacts;
import io.vertx.core.buffer.Buffer;

/**
 * The parts of an OpenAI chat-completions request body the device service uses, checked. What the service honours:
 * {@code model} (a device profile's name selects it), {@code messages}, {@code stream},
 * {@code stream_options.include_usage}, {@code max_tokens} / {@code max_completion_tokens}, {@code stop},
 * {@code temperature}, {@code metadata.profile}, {@code metadata.privacy} and {@code user}. What it cannot do is
 * refused by {@link #UNSUPPORTED} (several choices, tools, log probabilities, structured or audio output...); other
 * sampling hints ({@code top_p}, the penalties, {@code seed}...) and fields OpenAI does not define are accepted and
 * have no effect.
 *
 * @param model the requested model, echoed back in the response
 * @param conversation the messages
 * @param stream whether to answer with {@code chat.completion.chunk} Server-Sent Events
 * @param metadataProfile {@code metadata.profile}, or null
 * @param metadataPrivacy {@code metadata.privacy}, the request's privacy level (e.g. {@code sensitive}), or null
 * @param user the {@code user} field, or null
 * @param limits the reply's {@code max_tokens} (the smaller of it and {@code max_completion_tokens}),
 *        {@code temperature} and {@code stop} sequences; nulls where the request sets none
 * @param includeUsage {@code stream_options.include_usage}: a streamed reply ends with a usage chunk
 */
public record ChatCompletionRequest(String model, Conversation conversation, boolean stream, String metadataProfile,
        String metadataPrivacy, String user, CloudRequest limits, boolean includeUsage) {

    /** OpenAI allows this many stop sequences. */
    static final int MAX_STOP_SEQUENCES = 4;

    /**
     * Parameters whose request the service cannot honour, each with what it is: refused (HTTP 400, {@code param}
     * naming it) unless it has the value that asks for nothing (absent, null, false, an empty list, {@code "none"},
     * an empty {@code logit_bias}).
     */
    static final Map<String, String> UNSUPPORTED = unsupported();

    private static Map<String, String> unsupported() {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("tools", "tool calls are not supported by the device service: send the request without 'tools'");
        refused.put("tool_choice", "tool calls are not supported by the device service: send the request without "
                + "'tool_choice'");
        refused.put("functions", "function calls are not supported by the device service: send the request without "
                + "'functions'");
        refused.put("function_call", "function calls are not supported by the device service: send the request "
                + "without 'function_call'");
        refused.put("logprobs", "log probabilities are not available from the device service: leave 'logprobs' out "
                + "or false");
        refused.put("top_logprobs", "log probabilities are not available from the device service: leave "
                + "'top_logprobs' out");
        refused.put("logit_bias", "'logit_bias' is not supported by the device service: leave it out");
        refused.put("audio", "audio output is not supported by the device service: leave 'audio' out");
        refused.put("prediction", "predicted outputs are not supported by the device service: leave 'prediction' out");
        refused.put("web_search_options", "web search is not supported by the device service: leave "
                + "'web_search_options' out");
        return Map.copyOf(refused);
    }

    static final String EXPECTED = "{\"model\":\"handoff\",\"messages\":[{\"role\":\"user\",\"content\":\"...\"}],"
            + "\"stream\":true}";

    /** A request that cannot be served, with the body field at fault ({@code param} in OpenAI's error shape). */
    public static final class InvalidRequest extends RuntimeException {
        private final String param;

        public InvalidRequest(String message, String param) {
            super(message, null, false, false);
            this.param = param;
        }

        public String param() {
            return param;
        }
    }

    /** The body as text; bytes that are not UTF-8 are refused rather than replaced, as {@code /v1/handoff} does. */
    static String utf8(Buffer body) {
        if (body == null) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body.getBytes())).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequest("the body is not valid UTF-8: send the JSON encoded as UTF-8", null);
        }
    }

    /** Parses and checks a body; every problem is an {@link InvalidRequest} that says what to fix. */
    public static ChatCompletionRequest parse(ObjectMapper mapper, String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidRequest("the request has no body: send JSON like " + EXPECTED, null);
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequest("the body is not valid JSON: " + JsonErrors.describe(e) + " (expected "
                    + EXPECTED + ")", null);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequest("the body must be a JSON object like " + EXPECTED, null);
        }
        refuseUnsupported(root);
        JsonNode stream = root.get("stream");
        if (stream != null && !stream.isNull() && !stream.isBoolean()) {
            throw new InvalidRequest("'stream' must be true or false", "stream");
        }
        String profile = null;
        String privacy = null;
        JsonNode metadata = root.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            if (!metadata.isObject()) {
                throw new InvalidRequest("'metadata' must be an object, e.g. {\"profile\":\"watch\"}", "metadata");
            }
            profile = metadataText(metadata, "profile", "must name a device profile, e.g. \"watch\"");
            privacy = metadataText(metadata, "privacy", "must be a privacy level, e.g. \"sensitive\"");
            if (privacy != null && !DeviceFacts.PRIVACY_LEVELS.contains(privacy.trim().toLowerCase(Locale.ROOT))) {
                throw new InvalidRequest("'metadata.privacy' \"" + privacy + "\" is unknown: use one of "
                        + String.join(", ", DeviceFacts.PRIVACY_LEVELS), "metadata.privacy");
            }
        }
        JsonNode user = root.get("user");
        JsonNode model = root.get("model");
        boolean streamed = stream != null && stream.asBoolean();
        return new ChatCompletionRequest(model != null && model.isTextual() ? model.asText() : null,
                conversation(root.get("messages")), streamed, profile, privacy,
                user != null && user.isTextual() ? user.asText() : null, limits(root), includeUsage(root, streamed));
    }

    /** Refuses what the service cannot honour, naming the parameter. */
    private static void refuseUnsupported(JsonNode root) {
        JsonNode n = root.get("n");
        if (present(n) && (!n.canConvertToExactIntegral() || n.asInt() != 1)) {
            throw new InvalidRequest("'n' must be 1: the device service writes one reply per request", "n");
        }
        for (Map.Entry<String, String> parameter : UNSUPPORTED.entrySet()) {
            JsonNode value = root.get(parameter.getKey());
            // an empty list of tools or bias asks for nothing; an empty web_search_options or audio object does
            boolean asksNothing = !present(value) || value.isBoolean() && !value.asBoolean()
                    || value.isArray() && value.isEmpty() || "none".equals(value.asText(null))
                    || "logit_bias".equals(parameter.getKey()) && value.isObject() && value.isEmpty();
            if (!asksNothing) {
                throw new InvalidRequest(parameter.getValue(), parameter.getKey());
            }
        }
        JsonNode format = root.get("response_format");
        if (present(format) && !"text".equals(format.path("type").asText())) {
            throw new InvalidRequest("only text replies are supported: leave 'response_format' out or send "
                    + "{\"type\":\"text\"}", "response_format");
        }
        JsonNode modalities = root.get("modalities");
        if (present(modalities)) {
            if (!modalities.isArray()) {
                throw new InvalidRequest("'modalities' must be a list, e.g. [\"text\"]", "modalities");
            }
            for (JsonNode modality : modalities) {
                if (!"text".equals(modality.asText())) {
                    throw new InvalidRequest("only text output is supported: send 'modalities' as [\"text\"] or "
                            + "leave it out", "modalities");
                }
            }
        }
    }

    /** max_tokens (or max_completion_tokens, the smaller when both), temperature and stop, checked. */
    private static CloudRequest limits(JsonNode root) {
        Integer maxTokens = positiveInt(root, "max_tokens");
        Integer maxCompletionTokens = positiveInt(root, "max_completion_tokens");
        if (maxTokens == null || maxCompletionTokens != null && maxCompletionTokens < maxTokens) {
            maxTokens = maxCompletionTokens;
        }
        Double temperature = null;
        JsonNode t = root.get("temperature");
        if (present(t)) {
            if (!t.isNumber() || t.asDouble() < 0 || t.asDouble() > 2) {
                throw new InvalidRequest("'temperature' must be a number from 0 to 2, got " + t, "temperature");
            }
            temperature = t.asDouble();
        }
        return new CloudRequest(maxTokens, temperature, stop(root.get("stop")));
    }

    private static Integer positiveInt(JsonNode root, String field) {
        JsonNode value = root.get(field);
        if (!present(value)) {
            return null;
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToInt() || value.asInt() < 1) {
            throw new InvalidRequest("'" + field + "' must be a whole number of tokens, at least 1, got " + value,
                    field);
        }
        return value.asInt();
    }

    /** A text or a list of up to four texts, none empty. */
    private static List<String> stop(JsonNode stop) {
        if (!present(stop)) {
            return List.of();
        }
        List<String> sequences = new ArrayList<>();
        if (stop.isTextual()) {
            sequences.add(stop.asText());
        } else if (stop.isArray()) {
            stop.forEach(sequence -> sequences.add(sequence.isTextual() ? sequence.asText() : null));
        }
        if (!(stop.isTextual() || stop.isArray()) || sequences.contains(null) || sequences.contains("")) {
            throw new InvalidRequest("'stop' must be a non-empty text or a list of up to " + MAX_STOP_SEQUENCES
                    + " non-empty texts, e.g. [\"\\n\\n\"]", "stop");
        }
        if (sequences.size() > MAX_STOP_SEQUENCES) {
            throw new InvalidRequest("'stop' has " + sequences.size() + " sequences: send at most "
                    + MAX_STOP_SEQUENCES, "stop");
        }
        return sequences.stream().distinct().toList();
    }

    /** stream_options.include_usage, allowed with a streamed reply only (as OpenAI does). */
    private static boolean includeUsage(JsonNode root, boolean streamed) {
        JsonNode options = root.get("stream_options");
        if (!present(options)) {
            return false;
        }
        if (!streamed) {
            throw new InvalidRequest("'stream_options' is only allowed with \"stream\": true", "stream_options");
        }
        JsonNode include = options.get("include_usage");
        if (!options.isObject() || present(include) && !include.isBoolean()) {
            throw new InvalidRequest("'stream_options' must be an object like {\"include_usage\": true}",
                    "stream_options");
        }
        return present(include) && include.asBoolean();
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull();
    }

    /** A text field of {@code metadata}, trimmed, or null when absent; anything but a non-blank text is refused. */
    private static String metadataText(JsonNode metadata, String field, String expectation) {
        JsonNode value = metadata.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new InvalidRequest("'metadata." + field + "' " + expectation, "metadata." + field);
        }
        return value.asText().trim();
    }

    private static Conversation conversation(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new InvalidRequest("the body needs 'messages': a list of {\"role\":\"user\",\"content\":\"...\"} "
                    + "with the user's question last", "messages");
        }
        List<ChatMessage> turns = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String where = "messages[" + i + "]";
            if (message == null || !message.isObject()) {
                throw new InvalidRequest(where + " must be an object with 'role' and 'content'", where);
            }
            JsonNode role = message.get("role");
            ChatMessage.Role parsed;
            try {
                parsed = ChatMessage.Role.parse(role != null && role.isTextual() ? role.asText() : null);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequest(where + ": " + e.getMessage(), where + ".role");
            }
            turns.add(new ChatMessage(parsed, text(message.get("content"), where)));
        }
        try {
            return new Conversation(turns);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest(e.getMessage(), "messages");
        }
    }

    /** A message's content: a string, or an array of text parts. */
    private static String text(JsonNode content, String where) {
        if (content == null || content.isNull()) {
            throw new InvalidRequest(where + " has no 'content': send the text of the message", where + ".content");
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (int j = 0; j < content.size(); j++) {
                JsonNode part = content.get(j);
                String type = part.path("type").asText("");
                if (!"text".equals(type) || !part.path("text").isTextual()) {
                    throw new InvalidRequest(where + ".content[" + j + "] is a '" + type + "' part: only text parts "
                            + "({\"type\":\"text\",\"text\":\"...\"}) are supported", where + ".content");
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw new InvalidRequest(where + ".content must be a string or a list of text parts", where + ".content");
    }
}
