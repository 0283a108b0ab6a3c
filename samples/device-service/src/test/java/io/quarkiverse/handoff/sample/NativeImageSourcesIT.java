package io.quarkiverse.handoff.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

/**
 * Checks what the native binary of the device service needs, in the output of every native build step but the link
 * ({@code target/native-sources}, written by the {@code native-sources} execution of the quarkus-maven-plugin): this
 * machine has no GraalVM, so the configuration handed to {@code native-image} is what can be verified here.
 */
class NativeImageSourcesIT {

    static final String ORT_NATIVE = "ai/onnxruntime/native/";
    static final List<String> RUN_TIME_INITIALIZED = List.of("ai.onnxruntime.OnnxRuntime",
            "ai.onnxruntime.OrtEnvironment", "ai.onnxruntime.OrtSession", "ai.onnxruntime.OrtSession$SessionOptions");
    static final List<String> DEMO_MODEL = List.of("handoff/demo-model/model.onnx", "handoff/demo-model/config.json",
            "handoff/demo-model/tokenizer.json", "handoff/demo-model/tokenizer_config.json");
    static final String PROMPTS = "META-INF/handoff/prompts/";
    static final String RULES_CLASS = "io.quarkiverse.handoff.runtime.policy.GeneratedHandoffRules";

    static Path sources;
    static Path runnerJar;
    static List<String> args;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void nativeSources() throws IOException {
        sources = Paths.get(System.getProperty("native-sources.directory", "target/native-sources"));
        assertThat(sources.resolve("native-image.args"))
                .as("the native-sources execution of the quarkus-maven-plugin writes it (mvn package)").exists();
        args = List.of(Files.readString(sources.resolve("native-image.args")).trim().split("\\s+"));
        int jar = args.indexOf("-jar");
        assertThat(jar).as("native-image.args names the jar to compile: %s", args).isNotNegative();
        runnerJar = sources.resolve(args.get(jar + 1));
    }

    @Test
    void nativeImageArgumentsBuildAStandaloneBinaryFromTheRunnerJar() throws IOException {
        assertThat(runnerJar).exists();
        assertThat(args).as("no JVM fallback image").contains("--no-fallback")
                .doesNotContain("--allow-incomplete-classpath", "--report-unsupported-elements-at-runtime");
        assertThat(featureArgument()).contains("io.quarkus.runner.Feature");
        assertThat(args).as("the cloud continuator calls https endpoints")
                .anyMatch(a -> a.startsWith("--enable-url-protocols=") && a.contains("https"));
        try (JarFile jar = new JarFile(runnerJar.toFile())) {
            String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
            assertThat(classPath).as("the runner jar's class path").isNotBlank();
            for (String entry : classPath.trim().split("\\s+")) {
                assertThat(sources.resolve(entry)).as("class path entry %s", entry).exists();
            }
        }
    }

    @Test
    void everyClassTheOnnxRuntimeJniLibraryLooksUpIsRegisteredForJni() throws IOException {
        Set<String> lookedUp = classNamesInJniLibrary();
        assertThat(lookedUp).as("class names found in the JNI library").contains("ai.onnxruntime.OnnxTensor",
                "java.lang.String");
        JsonNode jni = config("jni-config.json");
        for (String name : lookedUp) {
            JsonNode entry = entry(jni, name);
            assertThat(entry).as("%s in jni-config.json (OnnxRuntimeNativeProcessor)", name).isNotNull();
            if (name.startsWith("ai.onnxruntime.")) {
                assertThat(entry.path("allDeclaredConstructors").asBoolean()).as("constructors of %s", name).isTrue();
                assertThat(entry.path("allDeclaredMethods").asBoolean()).as("methods of %s", name).isTrue();
                assertThat(entry.path("allDeclaredFields").asBoolean()).as("fields of %s", name).isTrue();
            }
        }
    }

    @Test
    void theClassesThatLoadOnnxRuntimeAreInitializedAtRunTime() throws IOException {
        // Quarkus's generated feature initializes these at run time by name (Class.forName): the names are constants
        String feature = classConstants("io/quarkus/runner/Feature.class");
        for (String name : RUN_TIME_INITIALIZED) {
            assertThat(feature).as("%s initialized at run time, not in the image heap", name).contains(name);
        }
    }

    @Test
    void onlyTheBuildPlatformsOnnxRuntimeLibrariesArePackaged() throws IOException {
        ResourceRules rules = resourceRules();
        List<String> libraries = onnxRuntimeJarEntries().stream().filter(n -> !n.endsWith("/")).toList();
        String platform = ORT_NATIVE + hostPlatform() + "/";
        List<String> included = libraries.stream().filter(rules::includes).toList();
        assertThat(included).as("ONNX Runtime natives in the image").contains(
                platform + System.mapLibraryName("onnxruntime"), platform + System.mapLibraryName("onnxruntime4j_jni"));
        assertThat(included).as("other platforms' natives are left out").allMatch(n -> n.startsWith(platform));
        assertThat(libraries).as("the jar does carry other platforms").anyMatch(n -> !n.startsWith(platform));
    }

