package io.quarkiverse.handoff.runtime.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.handoff.ChatMessage;

/**
 * Renders a conversation into the prompt string of a chat model, natively (no Jinja engine): the template found in
 * {@code chat_template.jinja} or {@code tokenizer_config.json} is recognised by family and rendered the way
 * {@code transformers}' {@code apply_chat_template} renders it.
 * <ul>
 * <li>{@link Family#CHATML} (templates with {@code <|im_start|>} and {@code <|im_end|>}: Qwen2, MiniMind, ...):
 * {@code <|im_start|>{role}\n{content}<|im_end|>\n} per turn, {@code <|im_start|>assistant\n} as generation prompt.
 * When the template injects a default system message for conversations that do not start with one (Qwen2's
 * "You are a helpful assistant."), that message is read out of the template and injected the same way.</li>
 * <li>{@link Family#LLAMA3} (templates with {@code <|start_header_id|>}, Llama 3.0 layout): the BOS token, then
 * {@code <|start_header_id|>{role}<|end_header_id|>\n\n{content, trimmed}<|eot_id|>} per turn. Llama 3.1+ templates
 * (with a dated system preamble) are not rendered natively.</li>
 * </ul>
 * Other templates are refused with a message suggesting {@value #CONFIG_PROPERTY}, which names a family instead.
 */
public final class ChatTemplate {

    /** The configuration property that can name a template family (or a template file) instead. */
    public static final String CONFIG_PROPERTY = "quarkus.handoff.opener.chat-template";

    private static final String IM_START = "<|im_start|>";
    private static final String IM_END = "<|im_end|>";
    private static final String START_HEADER = "<|start_header_id|>";
    private static final String END_HEADER = "<|end_header_id|>";
    private static final String EOT = "<|eot_id|>";
    private static final String LLAMA3_BOS = "<|begin_of_text|>";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The template families rendered natively. */
    public enum Family {
        CHATML("chatml"),
        LLAMA3("llama3");

        private final String configName;

        Family(String configName) {
            this.configName = configName;
        }

        /** The name {@value ChatTemplate#CONFIG_PROPERTY} uses for this family. */
        public String configName() {
            return configName;
        }

