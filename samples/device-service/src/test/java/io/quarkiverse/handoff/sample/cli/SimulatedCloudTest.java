package io.quarkiverse.handoff.sample.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The bench's simulated cloud spoken to over HTTP, as an OpenAI client does. */
class SimulatedCloudTest {

    static final String CHAT = "{\"model\":\"any\",\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

    @Test
    void streamsTheReplyAfterTheFirstTokenLatencyAtTheConfiguredRate() throws Exception {
        try (SimulatedCloud cloud = SimulatedCloud.start()) {
            assertThat(SimulatedCloud.running()).isSameAs(cloud);
            assertThat(cloud.applicationConfig()).containsEntry("quarkus.langchain4j.openai.base-url",
                    cloud.baseUrl()).containsEntry("quarkus.langchain4j.openai.api-key", SimulatedCloud.API_KEY);
            cloud.firstTokenLatency(Duration.ofMillis(300));
            cloud.wordsPerSecond(200);
            HttpClient client = HttpClient.newHttpClient();
            long start = System.nanoTime();
            HttpResponse<InputStream> response = client.send(chat(cloud, true),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
            List<String> deltas = new ArrayList<>();
            double firstContentMs = -1;
            boolean doneMarker = false;
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.equals("data: [DONE]")) {
                        doneMarker = true;
                    } else if (line.startsWith("data: ")) {
                        JsonNode chunk = CliTest.MAPPER.readTree(line.substring(6));
                        assertThat(chunk.get("object").asText()).isEqualTo("chat.completion.chunk");
                        JsonNode content = chunk.get("choices").get(0).get("delta").get("content");
                        if (content != null && !content.asText().isEmpty()) {
                            if (firstContentMs < 0) {
                                firstContentMs = (System.nanoTime() - start) / 1e6;
                            }
                            deltas.add(content.asText());
                        }
                    }
                }
            }
            double totalMs = (System.nanoTime() - start) / 1e6;
            assertThat(doneMarker).isTrue();
            assertThat(String.join("", deltas)).isEqualTo(SimulatedCloud.REPLY);
            // lower bounds only, which the server's timers guarantee on any machine: the first word comes after the
            // latency, and the remaining words at 200 per second (one every 5 ms), not all at once
            assertThat(firstContentMs).isGreaterThanOrEqualTo(300);
            assertThat(totalMs).isGreaterThanOrEqualTo(300 + (deltas.size() - 1) * 5);
            assertThat(cloud.chatRequests()).isEqualTo(1);

            HttpResponse<String> whole = client.send(chat(cloud, false), HttpResponse.BodyHandlers.ofString());
            assertThat(CliTest.MAPPER.readTree(whole.body()).get("choices").get(0).get("message").get("content")
                    .asText()).isEqualTo(SimulatedCloud.REPLY);

            HttpResponse<String> other = client.send(HttpRequest.newBuilder(URI.create(cloud.baseUrl() + "embeddings"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(404);
            assertThat(CliTest.MAPPER.readTree(other.body()).get("error").get("message").asText())
                    .contains("embeddings");
        }
        assertThat(SimulatedCloud.running()).isNull();
    }

    private static HttpRequest chat(SimulatedCloud cloud, boolean stream) {
        return HttpRequest.newBuilder(URI.create(cloud.baseUrl() + "chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(String.format(CHAT, stream))).build();
    }
}