    @Test
    void theDemoModelTokenizerAndPromptsAreResourcesOfTheImage() throws IOException {
        ResourceRules rules = resourceRules();
        for (String file : DEMO_MODEL) {
            assertThat(rules.includes(file)).as("%s in resource-config.json", file).isTrue();
        }
        List<String> prompts = promptResources();
        assertThat(prompts).as("prompt templates of the runtime").isNotEmpty();
        for (String prompt : prompts) {
            assertThat(rules.includes(prompt)).as("%s in resource-config.json", prompt).isTrue();
        }
    }

    @Test
    void theEvalCommandsPromptSetRubricsAndWordListAreResourcesOfTheImage() throws IOException {
        ResourceRules rules = resourceRules();
        for (String file : List.of("eval/prompts.jsonl", "eval/judge-opener-rubric.txt", "eval/judge-reply-rubric.txt",
                "eval/plain-english-words.txt")) {
            assertThat(rules.includes(file)).as("%s in resource-config.json", file).isTrue();
        }
    }

    @Test
    void theRulesCompiledAtBuildTimeAreInTheImageAndLoadWithoutADrlParser() throws Exception {
        JsonNode reflection = config("reflect-config.json");
        for (String fact : List.of("io.quarkiverse.handoff.policy.PlanningFacts",
                "io.quarkiverse.handoff.policy.PlanDraft")) {
            assertThat(entry(reflection, fact)).as("rule pattern type %s registered for reflection", fact).isNotNull();
        }
        try (URLClassLoader image = imageClassLoader()) {
            assertThat(image.getResource(RULES_CLASS.replace('.', '/') + "_Bean.class"))
                    .as("the generated rules are a CDI bean").isNotNull();
            Class<?> rulesClass = image.loadClass(RULES_CLASS);
            Object rules = rulesClass.getConstructor().newInstance();
            List<?> ruleFiles = (List<?>) rulesClass.getMethod("ruleFiles").invoke(rules);
            assertThat(ruleFiles).map(String::valueOf).contains("io/quarkiverse/handoff/policies/watch.drl",
                    "io/quarkiverse/handoff/policies/common.drl");
            List<?> models = (List<?>) rulesClass.getMethod("models").invoke(rules);
            assertThat(models).as("executable models generated from %s", ruleFiles).isNotEmpty();
            int ruleCount = 0;
            for (Object model : models) {
                Method getRules = model.getClass().getMethod("getRules");
                ruleCount += ((List<?>) getRules.invoke(model)).size();
            }
            assertThat(ruleCount).as("rules in the generated models").isPositive();
        }
    }

    @Test
    void everyPicocliCommandIsRegisteredForReflection() throws IOException, ClassNotFoundException {
        JsonNode reflection = config("reflect-config.json");
        List<Class<?>> commands = commandClasses();
        assertThat(commands).extracting(Class::getSimpleName).contains("DeviceServiceCommand", "ServeCommand");
        for (Class<?> command : commands) {
            JsonNode entry = entry(reflection, command.getName());
            assertThat(entry).as("%s in reflect-config.json", command.getName()).isNotNull();
            assertThat(entry.path("allDeclaredFields").asBoolean() || entry.has("fields"))
                    .as("picocli sets the options of %s through its fields", command.getName()).isTrue();
        }
    }

    // --- reading the native sources

    private static String featureArgument() {
        return args.stream().filter(a -> a.startsWith("--features=")).findFirst().orElse("--features=");
    }

    private static JsonNode config(String name) throws IOException {
        try (JarFile jar = new JarFile(runnerJar.toFile());
                InputStream in = jar.getInputStream(jar.getEntry("META-INF/native-image/" + name))) {
            return JSON.readTree(in);
        }
    }

    private static JsonNode entry(JsonNode entries, String className) {
        for (JsonNode entry : entries) {
            if (className.equals(entry.path("name").asText())) {
                return entry;
            }
        }
        return null;
    }

