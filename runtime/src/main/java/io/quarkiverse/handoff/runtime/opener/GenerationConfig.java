package io.quarkiverse.handoff.runtime.opener;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the optional Hugging Face {@code generation_config.json} beside the model adds to decoding: its end-of-sequence
 * ids. Models often declare more stop ids there than in {@code config.json} (Llama 3's {@code <|eot_id|>} and
 * {@code <|eom_id|>}), and {@code generate()} stops on them.
 *
 * @param eosTokenIds the ids that end generation, in the file's order; empty if it declares none
 */
record GenerationConfig(List<Integer> eosTokenIds) {

    static final String FILE = "generation_config.json";

    /**
     * @param vocabSize the model's vocabulary ({@code vocab_size} of config.json): every id must be a logits column
     */
    static GenerationConfig read(InputStream json, String source, int vocabSize) {
        JsonNode root = ModelConfig.readObject(json, source, FILE);
        JsonNode eos = root.get("eos_token_id");
        if (eos == null || eos.isNull()) {
            return new GenerationConfig(List.of());
        }
        List<JsonNode> ids = new ArrayList<>();
        if (eos.isArray()) {
            eos.forEach(ids::add);
        } else {
            ids.add(eos);
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isIntegralNumber() || !id.canConvertToInt()) {
                throw new ModelException(source + ": eos_token_id must be a token id or a list of token ids "
                        + "(integers), not " + eos + ". Fix it to the model's end-of-sequence ids, e.g. [2], or delete "
                        + FILE + " (it is optional; config.json's eos_token_id is used then).");
            }
            if (id.asInt() < 0 || id.asInt() >= vocabSize) {
                throw new ModelException(source + ": eos_token_id " + id.asInt() + " is outside the model's vocabulary"
                        + " (ids 0.." + (vocabSize - 1) + ", vocab_size in config.json). Use the " + FILE
                        + " that came with this model, or delete it (it is optional).");
            }
            out.add(id.asInt());
        }
        return new GenerationConfig(List.copyOf(out));
    }
}
