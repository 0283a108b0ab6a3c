package io.quarkiverse.handoff.runtime.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;

/** Id-for-id comparison with the Hugging Face tokenizers library, on the fixtures of tokenizer_fixtures.py. */
class TokenizerFixturesTest {

    @TestFactory
    Stream<DynamicNode> encodeDecodeLikeHuggingFace() {
        return Fixtures.TOKENIZERS.stream().map(name -> {
            Path dir = Fixtures.dir(name);
            Tokenizer tokenizer = Tokenizer.load(dir.resolve("tokenizer.json"));
            JsonNode fixture = Fixtures.json(dir.resolve("cases.json"));
            List<DynamicNode> tests = new ArrayList<>();
            int index = 0;
            for (JsonNode c : fixture.get("cases")) {
                String text = c.get("text").asText();
                int[] expected = Fixtures.ints(c.get("ids"));
                String label = "#" + index++ + " " + Fixtures.label(text);
                tests.add(DynamicTest.dynamicTest(label, () -> {
                    int[] ids = tokenizer.encode(text);
                    assertThat(ids).as("ids of %s: got tokens %s, expected %s", Fixtures.label(text),
                            tokens(tokenizer, ids), tokens(tokenizer, expected)).containsExactly(expected);
                    assertThat(tokenizer.decode(ids)).isEqualTo(c.get("decoded").asText());
                    assertThat(tokenizer.decode(ids, true)).isEqualTo(c.get("decoded_skip_special").asText());
                    if (c.get("round_trip").asBoolean()) {
                        assertThat(tokenizer.decode(ids)).isEqualTo(text);
                    }
                    assertStreamsLikeDecode(tokenizer, ids, false);
                    assertStreamsLikeDecode(tokenizer, ids, true);
                }));
            }
            return DynamicContainer.dynamicContainer(name, tests);
        });
    }

    @TestFactory
    Stream<DynamicNode> chatPromptsOfEachModelDirectory() {
        return Fixtures.TOKENIZERS.stream().map(name -> {
            Path dir = Fixtures.dir(name);
            JsonNode fixture = Fixtures.json(dir.resolve("cases.json"));
            List<DynamicNode> tests = new ArrayList<>();
            for (JsonNode chat : fixture.get("chats")) {
                tests.add(DynamicTest.dynamicTest(chat.get("name").asText(), () -> {
                    Tokenizer tokenizer = Tokenizer.load(dir.resolve("tokenizer.json"));
                    ChatTemplate template = ChatTemplate.load(dir);
                    String prompt = template.render(Fixtures.messages(chat.get("messages")));
                    assertThat(prompt).isEqualTo(chat.get("expected").asText());
                    assertThat(tokenizer.encode(prompt)).containsExactly(Fixtures.ints(chat.get("ids")));
                }));
            }
            return DynamicContainer.dynamicContainer(name, tests);
        });
    }