    /** The string constants of a class of the runner jar, in one string (names are ASCII, so bytes are enough). */
    private static String classConstants(String entryName) throws IOException {
        try (JarFile jar = new JarFile(runnerJar.toFile())) {
            assertThat(jar.getEntry(entryName)).as(entryName).isNotNull();
            try (InputStream in = jar.getInputStream(jar.getEntry(entryName))) {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** The image's class path: the runner jar and its lib folder, as native-image sees it. */
    private static URLClassLoader imageClassLoader() throws IOException {
        List<URL> urls = new ArrayList<>();
        urls.add(runnerJar.toUri().toURL());
        try (Stream<Path> libs = Files.list(sources.resolve("lib"))) {
            for (Path lib : libs.toList()) {
                urls.add(lib.toUri().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    /** The resource includes and excludes of resource-config.json, with native-image's rule: excludes win. */
    record ResourceRules(List<Pattern> includes, List<Pattern> excludes) {

        boolean includes(String resource) {
            return includes.stream().anyMatch(p -> p.matcher(resource).matches())
                    && excludes.stream().noneMatch(p -> p.matcher(resource).matches());
        }
    }

    private static ResourceRules resourceRules() throws IOException {
        JsonNode resources = config("resource-config.json").path("resources");
        return new ResourceRules(patterns(resources.path("includes")), patterns(resources.path("excludes")));
    }

    private static List<Pattern> patterns(JsonNode entries) {
        List<Pattern> patterns = new ArrayList<>();
        for (JsonNode entry : entries) {
            assertThat(entry.has("pattern")).as("a regular expression resource entry: %s", entry).isTrue();
            patterns.add(Pattern.compile(entry.path("pattern").asText()));
        }
        return patterns;
    }

    // --- what the application holds

    private static URL onnxRuntimeJar() {
        URL url = NativeImageSourcesIT.class.getClassLoader().getResource("ai/onnxruntime/OrtEnvironment.class");
        assertThat(url).as("onnxruntime on the class path").isNotNull();
        return url;
    }

    private static List<String> onnxRuntimeJarEntries() throws IOException {
        String jarUrl = onnxRuntimeJar().toString();
        Path jar = Paths.get(URI.create(jarUrl.substring("jar:".length(), jarUrl.indexOf("!/"))));
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(e -> e.getName()).filter(n -> n.startsWith(ORT_NATIVE)).toList();
        }
    }

    /** The class names the JNI library passes to FindClass: NUL-terminated strings such as ai/onnxruntime/OnnxMap. */
    private static Set<String> classNamesInJniLibrary() throws IOException {
        String library = ORT_NATIVE + hostPlatform() + "/" + System.mapLibraryName("onnxruntime4j_jni");
        byte[] bytes;
        try (InputStream in = NativeImageSourcesIT.class.getClassLoader().getResourceAsStream(library)) {
            assertThat(in).as(library).isNotNull();
            bytes = in.readAllBytes();
        }
        Matcher m = Pattern.compile("(?<=\u0000)(ai/onnxruntime/[\\w$]+|java/lang/\\w+)(?=\u0000)")
                .matcher(new String(bytes, StandardCharsets.ISO_8859_1));
        Set<String> names = new LinkedHashSet<>();
        while (m.find()) {
            names.add(m.group(1).replace('/', '.'));
        }
        return names;
    }

    /** The prompt templates of the runtime module, from its jar (or its classes folder in the IDE). */
    private static List<String> promptResources() throws IOException {
        URL url = NativeImageSourcesIT.class.getClassLoader().getResource(PROMPTS);
        assertThat(url).as(PROMPTS + " on the class path").isNotNull();
        return fileNames(URI.create(url.toString())).stream().map(name -> PROMPTS + name).toList();
    }

    /** The picocli commands of the sample: every class of its cli package annotated with @Command. */
    private static List<Class<?>> commandClasses() throws IOException, ClassNotFoundException {
        String cliPackage = "io/quarkiverse/handoff/sample/cli";
        List<Class<?>> commands = new ArrayList<>();
        // the package is both in the application and in the tests: list every location
        for (URL url : Collections.list(NativeImageSourcesIT.class.getClassLoader().getResources(cliPackage))) {
            for (String file : fileNames(URI.create(url.toString()))) {
                if (file.endsWith(".class")) {
                    Class<?> type = Class.forName(cliPackage.replace('/', '.') + "." + file.replace(".class", ""),
                            false, NativeImageSourcesIT.class.getClassLoader());
                    if (type.isAnnotationPresent(CommandLine.Command.class)) {
                        commands.add(type);
                    }
                }
            }
        }
        return commands;
    }

    /** The names of the files in a folder of the class path, in a jar or on disk. */
    private static List<String> fileNames(URI folder) throws IOException {
        if (folder.getScheme().equals("jar")) {
            String path = folder.toString().substring(folder.toString().indexOf("!/") + 1);
            try (FileSystem jar = FileSystems.newFileSystem(folder, Map.of());
                    Stream<Path> files = Files.list(jar.getPath(path))) {
                return files.map(p -> p.getFileName().toString().replace("/", "")).sorted().toList();
            }
        }
        try (Stream<Path> files = Files.list(Paths.get(folder))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The ONNX Runtime platform folder of this machine, as OnnxRuntimeNativeProcessor picks it by default. */
    static String hostPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.contains("mac") ? "osx" : os.contains("win") ? "win" : "linux";
        return osName + "-" + (arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : "x64");
    }
}
