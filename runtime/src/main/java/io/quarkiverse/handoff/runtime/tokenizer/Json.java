package io.quarkiverse.handoff.runtime.tokenizer;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/** Small helpers to read {@code tokenizer.json} sections with messages that name the file. */
final class Json {

    private Json() {
    }

    static String type(JsonNode node, String component, String file) {
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            throw new TokenizerException("The " + component + " of " + file + " has no 'type'");
        }
        return type.asText();
    }

    static boolean bool(JsonNode node, String field, boolean fallback) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? fallback : value.asBoolean();
    }

    static String text(JsonNode node, String field, String component, String file) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new TokenizerException("The " + component + " of " + file + " has no text '" + field + "'");
        }
        return value.asText();
    }

    static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** A {@code {"Regex": "..."}} or {@code {"String": "..."}} pattern. */
    static Pattern pattern(JsonNode node, String component, String file) {
        if (node != null && node.has("Regex")) {
            return OnigRegex.compile(node.get("Regex").asText(), "the " + component + " of " + file);
        }
        if (node != null && node.has("String")) {
            return Pattern.compile(Pattern.quote(node.get("String").asText()));
        }
        throw new TokenizerException("The " + component + " of " + file
                + " has no pattern: expected {\"Regex\": ...} or {\"String\": ...}");
    }
}
