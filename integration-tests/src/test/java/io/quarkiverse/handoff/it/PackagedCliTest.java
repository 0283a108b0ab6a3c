package io.quarkiverse.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonObject;

/**
 * {@code ask}, {@code bench} and {@code eval} from the packaged sample, as a user runs them: {@code java -jar
 * samples/device-service/target/quarkus-app/quarkus-run.jar ...} in a process of its own. The sample is packaged
 * before these tests run, since this module depends on it.
 */
class PackagedCliTest {

    static final Path JAR = Path.of("..", "samples", "device-service", "target", "quarkus-app", "quarkus-run.jar")
            .toAbsolutePath().normalize();
    static final long LIMIT_SECONDS = 90;

    static final Pattern COLOURED = Pattern.compile("\u001B\\[(\\d+)m.*?\u001B\\[0m");

    record Result(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void thePackagedSampleExists() {
        if (!Files.isRegularFile(JAR)) {
            fail(JAR + " does not exist: package the sample first (./mvnw -B package -pl samples/device-service -am)");
        }
    }

    /** Runs the packaged jar in {@code dir} on embedded defaults: no cloud settings leak in from this environment. */
    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        return run(dir, List.of(), args);
    }

    static Result run(Path dir, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        Process process = packagedJar(dir, jvmOptions, args).start();
        if (!process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail("the packaged CLI did not finish within " + LIMIT_SECONDS + " s: " + String.join(" ", args)
                    + "\nstderr: " + Files.readString(dir.resolve("stderr.txt")));
        }
        return new Result(process.exitValue(), Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8));
    }

    /**
     * {@code java [jvmOptions] -jar quarkus-run.jar args} in {@code dir}, its output in {@code dir/stdout.txt} and
     * {@code dir/stderr.txt}, on embedded defaults: no cloud settings leak in from this environment.
     */
    static ProcessBuilder packagedJar(Path dir, List<String> jvmOptions, String... args) {
        return java(dir, dir, jvmOptions, JAR.toString(), args);
    }

    /**
     * The packaged sample started from its own directory, {@code java OPTIONS -jar quarkus-run.jar} (a class archive
     * only serves the class path it was written for), its output in {@code out}.
     */
    static ProcessBuilder packagedJarFromItsDirectory(Path out, List<String> jvmOptions) {
        return java(JAR.getParent(), out, jvmOptions, JAR.getFileName().toString());
    }

    private static ProcessBuilder java(Path workingDir, Path out, List<String> jvmOptions, String jar, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile())
                .redirectOutput(out.resolve("stdout.txt").toFile()).redirectError(out.resolve("stderr.txt").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("QUARKUS_") || name.startsWith("OPENAI"));
        return builder;
    }

    @Test
    void askPrintsTheOpenerThenTheContinuationInAnotherColourThenTheTimings(@TempDir Path dir) throws Exception {
        // picocli.ansi=true: the colours a terminal gets
        Result result = run(dir, List.of("-Dpicocli.ansi=true"), "ask", "What is the capital of Peru?", "--profile",
                "watch");
        assertThat(result.exitCode()).as("stderr: %s", result.err()).isZero();
        String firstLine = result.out().split("\\R")[0];
        List<String> colours = new ArrayList<>();
        Matcher coloured = COLOURED.matcher(firstLine);
        while (coloured.find()) {
            colours.add(coloured.group(1));
        }
        // cyan (36) opener words first, then green (32) continuation deltas, never mixed; no opener word when the model
        // starts with "Lima", which the grounding guard leaves to the continuator (a third of the sampled openers)
        assertThat(String.join(",", colours)).matches("(36,)*32(,32)*");
        assertThat(COLOURED.matcher(firstLine).replaceAll("")).as("text outside the colours").isBlank();
        assertThat(result.out()).contains("timings: opener first token ", "seam gap ", "total ",
                "strategy: local (continued by embedded), degraded: yes (no-cloud)", "fired rules:", "  - Watch:");
        // no cloud: the device does not say the capital either, and says it cannot finish the answer
        assertThat(firstLine.replaceAll("\u001B\\[\\d+m", "")).doesNotContain("Lima")
                .endsWith("Sorry, I can't finish this answer right now.");

        Result json = run(dir, "ask", "What is the capital of Peru?", "--profile", "watch", "--json");
        assertThat(json.exitCode()).as("stderr: %s", json.err()).isZero();
        List<String> types = new ArrayList<>();
        StringBuilder reply = new StringBuilder();
        for (String line : json.out().strip().split("\\R")) {
            JsonObject event = new JsonObject(line);
            types.add(event.getString("type"));
            if (event.getString("type").equals("opener")) {
                reply.append(event.getString("text"));
            } else if (event.getString("type").equals("continuation")) {
                reply.append(event.getString("delta"));
            }
        }
        assertThat(String.join(",", types)).matches("(opener,)*handoff,(continuation,)+done");
        JsonObject done = new JsonObject(json.out().strip().lines().reduce((a, b) -> b).orElseThrow());
        assertThat(done.getString("text")).isEqualTo(reply.toString());

    }

    @Test
    void aTinyBenchWritesTheCsvAndThePlot(@TempDir Path dir) throws Exception {
        Result result = run(dir, "bench", "--latencies", "0.5", "--profiles", "phone", "--runs", "1",
                "--cloud-rate", "200");
        assertThat(result.exitCode()).as("stderr: %s", result.err()).isZero();
        assertThat(result.out()).contains("latency", "first word", "cloud-only", "phone");
        assertThat(result.err()).contains("bench: [1/1] latency 0.5 s, phone, run 1/1");
        // the default --out, relative to the working directory
        List<String> csv = Files.readAllLines(dir.resolve("bench-results").resolve("bench.csv"));
        assertThat(csv).hasSize(2);
        assertThat(csv.get(0)).startsWith("latency_s,profile,runs,perceived_first_word_ms,cloud_only_first_token_ms");
        String[] row = csv.get(1).split(",", -1);
        assertThat(List.of(row[0], row[1], row[2])).containsExactly("0.5", "phone", "1");
        assertThat(Double.parseDouble(row[4])).as("cloud-only first token ms").isGreaterThanOrEqualTo(500);
        BufferedImage png = ImageIO.read(dir.resolve("bench-results").resolve("bench.png").toFile());
        assertThat(png).isNotNull();
        assertThat(png.getWidth()).isEqualTo(960);
        assertThat(png.getHeight()).isEqualTo(600);
    }

    @Test
    void evalRunsTheDefaultPromptSetAndWritesTheReportAndTheCsvUnderEvalResults(@TempDir Path dir) throws Exception {
        Result result = run(dir, "eval", "--profile", "watch");
        assertThat(result.exitCode()).as("stderr: %s", result.err()).isZero();
        assertThat(result.out()).contains("category", "ungrounded", "made-up", "arithmetic", "refusals")
                .containsPattern("(?m)^all\\s+48\\s");
        assertThat(result.err()).contains("eval: [48/48] refusals, line 48, watch: ");
        // the default --out, relative to the working directory
        List<String> csv = Files.readAllLines(dir.resolve("eval-results").resolve("results.csv"));
        assertThat(csv).hasSize(49);
        assertThat(csv.get(0)).startsWith("line,category,profile,sample,turns,prompt,opener,continuation");
        assertThat(Files.readString(dir.resolve("eval-results").resolve("report.html")))
                .contains("<h2 id=\"category-follow-ups\">follow-ups</h2>");
    }
}
