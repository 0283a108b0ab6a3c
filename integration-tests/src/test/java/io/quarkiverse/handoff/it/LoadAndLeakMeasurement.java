package io.quarkiverse.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.DoubleStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkiverse.handoff.it.OpenAiStreamingServer.Behaviour;
import io.vertx.core.json.JsonObject;

/**
 * The load-and-leak benchmark of docs/reliability.md: the packaged sample ({@code java -jar quarkus-run.jar}, as
 * {@link PackagedServiceTest} starts it) continues with a fake OpenAI-protocol cloud on 127.0.0.1, first a healthy one
 * and then one that stalls after two chunks; for each, a fixed number of {@code /v1/handoff} requests is sent over
 * loopback at 1, 10 and 50 at a time and every event stream is read to its end. Per row it counts how the requests
 * ended, the client's times to the first word and to {@code done}, the service's RSS and threads before and after, and
 * the cloud's connections {@link #SETTLE} after the last request: in progress (a leak) or idle (kept by the client's
 * pool). Not part of the default build (surefire excludes *Measurement); run it with {@link #COMMAND} (the sample
 * must be packaged: the command does it). Prints the table, writes it to docs/reliability.md between its markers, then
 * fails if a request ended in an error or an upstream response was still in progress.
 */
class LoadAndLeakMeasurement {

    static final String COMMAND = "./mvnw -B -o verify -pl extension,policies,samples/micro-model,runtime,deployment,"
            + "samples/device-service,integration-tests -Dtest=LoadAndLeakMeasurement "
            + "-Dsurefire.failIfNoSpecifiedTests=false -DskipITs";
    static final Path REPORT = Path.of("../docs/reliability.md");
    static final String BEGIN = "<!-- load-and-leak table: written by LoadAndLeakMeasurement -->";
    static final String END = "<!-- end of load-and-leak table -->";
    /** Requests per row: {@code -Dload.requests=N} for another count. */
    static final int REQUESTS = Integer.getInteger("load.requests", 200);
    static final int[] CONCURRENCY = { 1, 10, 50 };
    /** Requests before the first row of each cloud, not counted: the JIT and the opener warm up. */
    static final int WARM_UP = 10;
    /** How long after the last request of a row the service and the cloud are measured. */
    static final Duration SETTLE = Duration.ofMillis(1500);
    /**
     * How long after the last row of a cloud the service and the cloud are measured once more: longer than the worker
     * threads' keep-alive (Quarkus's {@code quarkus.thread-pool.keep-alive-time}, 30 s) and the HTTP client's idle
     * connections' (Vert.x's keep-alive timeout, 60 s), to show what the load left behind for good.
     */
    static final Duration QUIET = Duration.ofSeconds(65);
    /** A stream not finished within this is cut and counted as an error. */
    static final Duration REQUEST_LIMIT = Duration.ofSeconds(60);
    static final List<String> DELTAS = List.of(" zebra", " crossings", " are", " striped", " black", " and", " white.");
    /**
     * The service's options besides the cloud's address. A stall is declared after 500 ms of silence instead of the
     * default 10 s, so a stalling row takes minutes, not half an hour; the circuit breaker is off, so every handoff of
     * the stalling rows reaches the stalling cloud (with it on, it opens after the first stalls and the rest are
     * answered on the device without a cloud call, which would test nothing about connections).
     */
    static final List<String> SERVICE_OPTIONS = List.of("-Dquarkus.langchain4j.openai.api-key=test-key",
            "-Dquarkus.handoff.continuator.idle-timeout=500ms",
            "-Dquarkus.handoff.continuator.circuit-breaker.enabled=false");

    enum Outcome {
        OK,
        DEGRADED,
        ERROR
    }

    /** How one request ended; times in ms from sending it, -1 when the event never came. */
    record Result(Outcome outcome, String detail, String firstText, double firstWordMs, double totalMs) {
    }

    /** The service and the cloud {@link #QUIET} after the last row of a cloud. */
    record Quiet(String cloud, long rssKb, int threads, int upstreamOpen, int upstreamInProgress) {
    }

    record Row(String cloud, int concurrency, List<Result> results, long rssBeforeKb, long rssAfterKb,
            int threadsBefore, int threadsAfter, int cloudCalls, int upstreamOpen, int upstreamInProgress) {

        long count(Outcome outcome) {
            return results.stream().filter(result -> result.outcome() == outcome).count();
        }

        /** How many requests showed this event first of the text events ({@code opener} or {@code continuation}). */
        long firstText(String event) {
            return results.stream().filter(result -> result.firstText().equals(event)).count();
        }

        String details(Outcome outcome) {
            Map<String, Long> byDetail = results.stream().filter(result -> result.outcome() == outcome)
                    .collect(Collectors.groupingBy(Result::detail, TreeMap::new, Collectors.counting()));
            return byDetail.entrySet().stream().map(entry -> entry.getKey() + " " + entry.getValue())
                    .collect(Collectors.joining(", "));
        }
    }

