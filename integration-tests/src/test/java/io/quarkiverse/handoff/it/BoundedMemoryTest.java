package io.quarkiverse.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The packaged service on a device-sized heap ({@code -Xmx256m}) takes 16 concurrent requests of the largest body it
 * accepts (just under {@code quarkus.http.limits.max-body-size}, 1 MiB), on both endpoints and in both shapes of a
 * long conversation the message limits allow (as few turns as possible, each of the longest length; as many turns as
 * allowed, each as long as the body leaves room for): every one is answered without a 5xx, the service logs no
 * OutOfMemoryError, and it answers an ordinary request afterwards.
 */
class BoundedMemoryTest {

    static final int CONCURRENT = 16;
    static final int NEAR_THE_LIMIT = 1024 * 1024 - 4096;
    /** The sample's defaults of handoff.sample.max-messages and handoff.sample.max-message-length. */
    static final int MAX_MESSAGES = 200;
    static final int MAX_MESSAGE_LENGTH = 32_768;

    final PackagedServiceTest packaged = new PackagedServiceTest();

    @AfterEach
    void stop() throws InterruptedException {
        packaged.stop();
    }

    @Test
    void sixteenConcurrentMaximumSizeRequestsFitA256MegabyteHeap(@TempDir Path dir) throws Exception {
        int port = packaged.start(dir, "-Xmx256m");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        for (String body : List.of(longestTurns(), mostTurns())) {
            assertThat(body.getBytes(StandardCharsets.UTF_8).length).isBetween(1_000_000, 1024 * 1024);
            for (String path : List.of("/v1/handoff", "/v1/chat/completions")) {
                List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
                for (int i = 0; i < CONCURRENT; i++) {
                    responses.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                            .timeout(Duration.ofSeconds(300)).header("Content-Type", "application/json")
                            .header("X-Device-Profile", "watch")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString()));
                }
                for (CompletableFuture<HttpResponse<String>> response : responses) {
                    HttpResponse<String> answer = response.get();
                    assertThat(answer.statusCode()).as(path + ": " + abbreviated(answer.body())).isEqualTo(200);
                    assertThat(answer.body()).as(path).doesNotContain("heap space", "OutOfMemory");
                }
            }
        }

        HttpResponse<String> ordinary = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/v1/handoff")).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(PackagedServiceTest.README_REQUEST)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ordinary.statusCode()).isEqualTo(200);
        assertThat(ordinary.body()).contains("event:done");
        String log = Files.readString(dir.resolve("stdout.txt")) + Files.readString(dir.resolve("stderr.txt"));
        assertThat(log).doesNotContain("OutOfMemoryError");
    }

    /** Turns of the longest length a message may have ({@code handoff.sample.max-message-length}), about 1 MiB. */
    private static String longestTurns() {
        return turns(MAX_MESSAGE_LENGTH, NEAR_THE_LIMIT / (MAX_MESSAGE_LENGTH + 40));
    }

    /** As many turns as a conversation may have ({@code handoff.sample.max-messages}), about 1 MiB in all. */
    private static String mostTurns() {
        return turns(NEAR_THE_LIMIT / MAX_MESSAGES - 40, MAX_MESSAGES);
    }

    /** {@code count} turns of {@code length} characters, user and assistant in turn, a question last. */
    private static String turns(int length, int count) {
        String question = " So, what is the capital of Peru?";
        List<JsonObject> turns = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String role = (count - 1 - i) % 2 == 0 ? "user" : "assistant";
            String filler = ("Turn " + i + " says a little. ").repeat(length / 10 + 1);
            turns.add(new JsonObject().put("role", role).put("content",
                    filler.substring(0, length - question.length()) + question));
        }
        return conversation(turns);
    }

    private static String conversation(List<JsonObject> turns) {
        return new JsonObject().put("messages", new JsonArray(new ArrayList<>(turns))).encode();
    }

    private static String abbreviated(String text) {
        return text.length() <= 400 ? text : text.substring(0, 400) + "...";
    }
}
