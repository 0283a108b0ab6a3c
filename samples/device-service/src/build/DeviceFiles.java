import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes what {@code device-jvm.args} names beside the packaged sample's {@code quarkus-run.jar}, for the platform and
 * the JDK of the build (run by the sample's build, maven-antrun-plugin in the package phase after the jar, with the
 * JDK that runs Maven: {@code java src/build/DeviceFiles.java target/quarkus-app}):
 * <ol>
 * <li>{@code onnxruntime/}: ONNX Runtime's native libraries for this platform, taken out of the onnxruntime jar once
 * here. Without {@code -Donnxruntime.native.path}, ONNX Runtime inflates them (28 MB on linux-x64) into a new
 * temporary directory at every start.</li>
 * <li>{@code app-cds.jsa}: the class archive of a training run. The jar starts from its directory with
 * {@code -XX:ArchiveClassesAtExit} (and those libraries), serves readiness until it is UP (the opener model loaded and warmed,
 * the rules warm) and one handoff, and stops on SIGTERM; the JVM archives the classes it loaded and linked by then as
 * it exits. Quarkus's own archive ({@code quarkus.package.jar.appcds.enabled}) stops the application before the run
 * time's initialization, so it lacks what the service loads after that (Vert.x's HTTP server, the rules engine, ONNX
 * Runtime, the request path): about half of the classes the service loads before it is ready.</li>
 * </ol>
 */
public class DeviceFiles {

    static final String ARCHIVE = "app-cds.jsa";
    static final String NATIVE_LIBRARIES = "onnxruntime";
    static final Pattern LISTENING = Pattern.compile("Listening on: http://[^\\s:]+:(\\d+)");
    static final Duration LIMIT = Duration.ofMinutes(2);
    /** The README's request: the first request of a device, through the opener, the rules and the seam. */
    static final String HANDOFF = "{\"messages\":[{\"role\":\"user\",\"content\":\"Set a timer for 10 minutes\"}],"
            + "\"profile\":\"watch\"}";

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: DeviceFiles <the packaged application's directory>");
        }
        Path app = Path.of(args[0]).toAbsolutePath();
        extractNativeLibraries(app);
        if (platform().startsWith("win")) {
            // Process.destroy() kills a Windows process outright: the JVM would write no archive
            System.out.println("No class archive on Windows: the training run is stopped with SIGTERM, which Windows"
                    + " lacks; the JVM runs without app-cds.jsa (it warns that the archive is missing)");
            return;
        }
        trainClassArchive(app);
    }

    /** The build platform's libraries of the onnxruntime jar in lib/main, flat in {@value #NATIVE_LIBRARIES}/. */
    static void extractNativeLibraries(Path app) throws IOException {
        String folder = "ai/onnxruntime/native/" + platform() + "/";
        Path out = app.resolve(NATIVE_LIBRARIES);
        Files.createDirectories(out);
        int extracted = 0;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(app.resolve("lib/main"),
                "com.microsoft.onnxruntime.onnxruntime-*.jar"); JarFile jar = new JarFile(single(jars).toFile())) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements();) {
                JarEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith(folder) && !entry.isDirectory() && name.indexOf('/', folder.length()) < 0) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, out.resolve(name.substring(folder.length())),
                                StandardCopyOption.REPLACE_EXISTING);
                    }
                    extracted++;
                }
            }
        }
        if (extracted == 0) {
            throw new IllegalStateException("The onnxruntime jar holds no native libraries under " + folder
                    + ": this platform is not one ONNX Runtime's jar supports");
        }
    }

    private static Path single(DirectoryStream<Path> jars) {
        List<Path> found = new ArrayList<>();
        jars.forEach(found::add);
        if (found.size() != 1) {
            throw new IllegalStateException("Expected one onnxruntime jar in lib/main, found " + found);
        }
        return found.get(0);
    }

    /** ONNX Runtime's name of this platform, as its jar names its folders (and OnnxRuntimeNativeProcessor). */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.contains("mac") ? "osx" : os.contains("win") ? "win" : "linux";
        String archName = arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : "x64";
        return osName + "-" + archName;
    }

    static void trainClassArchive(Path app) throws IOException, InterruptedException {
        Path archive = app.resolve(ARCHIVE);
        Path log = app.resolveSibling("class-archive-training.log");
        Files.deleteIfExists(archive);

        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ArchiveClassesAtExit=" + ARCHIVE, "-Donnxruntime.native.path=" + NATIVE_LIBRARIES,
                "-Dquarkus.http.port=0", "-jar", "quarkus-run.jar")
                .directory(app.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        // embedded defaults: a cloud configured in the environment of the build is not called
        builder.environment().keySet().removeIf(name -> name.startsWith("QUARKUS_") || name.startsWith("OPENAI"));
        Process service = builder.start();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        try {
            int port = port(log, service, deadline);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            URI ready = URI.create("http://localhost:" + port + "/q/health/ready");
            while (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() != 200) {
                check(System.nanoTime() < deadline, "not ready within " + LIMIT, log);
                Thread.sleep(50);
            }
            HttpResponse<String> handoff = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                    + "/v1/handoff")).timeout(LIMIT).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(HANDOFF)).build(), HttpResponse.BodyHandlers.ofString());
            check(handoff.statusCode() == 200 && handoff.body().contains("event:done"),
                    "the training handoff failed: " + handoff.statusCode() + " " + handoff.body(), log);
        } finally {
            // SIGTERM: the service stops, then the JVM writes the archive as it exits
            service.destroy();
            if (!service.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
        check(Files.isRegularFile(archive) && Files.size(archive) > 0, "the JVM wrote no " + archive, log);
        System.out.printf("Class archive written from a training run: %s (%d MB)%n", archive,
                Files.size(archive) / (1024 * 1024));
    }

    private static int port(Path log, Process service, long deadline) throws IOException, InterruptedException {
        while (true) {
            Matcher listening = LISTENING.matcher(Files.readString(log));
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            check(service.isAlive(), "the service stopped before listening", log);
            check(System.nanoTime() < deadline, "not listening within " + LIMIT, log);
            Thread.sleep(20);
        }
    }

    private static void check(boolean condition, String failure, Path log) throws IOException {
        if (!condition) {
            throw new IllegalStateException("Class archive training of the packaged sample: " + failure
                    + "\nThe service's output (" + log + "):\n" + String.join("\n", lastLines(log, 60)));
        }
    }

    private static List<String> lastLines(Path log, int count) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return lines.subList(Math.max(0, lines.size() - count), lines.size());
    }
}
