package io.quarkiverse.handoff.runtime.opener;

import java.io.InputStream;
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
        return new GenerationConfig(ModelConfig.eosTokenIds(root, source, vocabSize, "put back the one that came with the "
                + "model, or delete " + FILE + " (it is optional; config.json's eos_token_id is used then)"));
    }
}
