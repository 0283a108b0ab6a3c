package io.quarkiverse.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.handoff.it.ServerSentEvents.Event;
import io.vertx.core.json.JsonObject;

/**
 * The README's run command, as a user runs it: {@code java -jar samples/device-service/target/quarkus-app/quarkus-run.jar}
 * in a process of its own with no cloud settings, then the README's curl request to {@code /v1/handoff}. Only the port
 * differs (a free one instead of 8080).
 */
class PackagedServiceTest {

    /** The README's curl body, unchanged. */
    static final String README_REQUEST = "{\"messages\":[{\"role\":\"user\",\"content\":\"Set a timer for 10 minutes\"}],"
            + "\"profile\":\"watch\"}";
    static final Pattern LISTENING = Pattern.compile("Listening on: http://[^\\s:]+:(\\d+)");
    static final Duration STARTUP_LIMIT = Duration.ofSeconds(90);

    Process service;

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null && service.isAlive()) {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly();
                fail("the service did not stop within 30 s of SIGTERM");
            }
        }
    }

    @Test
    void theReadmeRunCommandServesTheReadmeRequest(@TempDir Path dir) throws Exception {
        int port = start(dir);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

        HttpResponse<String> response = sendReadmeRequest(http, port);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<Event> events = ServerSentEvents.parse(response.body());
        String sequence = String.join(" ", ServerSentEvents.names(events));
        // opener words, then the handoff, then the continuation, then done: nothing else, in that order
        assertThat(sequence).matches("(opener )+handoff (continuation )+done");
        assertThat(events.get(0).data().getString("text")).isNotBlank();
        JsonObject handoff = events.stream().filter(e -> e.name().equals("handoff")).findFirst().orElseThrow().data();
        assertThat(handoff.getString("continuator")).as("no cloud configured").isEqualTo("embedded");
        JsonObject done = events.get(events.size() - 1).data();
        assertThat(done.getString("text")).isEqualTo(done.getString("opener") + done.getString("continuation"));
        JsonObject timings = done.getJsonObject("timings");
        for (String timing : List.of("openerFirstTokenMs", "openerFirstWordMs", "openerDoneMs", "totalMs")) {
            assertThat(timings.getDouble(timing)).as(timing).isNotNull().isPositive();
        }
        assertThat(timings.getDouble("openerFirstWordMs")).isLessThanOrEqualTo(timings.getDouble("totalMs"));

        assertThat(Files.readString(dir.resolve("stdout.txt"))).as("listens on this machine only")
                .contains("Listening on: http://localhost:" + port);

        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/q/health/ready")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);

        service.destroy();
        assertThat(service.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        String log = Files.readString(dir.resolve("stdout.txt")) + Files.readString(dir.resolve("stderr.txt"));
        assertThat(log).as("no stack trace in the service's output").doesNotContainPattern("\\n\\s+at [\\w.$]+\\(");
    }

    /**
     * The device command of docs/native.md, {@code java @device-jvm.args -jar quarkus-run.jar} in the packaged
     * sample's directory: the service answers the README's request, and its classes come from the class archive that
     * the build wrote from a training run (the JVM logs where it loaded each class from): Quarkus's, and those loaded
     * after the run time's initialization began, by the HTTP server, the rules' warm-up, the opener's loading and a
     * handoff.
     */
    @Test
    void theDeviceCommandServesTheReadmeRequestWithTheBuildsClassArchive(@TempDir Path dir) throws Exception {
        service = PackagedCliTest.packagedJarFromItsDirectory(dir, List.of("@device-jvm.args",
                "-Xlog:class+load=info:file=" + dir.resolve("classes.txt"), "-Dquarkus.http.port=0")).start();
        int port = awaitListening(dir);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = sendReadmeRequest(http, port);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(ServerSentEvents.names(ServerSentEvents.parse(response.body()))).endsWith("done");
        String classes = Files.readString(dir.resolve("classes.txt"));
        for (String archived : List.of("io.quarkus.runtime.Application", "io.vertx.core.http.impl.HttpServerImpl",
                "org.drools.modelcompiler.KieBaseBuilder", "ai.onnxruntime.OrtSession",
                "io.quarkiverse.handoff.runtime.HandoffRun")) {
            assertThat(classes).as("%s comes from the archive", archived)
                    .contains(archived + " source: shared objects file");
        }
        assertThat(Files.readString(dir.resolve("stdout.txt")) + Files.readString(dir.resolve("stderr.txt")))
                .as("the JVM took every option").doesNotContain("Unrecognized", "warning");
    }

    /**
     * Stopping the service while a handoff waits for the cloud (the request sent, no response headers yet, the
     * deadline seconds away) closes the cloud request: the connection to the cloud is gone within 1 s of SIGTERM.
     */
    @Test
    void stoppingTheServiceClosesTheCloudRequestsInFlight(@TempDir Path dir) throws Exception {
        try (OpenAiStreamingServer cloud = new OpenAiStreamingServer()) {
            cloud.then(OpenAiStreamingServer.Behaviour.noAnswer());
            int port = start(dir, "-Dquarkus.langchain4j.openai.base-url=" + cloud.baseUrl(),
                    "-Dquarkus.langchain4j.openai.api-key=test-key", "-Dquarkus.handoff.continuator.prewarm=false");
            try (HandoffSocket handoff = new HandoffSocket(port, CloudContinuationTest.body("desktop",
                    CloudContinuationTest.TIMER))) {
                handoff.next("handoff");
                await().atMost(Duration.ofSeconds(30)).until(() -> cloud.requests().size() == 1);
                assertThat(cloud.openConnections()).isEqualTo(1);

                service.destroy();
                await("the cloud connection closed within 1 s of SIGTERM").atMost(Duration.ofSeconds(1))
                        .pollInterval(Duration.ofMillis(10)).until(() -> cloud.openConnections() == 0);
                assertThat(service.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
            }
        }
    }

    /**
     * Starts the packaged service on a free port, on embedded defaults and these options, and returns the port it listens on.
     */
    int start(Path dir, String... options) throws IOException, InterruptedException {
        List<String> jvmOptions = new ArrayList<>(List.of("-Dquarkus.http.port=0"));
        jvmOptions.addAll(List.of(options));
        service = PackagedCliTest.packagedJar(dir, jvmOptions).start();
        return awaitListening(dir);
    }

    /** The README's handoff request, answered as a whole. */
    static HttpResponse<String> sendReadmeRequest(HttpClient http, int port) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/handoff"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(README_REQUEST)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The port the service listens on, once it says so on its output. */
    int awaitListening(Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher listening = LISTENING.matcher(Files.readString(dir.resolve("stdout.txt")));
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            if (!service.isAlive()) {
                fail("the service exited with " + service.exitValue() + " before listening:\n"
                        + Files.readString(dir.resolve("stdout.txt")) + Files.readString(dir.resolve("stderr.txt")));
            }
            Thread.sleep(100);
        }
        fail("the service did not listen within " + STARTUP_LIMIT.toSeconds() + " s:\n"
                + Files.readString(dir.resolve("stdout.txt")));
        return -1;
    }
}
