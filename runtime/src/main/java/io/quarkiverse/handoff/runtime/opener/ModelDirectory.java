package io.quarkiverse.handoff.runtime.opener;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.quarkiverse.handoff.runtime.config.OpenerBuildConfig;

/**
 * A model directory, either packaged as classpath resources ({@code classpath:dir}) or on the file system.
 */
public final class ModelDirectory {

    /** How the application names its model directory, for the hint of a missing-file message. */
    public static final String CONFIG_SETTING = "quarkus.handoff.opener.model";

    private final String location;
    private final String resourcePrefix;
    private final Path path;
    private final String setting;

    private ModelDirectory(String location, String resourcePrefix, Path path, String setting) {
        this.location = location;
        this.resourcePrefix = resourcePrefix;
        this.path = path;
        this.setting = setting;
    }

    /** Parses {@code classpath:some/dir} or a file system path, given by {@value #CONFIG_SETTING}. */
    public static ModelDirectory of(String location) {
        return of(location, CONFIG_SETTING);
    }

    /**
     * Parses {@code classpath:some/dir} or a file system path.
     *
     * @param setting what the user sets to choose another directory, for messages: a configuration property or a
     *        command line option such as {@code --model}
     */
    public static ModelDirectory of(String location, String setting) {
        if (location.startsWith(OpenerBuildConfig.CLASSPATH_PREFIX)) {
            String prefix = location.substring(OpenerBuildConfig.CLASSPATH_PREFIX.length());
            prefix = prefix.replaceAll("^/+", "").replaceAll("/+$", "");
            return new ModelDirectory(location, prefix, null, setting);
        }
        return new ModelDirectory(location, null, Path.of(location), setting);
    }

    public boolean isClasspath() {
        return resourcePrefix != null;
    }

    /** The classpath resource name of a file of this directory. */
    public String resourceName(String file) {
        return resourcePrefix + "/" + file;
    }

    /** The file system path, for a directory that is not on the classpath. */
    public Optional<Path> path() {
        return Optional.ofNullable(path);
    }

    public boolean exists(String file) {
        if (isClasspath()) {
            return classLoader().getResource(resourceName(file)) != null;
        }
        return Files.isRegularFile(path.resolve(file));
    }

    /** Opens a file of the directory; the caller closes the stream. */
    public InputStream open(String file) {
        try {
            if (isClasspath()) {
                InputStream in = classLoader().getResourceAsStream(resourceName(file));
                if (in == null) {
                    throw missing(file);
                }
                return in;
            }
            Path p = path.resolve(file);
            if (!Files.isRegularFile(p)) {
                throw missing(file);
            }
            return Files.newInputStream(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + describe(file) + ": " + e.getMessage(), e);
        }
    }

    public byte[] readAll(String file) {
        try (InputStream in = open(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + describe(file) + ": " + e.getMessage(), e);
        }
    }

    /**
     * A file of the directory in native memory, for ONNX Runtime, read once into a buffer of its size. Unlike
     * {@link #readAll}, the Java heap never holds the file (10+ MB for a model: collections of their own at startup,
     * and a heap that stays that much larger).
     */
    public ByteBuffer readDirect(String file) {
        try {
            if (!isClasspath()) {
                Path p = path.resolve(file);
                if (!Files.isRegularFile(p)) {
                    throw missing(file);
                }
                // read, not mapped: a mapping would hold the file open until a collection (no deleting it on Windows)
                try (InputStream in = Files.newInputStream(p)) {
                    return readFully(in, Math.toIntExact(Files.size(p)));
                }
            }
            URL url = classLoader().getResource(resourceName(file));
            if (url == null) {
                throw missing(file);
            }
            URLConnection connection = url.openConnection();
            // a jar's connection would otherwise keep the jar open in the JDK's cache for the life of the process
            connection.setUseCaches(false);
            long size = connection.getContentLengthLong();
            try (InputStream in = connection.getInputStream()) {
                return size >= 0 && size <= Integer.MAX_VALUE ? readFully(in, (int) size) : readGrowing(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + describe(file) + ": " + e.getMessage(), e);
        }
    }

    private static ByteBuffer readFully(InputStream in, int size) throws IOException {
        ByteBuffer out = ByteBuffer.allocateDirect(size);
        byte[] chunk = new byte[64 * 1024];
        int n;
        while (out.hasRemaining() && (n = in.read(chunk, 0, Math.min(chunk.length, out.remaining()))) > 0) {
            out.put(chunk, 0, n);
        }
        if (out.hasRemaining()) {
            throw new IOException("ended after " + out.position() + " of its " + size + " bytes");
        }
        return out.flip();
    }

    /** For a stream of unknown length: doubles a direct buffer as it fills. */
    private static ByteBuffer readGrowing(InputStream in) throws IOException {
        ByteBuffer out = ByteBuffer.allocateDirect(1 << 20);
        byte[] chunk = new byte[64 * 1024];
        int n;
        while ((n = in.read(chunk)) > 0) {
            if (out.remaining() < n) {
                ByteBuffer larger = ByteBuffer.allocateDirect(Math.max(out.capacity() * 2, out.position() + n));
                larger.put(out.flip());
                out = larger;
            }
            out.put(chunk, 0, n);
        }
        return out.flip();
    }

    /** Where a file of this directory lives, for messages. */
    public String describe(String file) {
        return isClasspath() ? "classpath resource '" + resourceName(file) + "'" : "file '" + path.resolve(file) + "'";
    }

    public ModelException missing(String file) {
        String fix = "Set " + setting + " to a directory holding the ONNX export (model.onnx), config.json, "
                + "tokenizer.json and tokenizer_config.json"
                + (CONFIG_SETTING.equals(setting)
                        ? ", or add the dependency io.quarkiverse.handoff:quarkus-handoff-demo-model for the demo model."
                        : " (samples/micro-model/export.py writes such a directory).");
        if (path != null && !Files.isDirectory(path)) {
            return new ModelException("the opener model directory '" + path.toAbsolutePath() + "' "
                    + (Files.exists(path) ? "is not a directory" : "does not exist") + " (looking for " + file
                    + "). " + fix);
        }
        return new ModelException("the opener model directory " + location + " has no " + file + " (looked for "
                + describe(file) + "). " + fix);
    }

    @Override
    public String toString() {
        return location;
    }

    private static ClassLoader classLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : ModelDirectory.class.getClassLoader();
    }
}
