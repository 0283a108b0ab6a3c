package io.quarkiverse.handoff.sample.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.Conversation;

/**
 * Reads a prompt set: JSON Lines, one conversation per line,
 * {@code {"category": "arithmetic", "messages": [{"role": "user", "content": "What is 17 times 23?"}], "profile":
 * "watch"}} ({@code profile} is optional). Blank lines are skipped. A line that is wrong is an
 * {@link IllegalArgumentException} whose message names the file and the line and says how to fix it.
 */
public final class EvalPrompts {

    /** The prompt set that ships with the sample, used when the command is given none. */
    public static final String DEFAULT_SET = "/eval/prompts.jsonl";
    /** How the default set is named in messages and in the report. */
    public static final String DEFAULT_SET_NAME = "the default prompt set (eval/prompts.jsonl)";

    private static final Set<String> FIELDS = Set.of("category", "messages", "profile");
    private static final String LINE_SHAPE = "{\"category\": \"how-to\", \"messages\": [{\"role\": \"user\", "
            + "\"content\": \"...\"}]}";

    private EvalPrompts() {
    }

    public static List<EvalConversation> defaultSet(ObjectMapper mapper) {
        try (InputStream in = EvalPrompts.class.getResourceAsStream(DEFAULT_SET)) {
            if (in == null) {
                throw new IllegalStateException("the default prompt set " + DEFAULT_SET + " is missing");
            }
            return parse(DEFAULT_SET_NAME, new String(in.readAllBytes(), StandardCharsets.UTF_8), mapper);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The conversations of a prompt file's text.
     *
     * @param source the file's name, for messages
     * @throws IllegalArgumentException naming {@code source} and the line, when a line is wrong or there is none
     */
    public static List<EvalConversation> parse(String source, String text, ObjectMapper mapper) {
        List<EvalConversation> conversations = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.isEmpty()) {
                conversations.add(conversation(source + ":" + (i + 1), i + 1, line, mapper));
            }
        }
        if (conversations.isEmpty()) {
            throw new IllegalArgumentException(source + ": no conversations: write one JSON object per line, "
                    + LINE_SHAPE);
        }
        return conversations;
    }

    private static EvalConversation conversation(String where, int lineNumber, String line, ObjectMapper mapper) {
        JsonNode json;
        try {
            json = mapper.readTree(line);
        } catch (JsonProcessingException e) {
            // Jackson's own message ends with where the object began, as a location the user cannot use
            String problem = e.getOriginalMessage().replaceAll("\\s*\\(start marker at \\[[^\\]]*\\]\\)", "")
                    .strip();
            String column = e.getLocation() != null && e.getLocation().getColumnNr() > 0
                    ? "at column " + e.getLocation().getColumnNr() + ": "
                    : "";
            throw new IllegalArgumentException(where + ": not JSON (" + column + problem + "): write the whole "
                    + "conversation on one line as " + LINE_SHAPE);
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException(where + ": not a JSON object: write the conversation as "
                    + LINE_SHAPE);
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(where + ": unknown field '" + name
                        + "': a line has 'category', 'messages' and optionally 'profile'");
            }
        }
        JsonNode category = json.get("category");
        if (category == null || !category.isTextual() || category.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": no 'category': add one, e.g. \"category\": \"how-to\" "
                    + "(any name: the report groups the conversations by it)");
        }
        JsonNode profile = json.get("profile");
        if (profile != null && !profile.isNull() && (!profile.isTextual() || profile.asText().isBlank())) {
            throw new IllegalArgumentException(where + ": 'profile' must be a device profile's name, e.g. "
                    + "\"watch\", or left out");
        }
        return new EvalConversation(lineNumber, category.asText().strip(), messages(where, json.get("messages")),
                profile == null || profile.isNull() ? null : profile.asText().strip());
    }

    private static Conversation messages(String where, JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw new IllegalArgumentException(where + ": no 'messages': add a list of {\"role\": \"user\", "
                    + "\"content\": \"...\"} with the user's question last");
        }
        List<ChatMessage> turns = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            JsonNode content = message.get("content");
            if (!message.isObject() || content == null || !content.isTextual()) {
                throw new IllegalArgumentException(where + ": messages[" + i + "] needs a 'content' string: write "
                        + "{\"role\": \"user\", \"content\": \"...\"}");
            }
            JsonNode role = message.get("role");
            try {
                turns.add(new ChatMessage(ChatMessage.Role.parse(role == null || role.isNull() ? null : role.asText()),
                        content.asText()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": messages[" + i + "]: " + e.getMessage());
            }
        }
        try {
            return new Conversation(turns);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage().replace("send the question in its "
                    + "'content'", "write the question in its 'content'"));
        }
    }
}
