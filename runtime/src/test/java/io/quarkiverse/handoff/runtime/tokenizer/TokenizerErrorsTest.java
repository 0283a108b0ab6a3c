package io.quarkiverse.handoff.runtime.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Unsupported tokenizer.json components are refused with the component and the file named. */
class TokenizerErrorsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private ObjectNode base() throws IOException {
        return (ObjectNode) MAPPER.readTree(Fixtures.dir("gpt2-bytelevel").resolve("tokenizer.json").toFile());
    }

    private Path write(ObjectNode json) throws IOException {
        Path file = tmp.resolve("tokenizer.json");
        MAPPER.writeValue(file.toFile(), json);
        return file;
    }

    private void assertRefused(ObjectNode json, String... fragments) throws IOException {
        Path file = write(json);
        var assertion = assertThatThrownBy(() -> Tokenizer.load(file)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining(file.toString());
        for (String fragment : fragments) {
            assertion.hasMessageContaining(fragment);
        }
    }

    @Test
    void refusesOtherModels() throws IOException {
        ObjectNode json = base();
        ((ObjectNode) json.get("model")).put("type", "WordPiece");
        assertRefused(json, "model", "WordPiece");
    }

    @Test
    void refusesByteFallbackAndDropout() throws IOException {
        ObjectNode json = base();
        ((ObjectNode) json.get("model")).put("byte_fallback", true);
        assertRefused(json, "byte_fallback");
        json = base();
        ((ObjectNode) json.get("model")).put("dropout", 0.1);
        assertRefused(json, "dropout");
    }

    @Test
    void refusesOtherPreTokenizers() throws IOException {
        ObjectNode json = base();
        json.set("pre_tokenizer", MAPPER.readTree("{\"type\": \"Metaspace\", \"replacement\": \"▁\"}"));
        assertRefused(json, "pre_tokenizer", "Metaspace");
        json = base();
        json.set("pre_tokenizer", MAPPER.readTree("{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": "
                + "\"WhitespaceSplit\"}]}"));
        assertRefused(json, "pre_tokenizer", "WhitespaceSplit");
    }

    @Test
    void refusesOtherNormalizersAndDecoders() throws IOException {
        ObjectNode json = base();
        json.set("normalizer", MAPPER.readTree("{\"type\": \"BertNormalizer\"}"));
        assertRefused(json, "normalizer", "BertNormalizer");
        json = base();
        json.set("decoder", MAPPER.readTree("{\"type\": \"Metaspace\"}"));
        assertRefused(json, "decoder", "Metaspace");
        json = base();
        json.putNull("decoder");
        assertRefused(json, "decoder");
    }

    @Test
    void refusesRegexesJavaCannotExpress() throws IOException {
        ObjectNode json = base();
        json.set("pre_tokenizer", MAPPER.readTree("{\"type\": \"Split\", \"pattern\": {\"Regex\": \"a\\\\Kb\"}, "
                + "\"behavior\": \"Isolated\", \"invert\": false}"));
        assertRefused(json, "pre_tokenizer Split", "\\K");
    }

    @Test
    void refusesBrokenMerges() throws IOException {
        ObjectNode json = base();
        ArrayNode merges = (ArrayNode) json.get("model").get("merges");
        merges.insert(0, "Ġ zzzzqqq");
        assertRefused(json, "Merge #1", "zzzzqqq");
        json = base();
        ((ArrayNode) json.get("model").get("merges")).insert(3, "a b c");
        assertRefused(json, "Merge #4");
    }

    @Test
    void refusesInvalidJson() {
        assertThatThrownBy(() -> Tokenizer.load(new ByteArrayInputStream("{\"model\": ".getBytes(StandardCharsets.UTF_8)),
                "broken.json")).isInstanceOf(TokenizerException.class).hasMessageContaining("broken.json");
        assertThatThrownBy(() -> Tokenizer.load(tmp.resolve("missing.json"))).isInstanceOf(TokenizerException.class)
                .hasMessageContaining("missing.json");
    }

    @Test
    void acceptsTheOptionalComponentsItKnows() throws IOException {
        ObjectNode json = base();
        json.set("normalizer", MAPPER.readTree("{\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"NFKC\"}, "
                + "{\"type\": \"Replace\", \"pattern\": {\"String\": \"``\"}, \"content\": \"\\\"\"}]}"));
        json.set("pre_tokenizer", MAPPER.readTree("{\"type\": \"Sequence\", \"pretokenizers\": ["
                + "{\"type\": \"Digits\", \"individual_digits\": true},"
                + "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"use_regex\": true}]}"));
        json.set("decoder", MAPPER.readTree("{\"type\": \"Sequence\", \"decoders\": [{\"type\": \"ByteLevel\"}]}"));
        json.set("post_processor", MAPPER.readTree("{\"type\": \"ByteLevel\", \"trim_offsets\": true}"));
        Tokenizer tokenizer = Tokenizer.load(write(json));
        assertThat(tokenizer.decode(tokenizer.encode("``x`` 2024"))).isEqualTo("\"x\" 2024");
        // Digits(individual) isolates each digit before BPE
        assertThat(tokenizer.encode("2024")).hasSize(4);
    }
}