    @TestFactory
    Stream<DynamicTest> vocabularyAndSpecialTokens() {
        return Fixtures.TOKENIZERS.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Path dir = Fixtures.dir(name);
            Tokenizer tokenizer = Tokenizer.load(dir.resolve("tokenizer.json"));
            JsonNode fixture = Fixtures.json(dir.resolve("cases.json"));
            assertThat(tokenizer.vocabSize()).isEqualTo(fixture.get("vocab_size").asInt());
            Map<String, Integer> specials = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : fixture.get("special_tokens").properties()) {
                specials.put(e.getKey(), e.getValue().asInt());
            }
            assertThat(tokenizer.specialTokens()).containsExactlyInAnyOrderEntriesOf(specials);
            assertThat(tokenizer.tokenId("<|endoftext|>")).hasValue(0);
            assertThat(tokenizer.tokenId("<|im_start|>")).hasValue(1);
            assertThat(tokenizer.tokenId("<|im_end|>")).hasValue(2);
            assertThat(tokenizer.token(2)).isEqualTo("<|im_end|>");
            assertThat(tokenizer.isSpecial(1)).isTrue();
            assertThat(tokenizer.specialTokenIds()).startsWith(0, 1, 2);
            assertThat(tokenizer.tokenId("no such token")).isEmpty();
            assertThat(tokenizer.token(-1)).isNull();
            assertThat(tokenizer.token(tokenizer.vocabSize())).isNull();
            // every vocab entry maps back to itself
            for (int id = 0; id < tokenizer.vocabSize(); id++) {
                String token = tokenizer.token(id);
                if (token != null) {
                    assertThat(tokenizer.tokenId(token)).as("id of %s", token).hasValue(id);
                }
            }
        }));
    }

    @Test
    void loadsFromAStreamAndTokenizesLikeFromAPath() throws Exception {
        Path file = Fixtures.dir("qwen2-split").resolve("tokenizer.json");
        Tokenizer fromPath = Tokenizer.load(file);
        Tokenizer fromStream;
        try (InputStream in = Files.newInputStream(file)) {
            fromStream = Tokenizer.load(in, "classpath:qwen2-split/tokenizer.json");
        }
        assertThat(fromStream.source()).isEqualTo("classpath:qwen2-split/tokenizer.json");
        String text = "Bonjour, 世界! It's 2024 😀";
        assertThat(fromStream.encode(text)).containsExactly(fromPath.encode(text));
    }

    @Test
    void roundTripsEverythingItEncodes() {
        Tokenizer tokenizer = Tokenizer.load(Fixtures.dir("qwen2-split").resolve("tokenizer.json"));
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            StringBuilder sb = new StringBuilder();
            int length = 1 + random.nextInt(30);
            while (sb.length() < length) {
                int cp = switch (random.nextInt(5)) {
                    case 0 -> 0x20 + random.nextInt(0x5F);
                    case 1 -> 0xA0 + random.nextInt(0x200);
                    case 2 -> 0x4E00 + random.nextInt(0x5000);
                    case 3 -> 0x1F300 + random.nextInt(0x300);
                    default -> " \t\n".charAt(random.nextInt(3));
                };
                sb.appendCodePoint(cp);
            }
            // NFC-stable input round-trips exactly
            String text = Normalizer.normalize(sb, Normalizer.Form.NFC);
            assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
        }
    }

    @Test
    void encodesALongTextWithoutTrouble() {
        Tokenizer tokenizer = Tokenizer.load(Fixtures.dir("llama3-split").resolve("tokenizer.json"));
        String paragraph = "On-device models write the first words; a cloud model continues. 1234 😀 日本語 ";
        String text = paragraph.repeat(2000);
        int[] ids = tokenizer.encode(text);
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
        // a single huge word (no regex split possible) still goes through the merge queue
        String word = "ab".repeat(20_000);
        assertThat(tokenizer.decode(tokenizer.encode(word))).isEqualTo(word);
    }

    @Test
    void checkCompatibleNamesBothSizesAndTheFiles() {
        Path file = Fixtures.dir("gpt2-bytelevel").resolve("tokenizer.json");
        Tokenizer tokenizer = Tokenizer.load(file);
        tokenizer.checkCompatible(tokenizer.vocabSize(), Path.of("model.onnx"));
        tokenizer.checkCompatible(tokenizer.vocabSize() + 64, Path.of("model.onnx")); // padded embeddings are fine
        assertThatThrownBy(() -> tokenizer.checkCompatible(500, Path.of("/models/opener/model.onnx")))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining(String.valueOf(tokenizer.vocabSize()))
                .hasMessageContaining("500")
                .hasMessageContaining("/models/opener/model.onnx")
                .hasMessageContaining(file.toString());
    }

    @Test
    void decodeSkipsIdsThatNoTokenHasLikeHuggingFace() {
        Tokenizer tokenizer = Tokenizer.load(Fixtures.dir("gpt2-bytelevel").resolve("tokenizer.json"));
        int[] ids = tokenizer.encode("Hello world");
        int[] padded = Arrays.copyOf(ids, ids.length + 1);
        padded[ids.length] = tokenizer.vocabSize() + 5;
        assertThat(tokenizer.decode(padded)).isEqualTo("Hello world");
    }

    private static void assertStreamsLikeDecode(Tokenizer tokenizer, int[] ids, boolean skipSpecial) {
        StreamingDecoder decoder = tokenizer.streamingDecoder(skipSpecial);
        StringBuilder streamed = new StringBuilder();
        for (int id : ids) {
            String piece = decoder.push(id);
            if (!piece.isEmpty()) {
                char last = piece.charAt(piece.length() - 1);
                assertThat(Character.isHighSurrogate(last)).as("piece ends inside a surrogate pair").isFalse();
            }
            streamed.append(piece);
        }
        streamed.append(decoder.flush());
        assertThat(streamed.toString()).isEqualTo(tokenizer.decode(ids, skipSpecial));
        assertThat(decoder.hasPendingBytes()).isFalse();
    }

    private static String tokens(Tokenizer tokenizer, int[] ids) {
        return Arrays.stream(ids).mapToObj(tokenizer::token).collect(Collectors.joining("|", "[", "]"));
    }
}