    final PackagedServiceTest packaged = new PackagedServiceTest();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        watchdog.shutdownNow();
        packaged.stop();
    }

    @Test
    void loadAndLeak(@TempDir Path dir) throws Exception {
        List<Row> rows = new ArrayList<>();
        List<Quiet> quiet = new ArrayList<>();
        run(dir.resolve("healthy"), "healthy", Behaviour.stream(DELTAS, 20), rows, quiet);
        run(dir.resolve("stalling"), "stalls after 2 chunks", Behaviour.stallAfter(DELTAS, 2), rows, quiet);

        String table = table(rows) + "\n" + quietTable(quiet);
        System.out.println(table);
        String doc = Files.readString(REPORT);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("docs/reliability.md has the markers %s and %s", BEGIN, END).isNotNegative()
                .isLessThan(end);
        Files.writeString(REPORT, doc.substring(0, begin + BEGIN.length()) + "\n" + table + doc.substring(end));

        for (Row row : rows) {
            assertThat(row.count(Outcome.ERROR)).as("errors, %s cloud at %d: %s", row.cloud(), row.concurrency(),
                    row.details(Outcome.ERROR)).isZero();
            assertThat(row.upstreamInProgress()).as("upstream responses in progress %s after the last request, %s cloud"
                    + " at %d", SETTLE, row.cloud(), row.concurrency()).isZero();
        }
    }

    /**
     * Starts the service on a fresh fake cloud answering every request with this behaviour, then runs one row per concurrency.
     */
    void run(Path dir, String cloudName, Behaviour behaviour, List<Row> rows, List<Quiet> quiet) throws Exception {
        Files.createDirectories(dir);
        try (OpenAiStreamingServer cloud = new OpenAiStreamingServer()) {
            cloud.answerEveryRequest(behaviour);
            List<String> options = new ArrayList<>(SERVICE_OPTIONS);
            options.add("-Dquarkus.langchain4j.openai.base-url=" + cloud.baseUrl());
            int port = packaged.start(dir, options.toArray(String[]::new));
            long pid = packaged.service.pid();
            URI handoff = URI.create("http://localhost:" + port + "/v1/handoff");
            requests(handoff, 1, WARM_UP);
            for (int concurrency : CONCURRENCY) {
                Thread.sleep(SETTLE.toMillis());
                long rssBefore = status(pid, "VmRSS");
                int threadsBefore = (int) status(pid, "Threads");
                int callsBefore = cloud.requests().size();
                List<Result> results = requests(handoff, concurrency, REQUESTS);
                Thread.sleep(SETTLE.toMillis());
                rows.add(new Row(cloudName, concurrency, results, rssBefore, status(pid, "VmRSS"), threadsBefore,
                        (int) status(pid, "Threads"), cloud.requests().size() - callsBefore, cloud.openConnections(),
                        cloud.responsesInProgress()));
                System.out.println(table(rows.subList(rows.size() - 1, rows.size())));
            }
            Thread.sleep(QUIET.minus(SETTLE).toMillis());
            quiet.add(new Quiet(cloudName, status(pid, "VmRSS"), (int) status(pid, "Threads"), cloud.openConnections(),
                    cloud.responsesInProgress()));
            packaged.stop();
        }
    }

    /** Sends {@code count} handoffs, {@code concurrency} at a time, and reads each stream to its end. */
    List<Result> requests(URI handoff, int concurrency, int count) throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<Result>> pending = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                pending.add(clients.submit(() -> request(handoff)));
            }
            List<Result> results = new ArrayList<>();
            for (Future<Result> result : pending) {
                results.add(result.get());
            }
            return results;
        } finally {
            clients.shutdownNow();
        }
    }

    Result request(URI handoff) {
        long start = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(handoff).timeout(REQUEST_LIMIT)
                .header("Content-Type", "application/json").header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(CloudContinuationTest.body("phone",
                        CloudContinuationTest.TIMER)))
                .build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    return new Result(Outcome.ERROR, "HTTP " + response.statusCode(), "none", -1, -1);
                }
                ScheduledFuture<?> cut = watchdog.schedule(() -> closeQuietly(body), REQUEST_LIMIT.toMillis(),
                        TimeUnit.MILLISECONDS);
                try {
                    return read(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)), start);
                } finally {
                    cut.cancel(false);
                }
            }
        } catch (IOException e) {
            return new Result(Outcome.ERROR, "broken stream", "none", -1, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Outcome.ERROR, "interrupted", "none", -1, -1);
        }
    }

    /** Reads the event stream to its end: the first text event is the first word, {@code done} or {@code error} the end. */
    static Result read(BufferedReader events, long start) throws IOException {
        double firstWordMs = -1;
        String firstText = "none";
        String event = null;
        String line;
        while ((line = events.readLine()) != null) {
            if (line.startsWith("event:")) {
                event = line.substring("event:".length()).strip();
                if (firstWordMs < 0 && (event.equals("opener") || event.equals("continuation"))) {
                    firstWordMs = millisSince(start);
                    firstText = event;
                }
            } else if (line.startsWith("data:") && "done".equals(event)) {
                double totalMs = millisSince(start);
                JsonObject done = new JsonObject(line.substring("data:".length()).strip());
                drain(events);
                return done.getBoolean("degraded", false)
                        ? new Result(Outcome.DEGRADED, done.getString("degradedCode", "no code"), firstText, firstWordMs,
                                totalMs)
                        : new Result(Outcome.OK, "", firstText, firstWordMs, totalMs);
            } else if (line.startsWith("data:") && "error".equals(event)) {
                JsonObject error = new JsonObject(line.substring("data:".length()).strip());
                String code = error.containsKey("error") ? error.getJsonObject("error").getString("code")
                        : error.getString("code");
                return new Result(Outcome.ERROR, "error event " + code, firstText, firstWordMs, -1);
            }
        }
        return new Result(Outcome.ERROR, "stream ended without done", firstText, firstWordMs, -1);
    }

    /** Reads what follows {@code done}, so the connection goes back to the client's pool in good order. */
    private static void drain(BufferedReader events) throws IOException {
        while (events.readLine() != null) {
            // nothing follows done but the end of the body
        }
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // the reader sees the stream end either way
        }
    }

    /** A number field of /proc/PID/status: kB for VmRSS, a count for Threads. */
    static long status(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/" + pid + "/status");
    }

    static String table(List<Row> rows) {
        StringBuilder table = new StringBuilder();
        table.append("Measured ").append(LocalDate.now(ZoneOffset.UTC)).append(" on ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append(", ").append(REQUESTS).append(" requests per row (after ").append(WARM_UP)
                .append(" warm-up requests per cloud), with `").append(COMMAND).append("`.\n\n");
        table.append("| cloud | concurrency | ok | degraded | errors | first text: opener / cloud "
                + "| first word p50 / p95 (ms) | total p50 / p95 (ms) "
                + "| RSS before → after (MiB) | threads before → after | cloud calls | upstream connections after: "
                + "in progress / idle |\n");
        table.append("|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            long degraded = row.count(Outcome.DEGRADED);
            long errors = row.count(Outcome.ERROR);
            table.append("| ").append(row.cloud())
                    .append(" | ").append(row.concurrency())
                    .append(" | ").append(row.count(Outcome.OK))
                    .append(" | ").append(degraded).append(degraded > 0 ? " (" + row.details(Outcome.DEGRADED) + ")" : "")
                    .append(" | ").append(errors).append(errors > 0 ? " (" + row.details(Outcome.ERROR) + ")" : "")
                    .append(" | ").append(row.firstText("opener")).append(" / ").append(row.firstText("continuation"))
                    .append(" | ").append(percentiles(row.results().stream().mapToDouble(Result::firstWordMs)))
                    .append(" | ").append(percentiles(row.results().stream().mapToDouble(Result::totalMs)))
                    .append(" | ").append(row.rssBeforeKb() / 1024).append(" → ").append(row.rssAfterKb() / 1024)
                    .append(" | ").append(row.threadsBefore()).append(" → ").append(row.threadsAfter())
                    .append(" | ").append(row.cloudCalls())
                    .append(" | ").append(row.upstreamInProgress()).append(" / ")
                    .append(row.upstreamOpen() - row.upstreamInProgress())
                    .append(" |\n");
        }
        return table.toString();
    }

    static String quietTable(List<Quiet> quiet) {
        StringBuilder table = new StringBuilder("| cloud | " + QUIET.toSeconds() + " s after its last row: RSS (MiB) "
                + "| threads | upstream connections: in progress / idle |\n|---|---:|---:|---:|\n");
        for (Quiet after : quiet) {
            table.append("| ").append(after.cloud()).append(" | ").append(after.rssKb() / 1024).append(" | ")
                    .append(after.threads()).append(" | ").append(after.upstreamInProgress()).append(" / ")
                    .append(after.upstreamOpen() - after.upstreamInProgress()).append(" |\n");
        }
        return table.toString();
    }

    /** p50 / p95 (nearest rank) of the times that were measured (-1: the event never came). */
    static String percentiles(DoubleStream times) {
        double[] sorted = times.filter(time -> time >= 0).sorted().toArray();
        if (sorted.length == 0) {
            return "–";
        }
        return Math.round(rank(sorted, 50)) + " / " + Math.round(rank(sorted, 95));
    }

    private static double rank(double[] sorted, int percentile) {
        return sorted[Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1)];
    }
}
