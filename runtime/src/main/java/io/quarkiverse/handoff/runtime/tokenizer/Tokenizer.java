package io.quarkiverse.handoff.runtime.tokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.handoff.runtime.tokenizer.AddedVocabulary.AddedToken;
import io.quarkiverse.handoff.runtime.tokenizer.PreTokenizers.PreTokenizer;

/**
 * A Hugging Face {@code tokenizer.json} byte-level BPE tokenizer (GPT-2, Llama-3, Qwen2, MiniMind style) in pure Java,
 * giving the same ids as the Hugging Face {@code tokenizers} library.
 * <p>
 * Supported {@code tokenizer.json} components:
 * <ul>
 * <li>{@code normalizer}: null, NFC, NFD, NFKC, NFKD, Lowercase, Strip, Prepend, Replace, Sequence;</li>
 * <li>{@code pre_tokenizer}: ByteLevel ({@code add_prefix_space}, {@code use_regex} with the GPT-2 pattern), Split
 * (Oniguruma regex or string pattern, every behavior, {@code invert}), Digits, Sequence;</li>
 * <li>{@code model}: BPE with merges as {@code "a b"} strings or {@code ["a", "b"]} arrays, {@code ignore_merges},
 * {@code unk_token}/{@code fuse_unk}, {@code continuing_subword_prefix}/{@code end_of_word_suffix};
 * {@code byte_fallback} and dropout are refused;</li>
 * <li>{@code added_tokens}: special and not, matched before pre-tokenization (longest first) in the raw or the
 * normalized text as their {@code normalized} flag says, with {@code single_word}, {@code lstrip}, {@code rstrip};</li>
 * <li>{@code decoder}: ByteLevel (or a Sequence of ByteLevel).</li>
 * </ul>
 * Anything else is refused at load time with a {@link TokenizerException} naming the component and the file.
 * {@code post_processor}, {@code truncation} and {@code padding} are ignored: {@link #encode} adds no BOS/EOS (a chat
 * template writes special tokens as text), never truncates and never pads.
 * <p>
 * Instances are immutable and thread-safe (the word cache is concurrent).
 */
public final class Tokenizer {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String source;
    private final UnaryOperator<String> normalizer;
    private final PreTokenizer preTokenizer;
    private final BpeModel model;
    private final AddedVocabulary addedVocabulary;
    private final Map<String, Integer> addedTokenIds;
    private final Map<Integer, AddedToken> addedTokensById;
    private final Map<String, Integer> specialTokens;
    private final boolean[] special;
    private final int vocabSize;
    private final int longestToken;

    private Tokenizer(String source, JsonNode root) {
        this.source = source;
        if (!root.isObject()) {
            throw new TokenizerException(source + " is not a tokenizer.json object");
        }
        this.normalizer = Normalizers.parse(root.get("normalizer"), source);
        this.preTokenizer = PreTokenizers.parse(root.get("pre_tokenizer"), source);
        this.model = BpeModel.parse(root.get("model"), source);
        checkDecoder(root.get("decoder"), source);

        List<AddedToken> added = new ArrayList<>();
        JsonNode addedNode = root.get("added_tokens");
        if (addedNode != null && addedNode.isArray()) {
            for (JsonNode t : addedNode) {
                JsonNode id = t.get("id");
                JsonNode content = t.get("content");
                if (id == null || !id.canConvertToInt() || id.asInt() < 0 || content == null || !content.isTextual()) {
                    throw new TokenizerException("An added token of " + source + " has no valid 'id' and 'content': " + t);
                }
                boolean isSpecial = Json.bool(t, "special", false);
                added.add(new AddedToken(id.asInt(), content.asText(), isSpecial, Json.bool(t, "single_word", false),
                        Json.bool(t, "lstrip", false), Json.bool(t, "rstrip", false),
                        Json.bool(t, "normalized", !isSpecial)));
            }
        }
        this.addedVocabulary = new AddedVocabulary(added, normalizer);
        Map<String, Integer> ids = new HashMap<>();
        Map<Integer, AddedToken> byId = new HashMap<>();
        Map<String, Integer> specials = new LinkedHashMap<>();
        int max = model.maxId();
        for (AddedToken t : added) {
            ids.putIfAbsent(t.content(), t.id());
            byId.put(t.id(), t);
            max = Math.max(max, t.id());
        }
        added.stream().filter(AddedToken::special).sorted((a, b) -> Integer.compare(a.id(), b.id()))
                .forEach(t -> specials.putIfAbsent(t.content(), t.id()));
        this.addedTokenIds = ids;
        this.addedTokensById = byId;
        this.specialTokens = Collections.unmodifiableMap(specials);
        this.vocabSize = max + 1;
        this.special = new boolean[vocabSize];
        for (int id : specials.values()) {
            special[id] = true;
        }
        int longest = 1;
        // a vocab entry is spelled one character per byte, and a byte is at most one character of the decoded text
        for (String token : model.vocab().keySet()) {
            longest = Math.max(longest, token.length());
        }
        for (AddedToken t : added) {
            longest = Math.max(longest, t.content().length());
        }
        this.longestToken = longest;
    }

    private static void checkDecoder(JsonNode decoder, String source) {
        if (decoder == null || decoder.isNull()) {
            throw new TokenizerException(source + " has no decoder: quarkus-handoff needs the ByteLevel decoder of a "
                    + "byte-level BPE tokenizer");
        }
        String type = Json.type(decoder, "decoder", source);
        if (type.equals("Sequence")) {
            JsonNode items = decoder.get("decoders");
            if (items != null && items.isArray() && items.size() > 0) {
                for (JsonNode item : items) {
                    checkDecoder(item, source);
                }
                return;
            }
        } else if (type.equals("ByteLevel")) {
            return;
        }
        throw new TokenizerException("Unsupported decoder '" + type + "' in " + source
                + ": quarkus-handoff supports the ByteLevel decoder of byte-level BPE tokenizers");
    }

