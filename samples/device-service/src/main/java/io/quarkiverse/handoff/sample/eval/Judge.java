package io.quarkiverse.handoff.sample.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkiverse.handoff.ChatMessage;
import io.quarkiverse.handoff.Conversation;

/**
 * A judge model behind any OpenAI-compatible chat completions endpoint: it grades an opener, and a whole reply, 0, 1
 * or 2 on the rubrics of {@value #OPENER_RUBRIC} and {@value #REPLY_RUBRIC} (sent as the system message, the
 * conversation and what to grade as the user message), answering in JSON.
 */
public final class Judge {

    public static final String OPENER_RUBRIC = "/eval/judge-opener-rubric.txt";
    public static final String REPLY_RUBRIC = "/eval/judge-reply-rubric.txt";

    private static final Pattern JSON_OBJECT = Pattern.compile("\\{[^{}]*\\}", Pattern.DOTALL);
    private static final Pattern GRADE_FIELD = Pattern.compile("\"?grade\"?\\s*[:=]\\s*\"?(\\d+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern BARE_GRADE = Pattern.compile("^\\s*(\\d)\\b");
    private static final int QUOTED_ANSWER_CHARS = 80;

    /**
     * A grade, or why there is none.
     *
     * @param score 0, 1 or 2; null when the judge's answer could not be read
     * @param reason the judge's reason, or why the answer could not be read
     */
    public record Grade(Integer score, String reason) {
        public boolean graded() {
            return score != null;
        }
    }

    /** The judge could not be asked: no connection, an HTTP error, no answer in time. */
    public static final class UnavailableException extends RuntimeException {
        UnavailableException(String message) {
            super(message);
        }
    }

    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final Duration timeout;
    private final ObjectMapper mapper;
    private final HttpClient client;
    private final String openerRubric = resource(OPENER_RUBRIC);
    private final String replyRubric = resource(REPLY_RUBRIC);

    /**
     * @param baseUrl the server's OpenAI base URL (e.g. {@code http://localhost:8000/v1}), or the whole
     *        {@code .../chat/completions} address
     * @param apiKey sent as a bearer token; null or blank for a server that needs none
     */
    public Judge(String baseUrl, String model, String apiKey, Duration timeout, ObjectMapper mapper) {
        String url = baseUrl.strip().replaceAll("/+$", "");
        this.endpoint = URI.create(url.endsWith("/chat/completions") ? url : url + "/chat/completions");
        this.model = model;
        this.apiKey = apiKey;
        this.timeout = timeout;
        this.mapper = mapper;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public URI endpoint() {
        return endpoint;
    }

    public String model() {
        return model;
    }

    public String openerRubric() {
        return openerRubric;
    }

    public String replyRubric() {
        return replyRubric;
    }

    /** Grades the opener alone, as the beginning of a reply to the conversation. */
    public Grade gradeOpener(Conversation conversation, String opener) {
        return ask(openerRubric, transcript(conversation) + "\nOpener to grade: \"" + opener.strip() + "\"\n");
    }

    /** Grades the reply a user reads: the opener and the continuation joined. */
    public Grade gradeReply(Conversation conversation, String opener, String continuation) {
        return ask(replyRubric, transcript(conversation) + "\nOpener (on-device): \"" + opener.strip() + "\"\n"
                + "Continuation: \"" + continuation + "\"\n" + "Reply as the user reads it: \""
                + (opener + continuation).strip() + "\"\n");
    }

    private static String transcript(Conversation conversation) {
        StringBuilder text = new StringBuilder("Conversation:\n");
        for (ChatMessage message : conversation.messages()) {
            text.append(message.role().wireName()).append(": ").append(message.content()).append('\n');
        }
        return text.toString();
    }

    private Grade ask(String rubric, String task) {
        ObjectNode body = mapper.createObjectNode().put("model", model).put("temperature", 0).put("stream", false);
        body.putArray("messages").add(mapper.createObjectNode().put("role", "system").put("content", rubric))
                .add(mapper.createObjectNode().put("role", "user").put("content", task));
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        if (apiKey != null && !apiKey.isBlank()) {
            request.header("Authorization", "Bearer " + apiKey.strip());
        }
        HttpResponse<String> response;
        try {
            response = send(request.build());
        } catch (HttpTimeoutException e) {
            throw new UnavailableException("the judge at " + endpoint + " did not answer within "
                    + timeout.toMillis() / 1000.0 + " s");
        } catch (ConnectException e) {
            throw new UnavailableException("cannot connect to the judge at " + endpoint + " (connection refused "
                    + "or unreachable): is --judge-url right and the server running?");
        } catch (IOException e) {
            throw new UnavailableException("the judge at " + endpoint + " failed: " + (e.getMessage() != null
                    ? e.getMessage()
                    : e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while asking the judge");
        }
        if (response.statusCode() != 200) {
            throw new UnavailableException("the judge at " + endpoint + " answered HTTP " + response.statusCode()
                    + errorMessage(response.body()) + (response.statusCode() == 401 || response.statusCode() == 403
                            ? ": check --judge-api-key (or HANDOFF_JUDGE_API_KEY)"
                            : ""));
        }
        return grade(response.body());
    }

    /**
     * Sends a request, once more when the connection was lost before any answer: a server may close a kept-alive
     * connection between two grades (after a long handoff), and a grade is safe to ask twice.
     */
    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException | ConnectException e) {
            throw e;
        } catch (IOException e) {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
    }

    /** The grade in a chat completion's body, or an ungraded grade that says why there is none. */
    Grade grade(String completion) {
        String content;
        try {
            content = mapper.readTree(completion).path("choices").path(0).path("message").path("content").asText(null);
        } catch (IOException e) {
            return new Grade(null, "the judge's answer is not a chat completion: " + quote(completion));
        }
        if (content == null || content.isBlank()) {
            return new Grade(null, "the judge's answer has no message content");
        }
        return readGrade(content);
    }

    /** A grade out of the judge's words: its JSON object, else a "grade: N" or a bare number leading the answer. */
    Grade readGrade(String content) {
        Matcher object = JSON_OBJECT.matcher(content);
        while (object.find()) {
            try {
                JsonNode json = mapper.readTree(object.group());
                JsonNode grade = json.get("grade");
                if (grade != null && (grade.isIntegralNumber() || grade.isTextual() && grade.asText().matches("\\d+"))) {
                    return checked(grade.asInt(), json.path("reason").asText(""), content);
                }
            } catch (IOException e) {
                // not JSON after all: the looser readings below
            }
        }
        Matcher field = GRADE_FIELD.matcher(content);
        if (field.find()) {
            return checked(Integer.parseInt(field.group(1)), "", content);
        }
        Matcher bare = BARE_GRADE.matcher(content);
        if (bare.find()) {
            return checked(Integer.parseInt(bare.group(1)), "", content);
        }
        return new Grade(null, "the judge's answer holds no grade: " + quote(content));
    }

    private static Grade checked(int score, String reason, String content) {
        if (score < 0 || score > 2) {
            return new Grade(null, "the judge gave grade " + score + ", outside 0-2: " + quote(content));
        }
        return new Grade(score, reason.strip());
    }

    private String errorMessage(String body) {
        try {
            String message = mapper.readTree(body).path("error").path("message").asText("");
            return message.isBlank() ? "" : " (" + oneLine(message) + ")";
        } catch (IOException e) {
            return body.isBlank() ? "" : " (" + quote(body) + ")";
        }
    }

    private static String quote(String text) {
        String line = oneLine(text);
        return "\"" + (line.length() > QUOTED_ANSWER_CHARS ? line.substring(0, QUOTED_ANSWER_CHARS) + "..." : line)
                + "\"";
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static String resource(String name) {
        try (InputStream in = Judge.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the judge's rubric " + name + " is missing from the application");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
