package io.quarkiverse.handoff.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The README's "Using the extension in your application", done as a user does it: its files, exactly as the README
 * shows them, become an application of their own in a new directory, built by Maven against this build's artifacts (a
 * local repository holding only them, in front of the build's own for everything else). Its jar serves the README's
 * request, and in {@code quarkus:dev} (no workaround in its pom) an edit of its rule file changes the next plan.
 */
class ReadmeApplicationIT {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String SECTION = "## Using the extension in your application";
    static final String QUESTION = "Set a timer for 10 minutes";
    static final String RULE = "Acme: phones open with three words";
    static final String REASON = "our kitchen display fits three words while the cloud thinks";
    /** Generous bounds against a hang, not speed checks: a cold Maven build on a busy 2-core machine is slow. */
    static final Duration BUILD_LIMIT = Duration.ofMinutes(10);
    static final Duration START_LIMIT = Duration.ofMinutes(5);

    /** This project's artifacts as an application gets them: artifact id, then the module directory that makes it. */
    static final Map<String, String> ARTIFACTS = new LinkedHashMap<>();
    static {
        ARTIFACTS.put("quarkus-handoff-parent", ".");
        ARTIFACTS.put("quarkus-handoff-bom", "bom");
        ARTIFACTS.put("quarkus-handoff-api", "extension");
        ARTIFACTS.put("quarkus-handoff-policies", "policies");
        ARTIFACTS.put("quarkus-handoff", "runtime");
        ARTIFACTS.put("quarkus-handoff-deployment", "deployment");
        ARTIFACTS.put("quarkus-handoff-demo-model", "samples/micro-model");
    }

    static Map<String, String> readmeFiles;