    /** Loads a {@code tokenizer.json} file. */
    public static Tokenizer load(Path file) {
        Objects.requireNonNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString());
        } catch (IOException e) {
            throw new TokenizerException("Cannot read the tokenizer file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads a {@code tokenizer.json} from a stream (which is not closed).
     *
     * @param sourceName how error messages name the stream, such as a classpath resource name
     */
    public static Tokenizer load(InputStream in, String sourceName) {
        Objects.requireNonNull(in, "in");
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            throw new TokenizerException(sourceName + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TokenizerException("Cannot read the tokenizer " + sourceName + ": " + e.getMessage(), e);
        }
        if (root == null) {
            throw new TokenizerException(sourceName + " is empty");
        }
        return new Tokenizer(sourceName, root);
    }

    /** Where this tokenizer was loaded from. */
    public String source() {
        return source;
    }

    /**
     * The ids of {@code text}, without any BOS/EOS (special tokens written in the text, such as those a chat
     * template renders, are recognised as such).
     */
    public int[] encode(String text) {
        Objects.requireNonNull(text, "text");
        IntList ids = new IntList(text.length() / 3 + 8);
        List<String> words = new ArrayList<>(16);
        addedVocabulary.splitRaw(text, (piece, id) -> {
            if (id >= 0) {
                ids.add(id);
                return;
            }
            String normalized = normalizer == null ? piece : normalizer.apply(piece);
            addedVocabulary.splitNormalized(normalized, (part, partId) -> {
                if (partId >= 0) {
                    ids.add(partId);
                    return;
                }
                words.clear();
                preTokenizer.split(part, words);
                for (String word : words) {
                    model.tokenize(word, ids);
                }
            });
        });
        return ids.toArray();
    }

    /**
     * The text of {@code ids}, special tokens included (like Hugging Face {@code decode} with
     * {@code skip_special_tokens=False}). Ids no token has are skipped, as Hugging Face does; bytes that do not form
     * valid UTF-8 become U+FFFD.
     */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /** The text of {@code ids}, without the special tokens when {@code skipSpecialTokens}. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        ByteLevel.ByteSink bytes = new ByteLevel.ByteSink();
        for (int id : ids) {
            appendBytes(id, skipSpecialTokens, bytes);
        }
        return Utf8.decode(bytes.array(), bytes.size());
    }

    /** A decoder that turns generated ids into text pieces as they come, never splitting a character. */
    public StreamingDecoder streamingDecoder() {
        return new StreamingDecoder(this, false);
    }

    /** A streaming decoder that drops special tokens when {@code skipSpecialTokens}. */
    public StreamingDecoder streamingDecoder(boolean skipSpecialTokens) {
        return new StreamingDecoder(this, skipSpecialTokens);
    }

    void appendBytes(int id, boolean skipSpecialTokens, ByteLevel.ByteSink out) {
        if (skipSpecialTokens && isSpecial(id)) {
            return;
        }
        String token = token(id);
        if (token != null) {
            ByteLevel.appendTokenBytes(token, out);
        }
    }

    /**
     * The number of token ids: the highest id of the vocab and the added tokens, plus one (for the usual contiguous
     * ids, Hugging Face's {@code get_vocab_size(with_added_tokens=True)}). A model's embedding needs at least this
     * many rows.
     */
    public int vocabSize() {
        return vocabSize;
    }

    /**
     * The most characters one token stands for: a text of {@code n} tokens is at most {@code n} times this long, so
     * a text that long bounds how much of a longer one can fit in {@code n} tokens, without tokenizing all of it.
     */
    public int longestTokenChars() {
        return longestToken;
    }

    /** The id of a token (an added token, or a vocab entry in its byte-level spelling such as {@code "Ġthe"}). */
    public OptionalInt tokenId(String token) {
        Integer id = addedTokenIds.get(token);
        if (id == null) {
            id = model.vocab().get(token);
        }
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The token with this id (byte-level spelling for vocab entries), or {@code null} when no token has it. */
    public String token(int id) {
        AddedToken added = addedTokensById.get(id);
        return added != null ? added.content() : model.token(id);
    }

    /** The special tokens (content to id), by ascending id. */
    public Map<String, Integer> specialTokens() {
        return specialTokens;
    }

    /** The ids of the special tokens, ascending. */
    public int[] specialTokenIds() {
        return specialTokens.values().stream().mapToInt(Integer::intValue).toArray();
    }

    public boolean isSpecial(int id) {
        return id >= 0 && id < special.length && special[id];
    }

    /**
     * Checks that every id this tokenizer produces has a row in the model's embedding.
     *
     * @param modelVocabSize the model's vocabulary size (its embedding / logits width)
     * @param modelSource the model file, for the message
     * @throws TokenizerException if the tokenizer has more ids than the model
     */
    public void checkCompatible(int modelVocabSize, Path modelSource) {
        if (vocabSize > modelVocabSize) {
            throw new TokenizerException("The tokenizer " + source + " has " + vocabSize
                    + " token ids but the model " + modelSource + " has a vocabulary of only " + modelVocabSize
                    + ": they do not belong together (use the tokenizer.json exported with this model)");
        }
    }

    @Override
    public String toString() {
        return "Tokenizer[" + source + ", " + vocabSize + " ids]";
    }
}
