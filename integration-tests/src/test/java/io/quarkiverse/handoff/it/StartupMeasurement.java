package io.quarkiverse.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How fast the packaged sample is ready and how much memory it holds once idle, with the JVM options a device would
 * consider, measured side by side in one run (on demand: surefire excludes {@code *Measurement};
 * {@code ./mvnw -B verify -pl bom,extension,policies,samples/micro-model,runtime,deployment,samples/device-service,integration-tests -Dtest=StartupMeasurement -DskipITs -Dsurefire.failIfNoSpecifiedTests=false}).
 * Each variant starts the jar {@value #RUNS} times, the variants taking turns so that they meet the same load:
 * "ready" is from starting the process to the first 200 of {@code /q/health/ready} (the opener model loaded and warmed);
 * "RSS" is the resident memory after one handoff and {@value #IDLE_SECONDS} s idle. Medians; the table goes into
 * docs/native.md between its markers.
 */
class StartupMeasurement {

    static final int RUNS = 3;
    static final int IDLE_SECONDS = 5;
    static final Path REPORT = Path.of("../docs/native.md");
    static final String BEGIN = "<!-- startup table: written by StartupMeasurement -->";
    static final String END = "<!-- end of startup table -->";
    static final Pattern LISTENING = Pattern.compile("Listening on: http://[^\\s:]+:(\\d+)");
    static final Pattern STARTED = Pattern.compile("started in (\\d+\\.\\d+)s");
    static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    /** The packaged sample's directory: a class archive only serves the class path it was written for. */
    static final Path APP = PackagedCliTest.JAR.getParent();
    static final String DEVICE_OPTIONS = "device-jvm.args";

    record Run(double readyMs, double quarkusStartedMs, double rssMb) {
    }

    @Test
    void measure(@TempDir Path dir) throws Exception {
        // what the build wrote beside the jar (src/build/DeviceFiles.java in the sample) and the sample's device options
        assertThat(APP.resolve("app-cds.jsa")).as("the build wrote the class archive").isRegularFile();
        assertThat(APP.resolve("onnxruntime")).as("the build extracted ONNX Runtime's libraries").isDirectory();
        assertThat(APP.resolve(DEVICE_OPTIONS)).as("the build copied the device options").isRegularFile();

        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("default (`java -jar`)", List.of());
        variants.put("C1 only (`-XX:TieredStopAtLevel=1`)", List.of("-XX:TieredStopAtLevel=1"));
        variants.put("serial GC, small heap (`-XX:+UseSerialGC -Xms16m -Xmx96m -Xmn6m`)",
                List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx96m", "-Xmn6m"));
        variants.put("the build's class archive (`-XX:SharedArchiveFile=app-cds.jsa`)",
                List.of("-XX:SharedArchiveFile=app-cds.jsa"));
        variants.put("ONNX Runtime's libraries as the build extracted them (`-Donnxruntime.native.path=onnxruntime`)",
                List.of("-Donnxruntime.native.path=onnxruntime"));
        variants.put("the sample's device options, all of the above (`java @device-jvm.args -jar`)",
                List.of("@" + DEVICE_OPTIONS));

        Map<String, List<Run>> runs = new LinkedHashMap<>();
        variants.keySet().forEach(name -> runs.put(name, new ArrayList<>()));
        for (int i = 0; i < RUNS; i++) {
            int variant = 0;
            for (Map.Entry<String, List<String>> entry : variants.entrySet()) {
                runs.get(entry.getKey()).add(run(dir.resolve("run-" + i + "-" + variant++), entry.getValue()));
            }
        }

        String table = table(runs);
        System.out.println(table);
        String doc = Files.readString(REPORT);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("docs/native.md has the markers %s and %s", BEGIN, END).isNotNegative()
                .isLessThan(end);
        Files.writeString(REPORT, doc.substring(0, begin + BEGIN.length()) + "\n" + table + doc.substring(end));
    }

    /** One start of the packaged jar with these options: ready time, Quarkus's own start time, idle RSS. */
    private static Run run(Path dir, List<String> options) throws Exception {
        Files.createDirectories(dir);
        List<String> jvmOptions = new ArrayList<>(options);
        jvmOptions.add("-Dquarkus.http.port=0");
        long start = System.nanoTime();
        Process service = PackagedCliTest.packagedJarFromItsDirectory(dir, jvmOptions).start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            int port = port(dir, service);
            URI ready = URI.create("http://localhost:" + port + "/q/health/ready");
            while (true) {
                assertThat(System.nanoTime() - start).as("ready within 2 minutes").isLessThan(
                        TimeUnit.MINUTES.toNanos(2));
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(ready).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 200) {
                    break;
                }
                Thread.sleep(5);
            }
            double readyMs = (System.nanoTime() - start) / 1e6;
            HttpResponse<String> handoff = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/v1/handoff")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(PackagedServiceTest.README_REQUEST)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(handoff.body()).contains("event:done");
            Thread.sleep(TimeUnit.SECONDS.toMillis(IDLE_SECONDS));
            Matcher rss = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(service.pid()), "status")));
            assertThat(rss.find()).isTrue();
            Matcher started = STARTED.matcher(Files.readString(dir.resolve("stdout.txt")));
            assertThat(started.find()).isTrue();
            return new Run(readyMs, Double.parseDouble(started.group(1)) * 1000, Long.parseLong(rss.group(1)) / 1024.0);
        } finally {
            service.destroy();
            assertThat(service.waitFor(30, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
        }
    }

    private static int port(Path dir, Process service) throws IOException, InterruptedException {
        while (true) {
            Matcher listening = LISTENING.matcher(Files.readString(dir.resolve("stdout.txt")));
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            assertThat(service.isAlive()).as(Files.readString(dir.resolve("stderr.txt"))).isTrue();
            Thread.sleep(2);
        }
    }

    private static String table(Map<String, List<Run>> runs) {
        List<Run> reference = runs.values().iterator().next();
        double readyReference = median(reference.stream().mapToDouble(Run::readyMs).toArray());
        double rssReference = median(reference.stream().mapToDouble(Run::rssMb).toArray());
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "Measured %s on %d cores (%s), %d runs per variant, medians:%n%n",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " "
                        + System.getProperty("java.version"),
                RUNS));
        table.append("| JVM options | ready (ms) | vs default | Quarkus started in (ms) | RSS after a handoff, idle (MB)"
                + " | vs default |\n|---|---:|---:|---:|---:|---:|\n");
        runs.forEach((name, measured) -> {
            double ready = median(measured.stream().mapToDouble(Run::readyMs).toArray());
            double started = median(measured.stream().mapToDouble(Run::quarkusStartedMs).toArray());
            double rss = median(measured.stream().mapToDouble(Run::rssMb).toArray());
            table.append(String.format(Locale.ROOT, "| %s | %.0f | %.2fx | %.0f | %.0f | %.2fx |%n", name, ready,
                    ready / readyReference, started, rss, rss / rssReference));
        });
        return table.toString();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
