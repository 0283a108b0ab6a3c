package io.quarkiverse.handoff.runtime.opener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ai.onnxruntime.OrtSession;
import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.policy.Sampling;
import io.quarkiverse.handoff.runtime.tokenizer.Tokenizer;

/**
 * The Java KV-cache decoder must reproduce Hugging Face transformers exactly: the same prompt ids, the same greedy
 * tokens, logits within 1e-4 at every step. The references were written by samples/micro-model/reference_outputs.py
 * for two differently shaped models (GQA Llama; multi-head Qwen2 with q/k/v biases and untied embeddings).
 */
class ReferenceDecodingTest {

    static final List<String> MODELS = List.of("tiny-gqa", "tiny-mha");
    static final double LOGITS_TOLERANCE = 1e-4;

    static final Map<String, OnnxCausalLm> LOADED = new ConcurrentHashMap<>();

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String model : MODELS) {
            JsonNode reference = reference(model);
            for (JsonNode c : reference.get("cases")) {
                out.add(Arguments.of(model, c.get("name").asText(), c));
            }
        }
        return out.stream();
    }

    static JsonNode reference(String model) throws IOException {
        try (InputStream in = resource(model, "reference.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    static InputStream resource(String model, String file) {
        InputStream in = ReferenceDecodingTest.class.getClassLoader()
                .getResourceAsStream("models/" + model + "/" + file);
        assertThat(in).as("test resource models/%s/%s", model, file).isNotNull();
        return in;
    }

    static OnnxCausalLm model(String name, String file) {
        return LOADED.computeIfAbsent(name + "/" + file, key -> {
            ModelDirectory dir = ModelDirectory.of("classpath:models/" + name);
            try (InputStream in = dir.open("config.json");
                    OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                ModelConfig config = ModelConfig.read(in, name);
                return OnnxCausalLm.load(dir.readDirect(file), config, options, key);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @AfterAll
    static void close() {
        LOADED.values().forEach(OnnxCausalLm::close);
        LOADED.clear();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void promptIdsMatchTransformers(String model, String name, JsonNode c) throws IOException {
        Tokenizer tokenizer;
        try (InputStream in = resource(model, "tokenizer.json")) {
            tokenizer = Tokenizer.load(in, model);
        }
        assertThat(tokenizer.encode(c.get("prompt_text").asText())).containsExactly(ints(c.get("prompt_ids")));
        if ("chat".equals(c.get("kind").asText())) {
            List<ChatMessage> messages = new ArrayList<>();
            c.get("messages").forEach(m -> messages.add(
                    new ChatMessage(ChatMessage.Role.parse(m.get("role").asText()), m.get("content").asText())));
            String rendered = OpenerEngine.chatTemplate(ModelDirectory.of("classpath:models/" + model), Optional.empty())
                    .render(messages, true);
            assertThat(rendered).isEqualTo(c.get("prompt_text").asText());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void greedyTokensAndLogitsMatchTransformers(String model, String name, JsonNode c) {
        OnnxCausalLm lm = model(model, "model.onnx");
        int[] prompt = ints(c.get("prompt_ids"));
        int[] expected = ints(c.get("continuation_ids"));
        JsonNode logits = c.get("logits");
        // one row per continuation step, so a truncated reference cannot silently skip steps
        assertThat(logits.size()).as("%s %s logits rows in reference.json (regenerate it with "
                + "samples/micro-model/reference_outputs.py)", model, name).isEqualTo(expected.length);
        try (OnnxCausalLm.State state = lm.newState()) {
            lm.forward(state, prompt, prompt.length);
            for (int step = 0; step < expected.length; step++) {
                JsonNode row = logits.get(step);
                assertThat(row.size()).as("%s %s step %d logits row length", model, name, step)
                        .isEqualTo(state.logits().length);
                for (int v = 0; v < row.size(); v++) {
                    assertThat((double) state.logits()[v]).as("%s %s step %d logit %d", model, name, step, v)
                            .isCloseTo(row.get(v).asDouble(), within(LOGITS_TOLERANCE));
                }
                int token = Sampler.argmax(state.logits());
                assertThat(token).as("%s %s greedy token %d", model, name, step).isEqualTo(expected[step]);
                if (step + 1 < expected.length) {
                    lm.forward(state, new int[] { token }, 1);
                }
            }
        }
    }

    @Test
    void greedySamplerAgreesWithArgmaxAndSeededSamplingIsReproducible() {
        OnnxCausalLm lm = model("tiny-gqa", "model.onnx");
        float[] logits;
        try (OnnxCausalLm.State state = lm.newState()) {
            lm.forward(state, new int[] { 5, 6, 7 }, 3);
            logits = state.logits().clone();
        }
        assertThat(new Sampler(Sampling.GREEDY, logits.length).next(logits).token()).isEqualTo(Sampler.argmax(logits));
        Sampling seeded = new Sampling(0.8, 0.9, 0, 1.0, 42L);
        List<Integer> first = new ArrayList<>();
        List<Integer> second = new ArrayList<>();
        Sampler a = new Sampler(seeded, logits.length);
        Sampler b = new Sampler(seeded, logits.length);
        for (int i = 0; i < 20; i++) {
            first.add(a.next(logits).token());
            second.add(b.next(logits).token());
        }
        assertThat(first).isEqualTo(second);
        assertThat(first.stream().distinct().count()).as("sampling at temperature 0.8 varies").isGreaterThan(1);
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