    final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void readTheReadme() throws IOException {
        readmeFiles = filesOf(Files.readString(ROOT.resolve("README.md")));
    }

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process process : processes) {
            // quarkus:dev runs the application in a JVM of its own, below Maven's: taken before Maven can exit and
            // leave it without a parent, and waited for like Maven
            List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
            all.add(process.toHandle());
            all.forEach(ProcessHandle::destroy);
            for (ProcessHandle handle : all) {
                try {
                    handle.onExit().get(30, TimeUnit.SECONDS);
                } catch (TimeoutException stillRunning) {
                    handle.destroyForcibly();
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Test
    void theReadmeShowsAWholeApplication() {
        assertThat(readmeFiles).containsOnlyKeys("pom.xml", "src/main/java/org/acme/AssistantResource.java",
                "src/main/resources/org/acme/rules.drl");
        assertThat(readmeFiles.get("pom.xml")).as("no workaround in the application's pom")
                .doesNotContain("exclusion", "qute");
    }

    @Test
    void itsJarStreamsAHandoffPlannedByItsOwnRule(@TempDir Path dir) throws Exception {
        Path app = writeApplication(dir);
        Path repository = localRepository(dir);

        Process build = maven(app, repository, dir.resolve("build.log"), "package", "-DskipTests");
        assertThat(build.waitFor(BUILD_LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the build ends").isTrue();
        assertThat(build.exitValue()).as(tail(dir.resolve("build.log"))).isZero();
        Path jar = app.resolve("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("the README: mvn package builds it").isRegularFile();

        int port = freePort();
        Path log = dir.resolve("run.log");
        Process run = start(new ProcessBuilder(javaCommand(), "-Dquarkus.http.port=" + port, "-jar", jar.toString())
                .directory(app.toFile()), log);
        List<JsonObject> events = askUntilAnswered(port, run, log);

        JsonObject plan = planOf(events);
        assertThat(plan.getInteger("openerWords")).isEqualTo(3);
        assertThat(rule(plan, RULE)).isEqualTo(new JsonObject().put("name", RULE).put("package", "org.acme")
                .put("reasons", new JsonArray().add(REASON)));
        assertThat(typesOf(events)).matches("(opener )+handoff (continuation )*done");
    }

    @Test
    void devModeRunsItAndReloadsAnEditedRule(@TempDir Path dir) throws Exception {
        Path app = writeApplication(dir);
        Path repository = localRepository(dir);
        int port = freePort();
        Path log = dir.resolve("dev.log");
        Process dev = maven(app, repository, log, "quarkus:dev", "-Dquarkus.http.port=" + port,
                "-Dquarkus.console.enabled=false", "-Ddebug=false", "-Dquarkus.analytics.disabled=true");

        JsonObject before = planOf(askUntilAnswered(port, dev, log));
        assertThat(rule(before, RULE)).isNotNull();

        Path rules = app.resolve("src/main/resources/org/acme/rules.drl");
        String edited = readmeFiles.get("src/main/resources/org/acme/rules.drl").replace("three words", "two words")
                .replace("setOpenerWords( 3 )", "setOpenerWords( 2 )");
        assertThat(edited).contains("two words", "setOpenerWords( 2 )");
        // a later modification time than the build saw, whatever the file system's time resolution
        Files.writeString(rules, edited);
        Files.setLastModifiedTime(rules, FileTime.fromMillis(System.currentTimeMillis() + 2000));

        JsonObject after = null;
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            after = planOf(askUntilAnswered(port, dev, log));
            if (rule(after, RULE) == null) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(after).isNotNull();
        String renamed = "Acme: phones open with two words";
        assertThat(rule(after, renamed)).as(tail(log)).isEqualTo(new JsonObject().put("name", renamed)
                .put("package", "org.acme").put("reasons", new JsonArray().add(REASON.replace("three", "two"))));
        assertThat(after.getInteger("openerWords")).isEqualTo(2);
    }

    /** The files of the README's section: each fenced block right after a paragraph that starts with its path. */
    static Map<String, String> filesOf(String readme) {
        int start = readme.indexOf(SECTION);
        assertThat(start).as("the README has the section '%s'", SECTION).isNotNegative();
        int end = readme.indexOf("\n## ", start + SECTION.length());
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        Matcher file = Pattern.compile("^`([\\w./-]+)`:.*?\\n```\\w+\\n(.*?)\\n```$",
                Pattern.MULTILINE | Pattern.DOTALL).matcher(section);
        Map<String, String> files = new LinkedHashMap<>();
        while (file.find()) {
            files.put(file.group(1), file.group(2) + "\n");
        }
        return files;
    }

    static Path writeApplication(Path dir) throws IOException {
        Path app = dir.resolve("my-assistant");
        for (Map.Entry<String, String> file : readmeFiles.entrySet()) {
            Path path = app.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        return app;
    }

    /**
     * A local repository with this build's artifacts only, laid out as {@code mvn install} leaves them, so that the
     * test needs nothing installed beforehand; everything else comes from the build's own repository behind it.
     */
    static Path localRepository(Path dir) throws IOException {
        Path repository = dir.resolve("repository");
        String version = System.getProperty("handoff.version");
        assertThat(version).as("the build passes handoff.version").isNotBlank();
        for (Map.Entry<String, String> artifact : ARTIFACTS.entrySet()) {
            Path module = ROOT.resolve(artifact.getValue());
            Path target = repository.resolve("io/quarkiverse/handoff").resolve(artifact.getKey()).resolve(version);
            Files.createDirectories(target);
            String name = artifact.getKey() + "-" + version;
            Files.copy(module.resolve("pom.xml"), target.resolve(name + ".pom"), StandardCopyOption.REPLACE_EXISTING);
            Path jar = module.resolve("target").resolve(name + ".jar");
            if (!artifact.getValue().equals(".") && !artifact.getValue().equals("bom")) {
                assertThat(jar).as("built by this reactor before the integration tests").isRegularFile();
                Files.copy(jar, target.resolve(name + ".jar"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return repository;
    }

    Process maven(Path app, Path repository, Path log, String... goals) throws IOException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("mvnw").toString(), "-B", "--no-snapshot-updates",
                "-f", app.resolve("pom.xml").toString(), "-Dmaven.repo.local=" + repository,
                "-Dmaven.repo.local.tail=" + System.getProperty("handoff.local-repository")));
        command.addAll(List.of(goals));
        return start(new ProcessBuilder(command).directory(app.toFile()), log);
    }

    Process start(ProcessBuilder builder, Path log) throws IOException {
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        return process;
    }

    /** The README's curl request, sent until the application answers it (it is starting, or reloading). */
    static List<JsonObject> askUntilAnswered(int port, Process process, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/assistant"))
                .timeout(Duration.ofSeconds(120)).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(QUESTION)).build();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        Optional<HttpResponse<String>> answer = Optional.empty();
        while (answer.isEmpty()) {
            assertThat(process.isAlive()).as("the application runs: " + tail(log)).isTrue();
            assertThat(System.nanoTime()).as("the application answers: " + tail(log)).isLessThan(deadline);
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(
                        StandardCharsets.UTF_8));
                // dev mode answers 500 with its error page while a reload fails; a ready application 200
                assertThat(response.statusCode()).as(response.body() + "\n" + tail(log)).isEqualTo(200);
                answer = Optional.of(response);
            } catch (IOException notListeningYet) {
                Thread.sleep(500);
            }
        }
        List<JsonObject> events = new ArrayList<>();
        for (String line : answer.get().body().split("\n")) {
            assertThat(line).as("the stream carries data lines only").matches("(data:.*)?");
            if (!line.isEmpty()) {
                events.add(new JsonObject(line.substring("data:".length())));
            }
        }
        return events;
    }

    static JsonObject planOf(List<JsonObject> events) {
        return events.stream().filter(event -> "handoff".equals(event.getString("type"))).findFirst()
                .orElseThrow(() -> new AssertionError("no handoff event in " + events)).getJsonObject("plan");
    }

    /** The rule of this name among those that fired, or null. */
    static JsonObject rule(JsonObject plan, String name) {
        JsonArray rules = plan.getJsonArray("rules");
        for (int i = 0; i < rules.size(); i++) {
            if (name.equals(rules.getJsonObject(i).getString("name"))) {
                return rules.getJsonObject(i);
            }
        }
        return null;
    }

    static String typesOf(List<JsonObject> events) {
        return String.join(" ", events.stream().map(event -> event.getString("type")).toList());
    }

    static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return "\n--- " + log.getFileName() + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
