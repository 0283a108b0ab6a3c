package io.quarkiverse.handoff.sample;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.policy.DeviceFacts;
import io.quarkiverse.handoff.Conversation;
import io.vertx.core.buffer.Buffer;

/**
 * The parts of an OpenAI chat-completions request body the device service uses. Sampling parameters (temperature,
 * top_p, max_tokens...) are accepted and ignored: the device profile's rules decide them.
 *
 * @param model the requested model, echoed back in the response
 * @param conversation the messages
 * @param stream whether to answer with {@code chat.completion.chunk} Server-Sent Events
 * @param metadataProfile {@code metadata.profile}, or null
 * @param metadataPrivacy {@code metadata.privacy}, the request's privacy level (e.g. {@code sensitive}), or null
 * @param user the {@code user} field, or null
 */
public record ChatCompletionRequest(String model, Conversation conversation, boolean stream, String metadataProfile,
        String metadataPrivacy, String user) {

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
        JsonNode n = root.get("n");
        if (n != null && !n.isNull() && n.asInt(1) != 1) {
            throw new InvalidRequest("'n' must be 1: the device service writes one reply per request", "n");
        }
        JsonNode tools = root.get("tools");
        if (tools != null && tools.isArray() && !tools.isEmpty()) {
            throw new InvalidRequest("'tools' are not supported by the device service: send the request without them",
                    "tools");
        }
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
        return new ChatCompletionRequest(model != null && model.isTextual() ? model.asText() : null,
                conversation(root.get("messages")), stream != null && stream.asBoolean(), profile, privacy,
                user != null && user.isTextual() ? user.asText() : null);
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
