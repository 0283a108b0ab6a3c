package io.quarkiverse.handoff.deployment.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import io.quarkus.bootstrap.model.ApplicationModel;
import io.quarkus.maven.dependency.ResolvedDependency;

/**
 * Finds rule files: in the dependencies that ship rules (at any depth of the dependency tree, unlike
 * {@code drools.asset.dependencies}) and in the application's own archive roots.
 */
final class RuleFiles {

    static final String DRL = ".drl";

    private RuleFiles() {
    }

    /** The .drl files of the named dependencies ({@code groupId:artifactId}); the second list names those not found. */
    static List<RuleFile> fromDependencies(ApplicationModel model, Collection<String> artifacts, List<String> missing) {
        List<RuleFile> files = new ArrayList<>();
        for (String artifact : artifacts) {
            boolean found = false;
            for (ResolvedDependency dependency : model.getRuntimeDependencies()) {
                if (artifact.equals(dependency.getGroupId() + ":" + dependency.getArtifactId())) {
                    found = true;
                    for (Path path : dependency.getResolvedPaths()) {
                        files.addAll(fromPath(path, artifact, false));
                    }
                }
            }
            if (!found) {
                missing.add(artifact);
            }
        }
        return files;
    }

    /** The .drl files under the application's archive roots (classes directories, or a jar). */
    static List<RuleFile> fromApplication(Iterable<Path> roots, Set<String> alreadyFound) {
        List<RuleFile> files = new ArrayList<>();
        for (Path root : roots) {
            for (RuleFile file : fromPath(root, null, true)) {
                if (alreadyFound.add(file.path())) {
                    files.add(file);
                }
            }
        }
        return files;
    }

    private static List<RuleFile> fromPath(Path path, String artifact, boolean application) {
        if (Files.isDirectory(path)) {
            Path sources = application ? sourceResourcesOf(path) : null;
            if (sources != null) {
                // read the files a developer edits (in dev mode a changed .drl may not be copied to target/classes yet,
                // drools-quarkus reads src/main/resources too), then whatever only the output directory holds
                List<RuleFile> files = new ArrayList<>(fromDirectory(sources, null, true));
                Set<String> paths = new HashSet<>();
                files.forEach(f -> paths.add(f.path()));
                for (RuleFile file : fromDirectory(path, null, true)) {
                    if (paths.add(file.path())) {
                        files.add(file);
                    }
                }
                return files;
            }
            return fromDirectory(path, artifact, application);
        }
        if (Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar")) {
            return fromJar(path, artifact, application);
        }
        return List.of();
    }

    private static List<RuleFile> fromDirectory(Path dir, String artifact, boolean application) {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<RuleFile> files = new ArrayList<>();
            for (Path file : walk.filter(p -> p.getFileName().toString().endsWith(DRL)).filter(Files::isRegularFile)
                    .sorted(Comparator.naturalOrder()).toList()) {
                String relative = dir.relativize(file).toString().replace('\\', '/');
                String origin = artifact != null ? artifact : file.toString();
                files.add(new RuleFile(relative, origin, application, Files.readAllBytes(file)));
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read rule files under " + dir, e);
        }
    }

    private static List<RuleFile> fromJar(Path jar, String artifact, boolean application) {
        List<RuleFile> files = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.isDirectory() || !entry.getName().endsWith(DRL)) {
                    continue;
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    files.add(new RuleFile(entry.getName(), artifact != null ? artifact : jar.toString(), application,
                            in.readAllBytes()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read rule files in " + jar, e);
        }
        files.sort(Comparator.comparing(RuleFile::path));
        return files;
    }

    /**
     * The resources directory a classes directory is built from: {@code target/classes} comes from
     * {@code src/main/resources} and {@code target/test-classes} from {@code src/test/resources}, when it exists.
     */
    private static Path sourceResourcesOf(Path root) {
        Path target = root.getParent();
        if (target == null || target.getParent() == null || root.getFileName() == null) {
            return null;
        }
        String dirName = root.getFileName().toString();
        String kind = dirName.equals("classes") ? "main" : dirName.equals("test-classes") ? "test" : null;
        if (kind == null) {
            return null;
        }
        Path resources = target.getParent().resolve("src").resolve(kind).resolve("resources");
        return Files.isDirectory(resources) ? resources : null;
    }
}
