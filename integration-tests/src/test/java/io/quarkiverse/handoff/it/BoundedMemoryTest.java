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
 * long conversation (one huge turn, thousands of short ones): every one is answered without a 5xx, the service logs no
 * OutOfMemoryError, and it answers an ordinary request afterwards.
 */
class BoundedMemoryTest {

    static final int CONCURRENT = 16;
    static final int NEAR_THE_LIMIT = 1024 * 1024 - 4096;

    final PackagedServiceTest packaged = new PackagedServiceTest();

    @AfterEach
    void stop() throws InterruptedException {
        packaged.stop();
    }

    @Test
    void sixteenConcurrentMaximumSizeRequestsFitA256MegabyteHeap(@TempDir Path dir) throws Exception {
        int port = packaged.start(dir, "-Xmx256m");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        for (String body : List.of(oneHugeTurn(), thousandsOfTurns())) {
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

    /** One user turn of about 1 MiB, the question at its end. */
    private static String oneHugeTurn() {
        String question = " So, what is the capital of Peru?";
        String filler = "word ".repeat((NEAR_THE_LIMIT - 200) / 5);
        return conversation(List.of(new JsonObject().put("role", "user").put("content", filler + question)));
    }

    /** Thousands of short turns adding up to about 1 MiB. */
    private static String thousandsOfTurns() {
        List<JsonObject> turns = new ArrayList<>();
        int size = 0;
        for (int i = 0; size < NEAR_THE_LIMIT - 300; i++) {
            JsonObject turn = new JsonObject().put("role", i % 2 == 0 ? "user" : "assistant").put("content",
                    "Turn " + i + " says a little.");
            turns.add(turn);
            size += turn.encode().length() + 1;
        }
        if (turns.get(turns.size() - 1).getString("role").equals("assistant")) {
            turns.remove(turns.size() - 1);
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