        /** The family a configuration value names, if any (case-insensitive; {@code llama-3} works too). */
        public static Optional<Family> fromConfigName(String name) {
            if (name == null) {
                return Optional.empty();
            }
            String key = name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
            for (Family f : values()) {
                if (f.configName.equals(key)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    private final Family family;
    private final String defaultSystemMessage;
    private final String bosToken;
    private final String origin;

    private ChatTemplate(Family family, String defaultSystemMessage, String bosToken, String origin) {
        this.family = family;
        this.defaultSystemMessage = defaultSystemMessage;
        this.bosToken = bosToken == null ? "" : bosToken;
        this.origin = origin;
    }

    /** A ChatML renderer; {@code defaultSystemMessage} (nullable) is injected when the first turn is not a system one. */
    public static ChatTemplate chatMl(String defaultSystemMessage) {
        return new ChatTemplate(Family.CHATML, defaultSystemMessage, "", "the built-in chatml template");
    }

    /** A Llama-3 renderer starting with {@code bosToken} (nullable: {@code <|begin_of_text|>}). */
    public static ChatTemplate llama3(String bosToken) {
        return new ChatTemplate(Family.LLAMA3, null, bosToken == null ? LLAMA3_BOS : bosToken,
                "the built-in llama3 template");
    }

    /** The renderer of a family named like {@value #CONFIG_PROPERTY} ({@code chatml}, {@code llama3}). */
    public static ChatTemplate ofFamily(String name) {
        Family family = Family.fromConfigName(name).orElseThrow(() -> new TokenizerException("Unknown chat template family '"
                + name + "' in " + CONFIG_PROPERTY + ": use one of " + familyNames()
                + ", or the path of a chat_template.jinja / tokenizer_config.json file"));
        return family == Family.CHATML ? chatMl(null) : llama3(null);
    }

    /**
     * The renderer for a model: the family or template file named by the configuration when it is set, else the
     * template of the model directory (see {@link #load(Path)}).
     *
     * @param configured the value of {@value #CONFIG_PROPERTY}, or null/blank when not set
     */
    public static ChatTemplate resolve(String configured, Path modelDirectory) {
        if (configured != null && !configured.isBlank()) {
            Optional<Family> family = Family.fromConfigName(configured);
            if (family.isPresent()) {
                return ofFamily(configured);
            }
            Path file = Path.of(configured.trim());
            if (!file.isAbsolute() && modelDirectory != null && !Files.exists(file)) {
                file = modelDirectory.resolve(file);
            }
            if (Files.isRegularFile(file)) {
                return load(file);
            }
            return ofFamily(configured); // throws, listing the families
        }
        return load(modelDirectory);
    }

    /**
     * Reads the chat template of a model: given a directory, its {@code chat_template.jinja} if present (as
     * {@code transformers} does), else the {@code chat_template} of its {@code tokenizer_config.json}; given a file,
     * that {@code .jinja} or {@code tokenizer_config.json} file. The BOS token comes from
     * {@code tokenizer_config.json} when there is one.
     */
    public static ChatTemplate load(Path path) {
        Objects.requireNonNull(path, "path");
        Path config;
        Path jinja;
        if (Files.isDirectory(path)) {
            config = path.resolve("tokenizer_config.json");
            jinja = path.resolve("chat_template.jinja");
        } else if (path.getFileName() != null && path.getFileName().toString().endsWith(".json")) {
            config = path;
            jinja = null;
        } else {
            jinja = path;
            Path parent = path.toAbsolutePath().getParent();
            config = parent == null ? null : parent.resolve("tokenizer_config.json");
        }
        JsonNode configJson = config != null && Files.isRegularFile(config) ? readJson(config) : null;
        String bos = configJson == null ? null : tokenContent(configJson.get("bos_token"));
        if (jinja != null && Files.isRegularFile(jinja)) {
            return fromSource(readString(jinja), bos, jinja.toString());
        }
        if (configJson == null) {
            throw new TokenizerException("No chat template found for " + path + ": expected chat_template.jinja or "
                    + "tokenizer_config.json with a 'chat_template'; or set " + CONFIG_PROPERTY + " to one of "
                    + familyNames());
        }
        String template = templateOf(configJson.get("chat_template"));
        if (template == null) {
            throw new TokenizerException(config + " has no 'chat_template': set " + CONFIG_PROPERTY + " to one of "
                    + familyNames() + " to render prompts for this model");
        }
        return fromSource(template, bos, config.toString());
    }

    /**
     * Recognises a Jinja chat template.
     *
     * @param bosToken the tokenizer's BOS token, used by Llama-3 templates (nullable)
     * @param origin the file the template comes from, for messages
     */
    public static ChatTemplate fromSource(String template, String bosToken, String origin) {
        Objects.requireNonNull(template, "template");
        if (template.contains(IM_START) && template.contains(IM_END)) {
            return new ChatTemplate(Family.CHATML, JinjaStrings.chatMlDefaultSystem(template), bosToken, origin);
        }
        if (template.contains(START_HEADER) && template.contains(END_HEADER)) {
            if (template.contains("Cutting Knowledge Date") || template.contains("date_string")) {
                throw new TokenizerException("The chat template of " + origin + " is a Llama 3.1+ template (with a "
                        + "dated system preamble), which is not rendered natively: set " + CONFIG_PROPERTY
                        + "=llama3 to use the Llama 3.0 layout instead");
            }
            return new ChatTemplate(Family.LLAMA3, null, bosToken == null ? LLAMA3_BOS : bosToken, origin);
        }
        throw new TokenizerException("Unsupported chat template in " + origin + ": it is neither ChatML (" + IM_START
                + "/" + IM_END + ") nor Llama-3 (" + START_HEADER + "); set " + CONFIG_PROPERTY + " to one of "
                + familyNames() + " to choose how prompts are rendered");
    }

    public Family family() {
        return family;
    }

    /** The system message injected when a conversation does not start with one. */
    public Optional<String> defaultSystemMessage() {
        return Optional.ofNullable(defaultSystemMessage);
    }

    /** The BOS token a Llama-3 prompt starts with (empty for ChatML). */
    public String bosToken() {
        return family == Family.LLAMA3 ? bosToken : "";
    }

    /** Where the template came from. */
    public String origin() {
        return origin;
    }

    /** The token that ends an assistant turn: generation stops there. */
    public String endOfTurnToken() {
        return family == Family.CHATML ? IM_END : EOT;
    }

    /** What opens the assistant's turn. */
    public String generationPrompt() {
        return family == Family.CHATML ? IM_START + "assistant\n" : START_HEADER + "assistant" + END_HEADER + "\n\n";
    }

    /** The prompt of a conversation, ending with the generation prompt. */
    public String render(List<ChatMessage> messages) {
        return render(messages, true);
    }

    /**
     * Renders a conversation.
     *
     * @param addGenerationPrompt whether to open the assistant's turn at the end
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        Objects.requireNonNull(messages, "messages");
        StringBuilder sb = new StringBuilder(256);
        if (family == Family.CHATML) {
            if (defaultSystemMessage != null
                    && (messages.isEmpty() || messages.get(0).role() != ChatMessage.Role.SYSTEM)) {
                sb.append(IM_START).append("system\n").append(defaultSystemMessage).append(IM_END).append('\n');
            }
            for (ChatMessage m : messages) {
                sb.append(IM_START).append(m.role().wireName()).append('\n').append(m.content()).append(IM_END)
                        .append('\n');
            }
        } else {
            sb.append(bosToken);
            for (ChatMessage m : messages) {
                sb.append(START_HEADER).append(m.role().wireName()).append(END_HEADER).append("\n\n")
                        .append(JinjaStrings.trim(m.content())).append(EOT);
            }
        }
        if (addGenerationPrompt) {
            sb.append(generationPrompt());
        }
        return sb.toString();
    }

    /**
     * The prompt of a conversation followed by the start of the assistant's reply (prefill): generation continues
     * {@code assistantPrefix}, which is appended verbatim (like {@code continue_final_message=True}).
     */
    public String renderWithAssistantPrefix(List<ChatMessage> messages, String assistantPrefix) {
        Objects.requireNonNull(assistantPrefix, "assistantPrefix");
        return render(messages, true) + assistantPrefix;
    }

    @Override
    public String toString() {
        return "ChatTemplate[" + family.configName() + ", " + origin + "]";
    }

    private static String familyNames() {
        List<String> names = new ArrayList<>();
        for (Family f : Family.values()) {
            names.add(f.configName());
        }
        return String.join(", ", names);
    }

    /** {@code chat_template} is a string, or a list of {name, template} objects of which "default" is used. */
    private static String templateOf(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                if ("default".equals(Json.optionalText(item, "name"))) {
                    return Json.optionalText(item, "template");
                }
            }
        }
        return null;
    }

    /** A special token of tokenizer_config.json: a string or an {"content": ...} object. */
    private static String tokenContent(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isTextual() ? node.asText() : Json.optionalText(node, "content");
    }

    private static JsonNode readJson(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new TokenizerException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TokenizerException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
