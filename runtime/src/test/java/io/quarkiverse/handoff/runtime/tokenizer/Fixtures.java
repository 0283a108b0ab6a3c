package io.quarkiverse.handoff.runtime.tokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.handoff.ChatMessage;

/** Access to the fixtures written by samples/micro-model/reference/tokenizer_fixtures.py. */
final class Fixtures {

    static final List<String> TOKENIZERS = List.of("gpt2-bytelevel", "qwen2-split", "llama3-split", "bytelevel-prefix");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {
    }

    static Path dir(String name) {
        return resource("tokenizer/" + name);
    }

    static Path resource(String name) {
        URL url = Fixtures.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + name
                    + ": run samples/micro-model/reference/tokenizer_fixtures.py");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    static List<ChatMessage> messages(JsonNode array) {
        List<ChatMessage> out = new ArrayList<>();
        for (JsonNode m : array) {
            out.add(new ChatMessage(ChatMessage.Role.parse(m.get("role").asText()), m.get("content").asText()));
        }
        return out;
    }

    /** A readable form of a text for test names. */
    static String label(String text) {
        String s = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return "\"" + s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t") + "\"";
    }
}
