package io.quarkiverse.handoff.sample.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.handoff.sample.eval.EvalReport;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * {@code eval} with a cloud configured (the application's quarkus-langchain4j OpenAI provider pointed at a real
 * OpenAI-protocol streaming server on 127.0.0.1): the replies are continued in the cloud, and a cloud that fails makes
 * a degraded reply that the report counts with its code.
 */
@QuarkusMainTest
@TestProfile(EvalCommandCloudTest.FlakyCloudConfigured.class)
class EvalCommandCloudTest {

    /** Streams a continuation when the question is about eggs, answers HTTP 500 to anything else. */
    static final class FlakyCloud {
        static final Vertx VERTX = Vertx.vertx();
        static final HttpServer SERVER = start();

        private static HttpServer start() {
            try {
                return VERTX.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
                    if (!request.path().endsWith("/chat/completions")) {
                        request.response().setStatusCode(404).end();
                    } else if (body.toString().contains("egg")) {
                        request.response().setChunked(true).putHeader("content-type", "text/event-stream");
                        request.response().write(chunk(" put the egg in boiling water for nine minutes.", null));
                        request.response().write(chunk("", "stop"));
                        request.response().end("data: [DONE]\n\n");
                    } else {
                        request.response().setStatusCode(500).putHeader("content-type", "application/json")
                                .end("{\"error\":{\"message\":\"the cloud broke\",\"type\":\"server_error\"}}");
                    }
                })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private static String chunk(String content, String finishReason) {
            return "data: " + new JsonObject().put("id", "chatcmpl-test").put("object", "chat.completion.chunk")
                    .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                            .put("delta", new JsonObject().put("content", content))
                            .put("finish_reason", finishReason)))
                    .encode() + "\n\n";
        }
    }

    public static class FlakyCloudConfigured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.langchain4j.openai.base-url",
                    "http://127.0.0.1:" + FlakyCloud.SERVER.actualPort() + "/v1/",
                    "quarkus.langchain4j.openai.api-key", "test-key");
        }
    }

    @AfterEach
    void letTheOpenerLoaderFinish() throws InterruptedException {
        CliTest.awaitOpenerLoader();
    }

    @AfterAll
    static void stopTheCloud() throws Exception {
        FlakyCloud.VERTX.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theCloudContinuesTheRepliesAndAFailingCloudIsCountedAsDegradedWithItsCode(QuarkusMainLauncher launcher,
            @TempDir Path dir) throws Exception {
        Path prompts = Files.writeString(dir.resolve("cloud.jsonl"),
                "{\"category\": \"how-to\", \"messages\": [{\"role\": \"user\", \"content\": \"How do I boil an "
                        + "egg?\"}]}\n{\"category\": \"weather\", \"messages\": [{\"role\": \"user\", \"content\": "
                        + "\"Should I wear a coat today?\"}]}\n");
        Path out = dir.resolve("out");
        LaunchResult result = launcher.launch("eval", prompts.toString(), "--profile", "phone", "--out",
                out.toString());
        assertThat(result.exitCode()).as("stderr: %s", result.getErrorOutput()).isZero();

        List<Map<String, String>> rows = EvalCommandTest.csv(out.resolve(EvalReport.CSV));
        assertThat(rows).hasSize(2);
        Map<String, String> egg = rows.get(0);
        assertThat(egg.get("continuator")).isNotEmpty().isNotEqualTo("embedded");
        assertThat(egg.get("continuation")).contains("nine minutes");
        assertThat(egg.get("degraded_code")).isEmpty();
        assertThat(egg.get("cloud_first_token_ms")).isNotEmpty();
        Map<String, String> coat = rows.get(1);
        assertThat(coat.get("failure")).isEmpty();
        assertThat(coat.get("degraded_code")).isEqualTo("http-error");
        assertThat(coat.get("strategy")).isEqualTo("local");

        assertThat(result.getOutput()).containsPattern("(?m)^how-to\\s+1\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\d+\\s+\\d+"
                + "\\s+0\\s+0\\s").containsPattern("(?m)^weather\\s+1\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\S+\\s+\\d+\\s+\\d+"
                        + "\\s+1\\s+0\\s");
        assertThat(result.getErrorOutput()).contains("eval: [2/2] weather, line 2, phone: ", "degraded (http-error)");
        assertThat(Files.readString(out.resolve(EvalReport.HTML))).contains("degraded: http-error");
    }
}
