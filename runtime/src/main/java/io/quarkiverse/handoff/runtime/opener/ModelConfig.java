package io.quarkiverse.handoff.runtime.opener;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The shape of a decoder-only model, read from its Hugging Face {@code config.json}.
 *
 * @param modelType e.g. llama, qwen2
 * @param layers number of decoder layers
 * @param heads attention heads
 * @param kvHeads key/value heads (fewer than heads for grouped-query attention)
 * @param headDim size of one head
 * @param vocabSize rows of the embedding / columns of the logits
 * @param maxPositions the context window in tokens
 * @param eosTokenIds the ids that end generation: config.json's {@code eos_token_id}, plus those of
 *        generation_config.json once {@link #withEosTokenIds} added them
 */
public record ModelConfig(String modelType, int layers, int heads, int kvHeads, int headDim, int vocabSize,
        int maxPositions, List<Integer> eosTokenIds) {

    public static ModelConfig read(InputStream json, String source) {
        JsonNode root = readObject(json, source, "config.json");
        String type = root.path("model_type").asText("unknown");
        int layers = required(root, "num_hidden_layers", source);
        int heads = required(root, "num_attention_heads", source);
        int kvHeads = root.has("num_key_value_heads") ? required(root, "num_key_value_heads", source) : heads;
        int hidden = required(root, "hidden_size", source);
        int headDim = root.hasNonNull("head_dim") ? required(root, "head_dim", source) : hidden / heads;
        int vocab = required(root, "vocab_size", source);
        int maxPositions = required(root, "max_position_embeddings", source);
        if (heads % kvHeads != 0) {
            throw new ModelException(source + ": num_attention_heads (" + heads
                    + ") is not a multiple of num_key_value_heads (" + kvHeads
                    + "): use the config.json exported with this model (samples/micro-model/export.py)");
        }
        List<Integer> eos = eosTokenIds(root, source, vocab,
                "use the config.json exported with this model (samples/micro-model/export.py)");
        return new ModelConfig(type, layers, heads, kvHeads, headDim, vocab, maxPositions, eos);
    }

    /**
     * A Hugging Face file's {@code eos_token_id}: absent or null, one id or a list of ids, each a column of the logits.
     *
     * @param fix what to do when it is malformed, for the message
     */
    static List<Integer> eosTokenIds(JsonNode root, String source, int vocabSize, String fix) {
        JsonNode eos = root.get("eos_token_id");
        if (eos == null || eos.isNull()) {
            return List.of();
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
                        + "(integers), not " + eos + ": " + fix);
            }
            if (id.asInt() < 0 || id.asInt() >= vocabSize) {
                throw new ModelException(source + ": eos_token_id " + id.asInt() + " is outside the model's vocabulary"
                        + " (ids 0.." + (vocabSize - 1) + ", vocab_size in config.json): " + fix);
            }
            out.add(id.asInt());
        }
        return List.copyOf(out);
    }

    /** A model's JSON file that must hold an object, with errors naming {@code source} and the expected file. */
    static JsonNode readObject(InputStream json, String source, String file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ModelException(source + " is not valid JSON (" + e.getOriginalMessage().lines().findFirst()
                    .orElse("syntax error")
                    + (at == null ? ""
                            : " at line " + at.getLineNr() + ", column "
                                    + at.getColumnNr())
                    + "). Use the " + file + " written by the model's export (samples/micro-model/export.py).", e);
        } catch (IOException e) {
            throw new ModelException("cannot read " + source + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelException(source + " is " + (root == null || root.isMissingNode() ? "empty" : "not a JSON object")
                    + ": expected the Hugging Face " + file + " of the model, as written by its export "
                    + "(samples/micro-model/export.py).");
        }
        return root;
    }

    /** The same shape with {@code more} end-of-sequence ids (those already present are not repeated). */
    ModelConfig withEosTokenIds(List<Integer> more) {
        List<Integer> union = new ArrayList<>(eosTokenIds);
        more.stream().filter(id -> !union.contains(id)).forEach(union::add);
        return new ModelConfig(modelType, layers, heads, kvHeads, headDim, vocabSize, maxPositions, List.copyOf(union));
    }

    private static int required(JsonNode root, String field, String source) {
        JsonNode node = root.get(field);
        if (node == null || !node.canConvertToInt() || node.asInt() <= 0) {
            throw new ModelException(source + " has no positive integer '" + field
                    + "': it must be the Hugging Face config.json of a decoder-only model (Llama/Qwen family).");
        }
        return node.asInt();
    }
}
